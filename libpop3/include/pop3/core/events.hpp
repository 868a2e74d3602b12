#pragma once
// What a session's next() returns: a step for the driver. Either an instruction (write
// these bytes, start TLS now, the session is over, nothing to do until more input) or an
// event that tells what happened, in the order it happened. Drivers act on the
// instructions and may ignore events; the trace recorder keeps all of them.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "pop3/core/command.hpp"
#include "pop3/core/errors.hpp"
#include "pop3/core/exposure.hpp"
#include "pop3/core/reply.hpp"
#include "pop3/core/state.hpp"
#include "pop3/core/state_table.hpp"

namespace pop3 {

enum class Direction : std::uint8_t { ClientToServer, ServerToClient };
[[nodiscard]] std::string_view direction_name(Direction d) noexcept;  // "c2s", "s2c"

// --- instructions ---------------------------------------------------------------------
struct NeedInput {};  // nothing to do until feed() (or, for a server, until deadline())
struct Send {         // write these bytes to the peer, in order
  std::string bytes;
};
struct StartTls {};          // everything before this has been sent: begin the TLS handshake now
struct Closed {              // the session is over: close the connection once Sends are written
  bool update_done = false;  // UPDATE ran (QUIT in TRANSACTION)
};

// --- events ---------------------------------------------------------------------------
// Bytes the session took from its input, as framed: a command line (server), a status
// line or a piece of a body (client), or bytes it dropped. Together with Send these are
// the whole application byte stream in both directions.
struct Received {
  std::string bytes;
  std::uint64_t offset = 0;  // of bytes[0] in the incoming stream
  bool body = false;         // client: part of a multi-line body (stuffed, as received)
};
struct CommandEvent {  // server: a command was received; client: one was sent
  Command command;
};
struct ReplyEvent {          // server: a reply was produced; client: one was received
  std::optional<Verb> verb;  // the command it answers; nullopt for the greeting
  Reply reply;
  bool greeting = false;
};
struct BodyChunk {  // client with streaming on: a piece of a RETR/TOP body
  std::string data;
};
struct StateChange {
  State from;
  State to;
  std::string why;  // from the transition table
};
// Bytes that carry a secret: [offset, offset+length) of the application byte stream in
// `direction`, counted from the first byte of the session in that direction.
// Ordering rule: a SecretSeen always comes before the Send or Received that holds those
// bytes, so a trace recorder can redact them as it writes.
struct SecretSeen {
  Direction direction;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
  Exposure exposure = Exposure::None;
  std::string label;  // "PASS argument", "AUTH PLAIN initial response", ...
};
struct AuthStep {
  std::string mechanism;  // "USER/PASS", "APOP", "CRAM-MD5", ...
  Direction direction;
  std::string description;  // what this step carried, secrets redacted
};
// STARTTLS rule: bytes that arrived behind the STLS exchange in plaintext were dropped.
struct InjectionDiscarded {
  Direction direction;  // who sent them
  std::uint64_t octets = 0;
};
struct Violation {  // the peer broke the protocol, or the caller misused the session
  std::error_code error;
  std::string detail;
  bool fatal = false;  // the session is over because of it
};

using Step =
    std::variant<NeedInput, Send, StartTls, Closed, Received, CommandEvent, ReplyEvent, BodyChunk,
                 StateChange, SecretSeen, AuthStep, InjectionDiscarded, Violation>;

}  // namespace pop3
