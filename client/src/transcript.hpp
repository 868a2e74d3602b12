#pragma once
// Shows a session as a person reads it: "C: " for each line the client sent, "S: " for
// each line received, with secrets masked the way the trace masks them (the session
// announces secret byte ranges before the bytes). Optionally the state after each
// reply. Used by the shell and by -v.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "pop3/core/events.hpp"

namespace pop3::client {

class Transcript {
 public:
  // Where lines go (already prefixed, without a newline).
  explicit Transcript(std::function<void(const std::string&)> print) : print_(std::move(print)) {}

  void step(const Step& step);
  bool show_bodies = true;   // print multi-line bodies (else only their size)
  bool show_states = false;  // "-- state: TRANSACTION" after each change

 private:
  struct Direction {
    std::uint64_t offset = 0;
    std::string partial;                                           // an unfinished line
    std::vector<std::pair<std::uint64_t, std::uint64_t>> secrets;  // [begin, end)
  };
  void bytes(Direction& d, char prefix, std::string_view data, std::uint64_t offset);
  std::function<void(const std::string&)> print_;
  Direction out_, in_;
  bool in_body_ = false;
  std::uint64_t body_lines_ = 0;
};

}  // namespace pop3::client
