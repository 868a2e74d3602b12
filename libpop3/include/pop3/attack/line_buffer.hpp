#pragma once
// LineBuffer: cuts one direction of a plaintext POP3 stream into lines, whatever the
// chunking. A middlebox that acts on whole lines (strip one from a CAPA reply, append
// bytes behind STLS) needs this: the link may deliver "ST" and "LS\r\n" separately.
//
// Contract: add() takes the next octets of the stream and returns every line completed
// by them, each with its terminator (LF, normally preceded by CR), in order; octets after
// the last LF wait for the next add(). Concatenating everything returned, then pending(),
// gives back exactly the octets added. A line longer than max_line (no LF in sight) is
// returned as it is once it reaches the limit, so memory stays bounded and nothing is lost.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace pop3::attack {

class LineBuffer {
 public:
  explicit LineBuffer(std::size_t max_line = 64 * 1024) : max_line_(max_line) {}

  [[nodiscard]] std::vector<std::string> add(std::string_view octets);
  // Octets of an unfinished line.
  [[nodiscard]] const std::string& pending() const noexcept { return pending_; }
  // Hands out the unfinished line and forgets it (when the stream turns into TLS).
  [[nodiscard]] std::string take_pending();

 private:
  std::size_t max_line_;
  std::string pending_;
};

// The line without its terminator (CRLF, or a bare LF).
[[nodiscard]] std::string_view strip_line_end(std::string_view line) noexcept;

}  // namespace pop3::attack
