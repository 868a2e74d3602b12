#pragma once
// One-line explanations for the shell: what a command does, and why the server answered
// -ERR, worked out on the client's side from the command table, the state the session
// was in when the command was sent, and what CAPA said. No I/O: the shell prints them,
// the tests call them directly.
#include <optional>
#include <string>
#include <string_view>

#include "pop3/core/capability.hpp"
#include "pop3/core/command.hpp"
#include "pop3/core/reply.hpp"
#include "pop3/core/state.hpp"

namespace pop3::client {

// "STAT: Reports how many messages ... (RFC 1939 §5)".
[[nodiscard]] std::string explain_command(Verb verb);

// What was sent, and the session as it stood just before.
struct Attempt {
  std::string keyword;         // the first word as typed ("stat", "XTND"); empty for a SASL line
  std::optional<Verb> verb;    // nullopt: not a POP3 keyword pop3lab knows
  std::string line;            // the line as typed (checked for argument errors; never shown);
                               // for a SASL response only "*", else empty
  bool sasl_response = false;  // a line answering a "+ " challenge
  State state = State::Authorization;
  Capabilities capabilities;
  bool capabilities_known = false;
  bool tls_active = false;
  bool apop_offered = false;  // the greeting carried a timestamp (and TLS did not reset it)
};

// Why a -ERR came back, as far as the client can tell: the wrong state, a capability CAPA
// did not list, a bad argument, a refused login, what the response code means.
[[nodiscard]] std::string explain_refusal(const Attempt& attempt, const Reply& reply);

// "AUTHORIZATION or TRANSACTION": the states where a command is legal, for people.
[[nodiscard]] std::string legal_states_text(Verb verb);

}  // namespace pop3::client
