#pragma once
// A scripted victim: a client on a Simulation whose STARTTLS policy is the lesson. It
// does what mail clients do: CAPA, STLS if it may or must, then USER/PASS, then QUIT, and
// says what it did. Against an StlsStripper the opportunistic client sends its password
// in clear; the one that requires TLS gives up without sending it.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pop3/sim/simulation.hpp"

namespace pop3::attack {

enum class StartTlsPolicy : std::uint8_t {
  Opportunistic,  // TLS if the server offers it; otherwise, or if STLS is refused, log in in clear
  Required,       // no TLS, no login: STLS missing or refused ends the session before USER
};
[[nodiscard]] std::string_view start_tls_policy_name(StartTlsPolicy policy) noexcept;

struct VictimConfig {
  StartTlsPolicy policy = StartTlsPolicy::Opportunistic;
  // Look at CAPA for STLS first (most clients). Off: send STLS without asking, and let
  // the reply decide (mpop's and fetchmail's "always STARTTLS" settings).
  bool ask_capa = true;
  std::string user;
  std::string password;
};

struct VictimReport {
  bool stls_offered = false;  // CAPA listed STLS, as the client received it
  bool stls_sent = false;
  bool stls_refused = false;  // -ERR to STLS
  bool tls_established = false;
  std::string tls_failure;  // the handshake failed: why (the client's side)
  bool credentials_sent = false;
  bool credentials_in_clear = false;  // sent without TLS
  bool logged_in = false;
  bool gave_up = false;            // Required, and TLS was not to be had
  std::vector<std::string> story;  // what the client did and why, for people
};

// Runs the victim on `sim` (connecting first if needed) and quits at the end.
VictimReport run_victim(sim::Simulation& sim, const VictimConfig& config);

}  // namespace pop3::attack
