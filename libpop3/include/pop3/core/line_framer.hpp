#pragma once
// CRLF line framing with a length cap. Bytes go in with feed(); complete lines come out
// of next(). A line longer than the cap is swallowed up to its end and reported once as
// TooLong, so the peer gets one -ERR and the next line is framed normally; memory stays
// bounded by the cap however long the line is.
#include <cstddef>
#include <string>
#include <string_view>

namespace pop3 {

struct FramingOptions {
  std::size_t max_line = 255;  // octets, counting the CRLF
  // Leniency: accept a bare LF as a line end. Strict (the default) still ends the line
  // there, but flags it so the session can refuse it.
  bool accept_bare_lf = false;
};

struct FramedLine {
  enum class Kind { NeedMore, Line, TooLong };
  Kind kind = Kind::NeedMore;
  std::string text;        // Line: without the line end
  bool bare_lf = false;    // Line: it ended with LF alone (and that was not accepted)
  std::size_t octets = 0;  // Line/TooLong: how many input octets it used, line end included
};

class LineFramer {
 public:
  explicit LineFramer(FramingOptions options = {}) : options_(options) {}

  void feed(std::string_view bytes);
  FramedLine next();

  // Everything fed but not yet framed, removed from the framer (the STARTTLS rule).
  std::string take_buffered();
  [[nodiscard]] std::size_t buffered() const noexcept { return buffer_.size() - start_; }
  void set_max_line(std::size_t max_line) noexcept { options_.max_line = max_line; }
  [[nodiscard]] const FramingOptions& options() const noexcept { return options_; }

 private:
  void compact();
  FramingOptions options_;
  std::string buffer_;
  std::size_t start_ = 0;
  std::size_t scanned_ = 0;  // bytes after start_ known to hold no LF
  bool discarding_ = false;  // inside a line that exceeded the cap
  std::size_t discarded_ = 0;
};

}  // namespace pop3
