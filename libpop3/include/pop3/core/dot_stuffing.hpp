#pragma once
// RFC 1939 §3 byte-stuffing of multi-line bodies, streaming in both directions.
// Either side may be cut into chunks anywhere (one byte at a time included) and the
// result is the same as for the whole input.
#include <string>
#include <string_view>

namespace pop3 {

// Server side: message data in wire form in, stuffed body out.
class DotEncoder {
 public:
  // Appends the stuffed form of `data` to `out`: a '.' that begins a line is doubled.
  void encode(std::string_view data, std::string& out);
  // Ends the body: a CRLF if the data did not end with one, then ".\r\n".
  void finish(std::string& out);

 private:
  bool at_line_start_ = true;
  bool last_was_cr_ = false;
};

// Client side: stuffed body in, message data out, and the end detected.
class DotDecoder {
 public:
  struct Options {
    bool accept_bare_lf = false;  // leniency: a bare LF ends a line (and ".\n" the body)
  };
  DotDecoder() = default;
  explicit DotDecoder(Options options) : options_(options) {}

  // Consumes bytes of `data` until the end of the body; appends unstuffed data to
  // `out` (line ends kept as received). Returns how many bytes were consumed: fewer
  // than data.size() only when the terminating line ended inside `data`.
  std::size_t decode(std::string_view data, std::string& out);
  [[nodiscard]] bool done() const noexcept { return state_ == State::Done; }
  void reset() noexcept { state_ = State::LineStart; }

 private:
  enum class State { LineStart, InLine, InLineCr, Dot, DotCr, Done };
  Options options_{};
  State state_ = State::LineStart;
};

}  // namespace pop3
