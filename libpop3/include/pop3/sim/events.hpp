#pragma once
// What a simulation step did (SimEvent), and what a client action led to (Exchange).
#include <cstdint>
#include <string>
#include <system_error>
#include <vector>

#include "pop3/core/events.hpp"
#include "pop3/core/time.hpp"
#include "pop3/trace/record.hpp"

namespace pop3::sim {

enum class Side : std::uint8_t { Client, Server };
[[nodiscard]] std::string_view side_name(Side side) noexcept;  // "client", "server"
[[nodiscard]] constexpr Direction outgoing(Side side) noexcept {
  return side == Side::Client ? Direction::ClientToServer : Direction::ServerToClient;
}
[[nodiscard]] constexpr Side receiver(Direction d) noexcept {
  return d == Direction::ClientToServer ? Side::Server : Side::Client;
}

struct SimEvent {
  enum class Kind : std::uint8_t {
    SessionStep,    // `side`'s session produced `step` (and the simulator acted on it)
    Delivered,      // `bytes` reached the receiver of `direction` on `channel`
    PeerClosed,     // the peer's FIN reached `side`; its session was told the connection is over
    TlsUp,          // `side` finished its TLS handshake (`detail`: version and cipher)
    TlsFailed,      // `side`'s TLS handshake or record layer failed (`detail`: why)
    LinkCut,        // the connection broke (`detail`: where); both sessions got connection_lost()
    ClockAdvanced,  // virtual time moved on to `at`
    Idle,           // nothing moves until the client acts (or run_for() lets time pass)
  };
  Kind kind = Kind::Idle;
  TimePoint at{};
  Side side = Side::Client;
  Direction direction = Direction::ClientToServer;
  trace::Channel channel = trace::Channel::Plain;
  Step step;           // SessionStep
  std::string bytes;   // Delivered
  std::string detail;  // TlsUp, TlsFailed, LinkCut, PeerClosed
};

[[nodiscard]] std::string_view event_kind_name(SimEvent::Kind kind) noexcept;
// One line for people: "12 ms  client  Send \"USER alice\\r\\n\"" (times since `start`).
[[nodiscard]] std::string describe(const SimEvent& event, TimePoint start);

// Everything that happened between an action and the moment nothing moved any more.
struct Exchange {
  // The client session refused the action locally (a CR in an argument, a command not
  // allowed now, ...): nothing was sent.
  std::error_code refused;
  std::vector<ReplyEvent> replies;  // what the client received, in order
  std::vector<StateChange> client_states;
  std::vector<StateChange> server_states;
  std::vector<Violation> client_violations;
  std::vector<Violation> server_violations;
  std::vector<SimEvent> events;     // all of it, in order
  bool tls_established = false;     // a handshake completed on both sides
  std::string tls_failure;          // a side's TLS failed: why
  bool connection_lost = false;     // the link was cut, or a side closed it
  bool server_update_done = false;  // the server closed after UPDATE

  // Accepted, and the last reply the client got is +OK.
  [[nodiscard]] bool ok() const noexcept;
  // nullptr when no reply came.
  [[nodiscard]] const Reply* last_reply() const noexcept;
  // Appends another exchange (multi-command actions such as USER then PASS).
  void append(Exchange other);
};

}  // namespace pop3::sim
