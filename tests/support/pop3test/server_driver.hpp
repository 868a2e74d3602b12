#pragma once
// Drives a ServerSession the way a connection loop would, collecting what it writes
// and every event, so a test can talk to it line by line.
#include <string>
#include <variant>
#include <vector>

#include "pop3/core/server_session.hpp"
#include "pop3test/fakes.hpp"

namespace pop3test {

struct ServerDriver {
  FakeClock clock;
  std::string output;             // everything written so far
  std::vector<pop3::Step> steps;  // every step, instructions included
  bool closed = false;
  bool start_tls = false;

  // Runs next() until it needs input; returns what was written meanwhile.
  std::string pump(pop3::ServerSession& s) {
    std::string written;
    for (;;) {
      pop3::Step step = s.next(clock.now);
      if (std::holds_alternative<pop3::NeedInput>(step)) break;
      if (auto* send = std::get_if<pop3::Send>(&step)) written += send->bytes;
      if (std::holds_alternative<pop3::StartTls>(step)) start_tls = true;
      const bool is_closed = std::holds_alternative<pop3::Closed>(step);
      steps.push_back(std::move(step));
      if (is_closed) {
        closed = true;
        break;
      }
    }
    output += written;
    return written;
  }

  std::string say(pop3::ServerSession& s, std::string_view bytes) {
    s.feed(bytes, clock.now);
    return pump(s);
  }

  template <class T>
  std::vector<T> events() const {
    std::vector<T> out;
    for (const auto& step : steps)
      if (auto* e = std::get_if<T>(&step)) out.push_back(*e);
    return out;
  }
};

}  // namespace pop3test
