#pragma once
// The one table of state transitions. The sessions compute every state change by looking
// it up here, and the visualizer draws the same rows; there is no other copy.
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "pop3/core/command.hpp"
#include "pop3/core/state.hpp"

namespace pop3 {

// What moves a session.
enum class Signal : std::uint8_t {
  Reply,           // the server answered a command (verb + outcome)
  SaslResponse,    // the server answered a client's SASL line
  TlsEstablished,  // the TLS handshake after STLS finished
  TlsFailed,       // it did not
  UpdateFinished,  // the deletions of UPDATE were applied (or failed)
  Autologout,      // the inactivity timer expired
  Shutdown,        // the server ended the session (shutdown, too many errors, -ERR greeting)
  ConnectionLost,  // the connection ended without QUIT
};

enum class Outcome : std::uint8_t { Ok, Err, Continue, Any };

struct Transition {
  std::optional<State> from;  // nullopt: any state but Closed
  Signal signal;
  std::optional<Verb> verb;  // for Signal::Reply
  Outcome outcome;
  State to;
  std::string_view why;  // for students: what just happened
};

[[nodiscard]] std::span<const Transition> transition_table() noexcept;
// The row that applies, or nullptr when the state does not change.
[[nodiscard]] const Transition* find_transition(State from, Signal signal, std::optional<Verb> verb,
                                                Outcome outcome) noexcept;
[[nodiscard]] std::string_view signal_name(Signal signal) noexcept;
[[nodiscard]] std::string_view outcome_name(Outcome outcome) noexcept;
// The verbs legal in a state, in table order (for completion and the visualizer).
[[nodiscard]] std::vector<Verb> legal_verbs(State state);

}  // namespace pop3
