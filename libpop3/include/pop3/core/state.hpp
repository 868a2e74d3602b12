#pragma once
// The states of a POP3 session (RFC 1939 §3, with the sub-states that STLS, USER and
// SASL exchanges add). Each state belongs to one of the RFC's three phases.
#include <cstdint>
#include <string_view>

namespace pop3 {

enum class State : std::uint8_t {
  Authorization,  // AUTHORIZATION: greeting sent, nobody identified yet
  AwaitingPass,   // AUTHORIZATION: USER accepted, PASS expected
  SaslExchange,   // AUTHORIZATION: AUTH in progress, client responses expected
  TlsHandshake,   // AUTHORIZATION: +OK to STLS sent, TLS negotiation under way
  Transaction,    // TRANSACTION: maildrop open and locked
  Update,         // UPDATE: QUIT received in TRANSACTION, deletions being applied
  Closed,         // the connection is over
};

inline constexpr std::size_t kStateCount = 7;

enum class Phase : std::uint8_t { Authorization, Transaction, Update, Closed };

[[nodiscard]] Phase phase_of(State state) noexcept;
// Stable identifiers used in traces and the exported state machine ("AUTHORIZATION",
// "AUTHORIZATION/USER", ...).
[[nodiscard]] std::string_view state_name(State state) noexcept;
[[nodiscard]] std::string_view phase_name(Phase phase) noexcept;
// A sentence for students: what the server is waiting for in this state.
[[nodiscard]] std::string_view state_description(State state) noexcept;
[[nodiscard]] bool parse_state_name(std::string_view name, State& out) noexcept;

// A set of states, for the command table's "legal in".
class StateSet {
 public:
  constexpr StateSet() = default;
  constexpr StateSet(std::initializer_list<State> states) {
    for (State s : states)
      bits_ = static_cast<std::uint8_t>(bits_ | bit(s));
  }
  [[nodiscard]] constexpr bool contains(State s) const noexcept { return (bits_ & bit(s)) != 0; }
  [[nodiscard]] constexpr bool empty() const noexcept { return bits_ == 0; }

 private:
  static constexpr std::uint8_t bit(State s) {
    return static_cast<std::uint8_t>(1u << static_cast<unsigned>(s));
  }
  std::uint8_t bits_ = 0;
};

}  // namespace pop3
