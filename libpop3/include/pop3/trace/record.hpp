#pragma once
// The trace record model: one Record per line of a pop3lab trace (docs/trace-format.md).
//
// Contract:
// - Every record carries its session id, its sequence number within that session and its
//   time in microseconds since the trace started, all supplied by the producer; the
//   library never reads a clock.
// - Names from the core's vocabulary (verbs, states, exposure kinds, error names) are kept
//   as strings, not enums: a trace written by a newer pop3lab may name things this build
//   does not know, and a reader must still be able to show them. Use the core's parse_*
//   functions when a typed value is needed.
// - Byte strings (application and wire bytes, arguments, reply text) hold arbitrary
//   octets; the JSON form keeps them exact (see docs/trace-format.md, "Byte strings").
// - Records compare equal when every field does, which is what the round-trip tests pin.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "pop3/core/events.hpp"
#include "pop3/core/reply.hpp"

namespace pop3::trace {

inline constexpr std::string_view kFormatName = "pop3lab-trace";
// Major version: a reader refuses a trace with a higher one. Minor version: additions
// (record types, optional fields) that older readers can skip or ignore.
inline constexpr int kFormatVersion = 1;
inline constexpr int kFormatMinorVersion = 0;

using Micros = std::chrono::microseconds;
// Wall-clock time in the header, at microsecond precision (RFC 3339 UTC in the file).
using WallTime = std::chrono::sys_time<std::chrono::microseconds>;

enum class Role : std::uint8_t { Client, Server, Simulator };
// Which stream the wire bytes belong to: the plaintext TCP stream, or TLS records as an
// eavesdropper sees them (ciphertext).
enum class Channel : std::uint8_t { Plain, Tls };

[[nodiscard]] std::string_view role_name(Role role) noexcept;  // "client", ...
[[nodiscard]] bool parse_role_name(std::string_view name, Role& out) noexcept;
[[nodiscard]] std::string_view channel_name(Channel channel) noexcept;  // "plain", "tls"
[[nodiscard]] bool parse_channel_name(std::string_view name, Channel& out) noexcept;
[[nodiscard]] bool parse_direction_name(std::string_view name, Direction& out) noexcept;

// The first line of every trace.
struct HeaderRecord {
  int version = kFormatVersion;
  int minor = kFormatMinorVersion;
  std::string producer;  // "pop3-server 0.1.0", "pop3-sim seed=42", ...
  WallTime created{};    // when the trace started, as the producer's wall clock said
  friend bool operator==(const HeaderRecord&, const HeaderRecord&) = default;
};

struct SessionStartRecord {
  Role role = Role::Server;
  std::string peer;                  // "192.0.2.7:51234", "sim:client", ...
  std::string label;                 // free text for people: "lab 3, attempt 2"
  Channel channel = Channel::Plain;  // Tls for implicit TLS (port 995)
  friend bool operator==(const SessionStartRecord&, const SessionStartRecord&) = default;
};

// Application bytes: the POP3 byte stream as the session wrote or took it, before TLS
// protection. Offsets count from the session's first byte in that direction.
struct AppBytesRecord {
  Direction direction = Direction::ClientToServer;
  std::uint64_t offset = 0;
  std::string bytes;
  bool redacted = false;  // some bytes were secret and are '*' here (same length)
  friend bool operator==(const AppBytesRecord&, const AppBytesRecord&) = default;
};

// Bytes on the wire, as an on-path observer sees them. The offset is the position in the
// TCP stream of that direction (plain and TLS bytes share it), which is what pcap export
// needs for sequence numbers.
struct WireBytesRecord {
  Direction direction = Direction::ClientToServer;
  Channel channel = Channel::Plain;
  std::uint64_t offset = 0;
  std::string bytes;
  bool redacted = false;
  friend bool operator==(const WireBytesRecord&, const WireBytesRecord&) = default;
};

struct CommandRecord {
  std::string verb;               // canonical keyword: "PASS"
  std::vector<std::string> args;  // the secret argument, if any, is "<redacted>"
  bool redacted = false;
  friend bool operator==(const CommandRecord&, const CommandRecord&) = default;
};

struct ReplyRecord {
  std::optional<std::string> verb;  // the command answered; none for the greeting
  bool greeting = false;
  Status status = Status::Ok;
  std::optional<std::string> code;  // RFC 2449 response code, "IN-USE"
  std::string text;
  bool multiline = false;
  std::uint64_t body_lines = 0;
  std::uint64_t body_octets = 0;  // unstuffed, CRLF line ends, without the final ".CRLF"
  std::optional<std::vector<std::string>> lines;  // the body lines, when recorded
  friend bool operator==(const ReplyRecord&, const ReplyRecord&) = default;
};

struct StateChangeRecord {
  std::string from;  // state_name(): "AUTHORIZATION/USER"
  std::string to;
  std::string why;
  friend bool operator==(const StateChangeRecord&, const StateChangeRecord&) = default;
};

struct TlsRequestedRecord {  // the handshake begins (after +OK to STLS)
  friend bool operator==(const TlsRequestedRecord&, const TlsRequestedRecord&) = default;
};
struct TlsEstablishedRecord {
  std::string version;  // "TLSv1.3"
  std::string cipher;   // "TLS_AES_256_GCM_SHA384"
  friend bool operator==(const TlsEstablishedRecord&, const TlsEstablishedRecord&) = default;
};
struct TlsFailedRecord {
  std::string reason;
  friend bool operator==(const TlsFailedRecord&, const TlsFailedRecord&) = default;
};

struct AuthStepRecord {
  std::string mechanism;
  Direction direction = Direction::ClientToServer;
  std::string description;
  friend bool operator==(const AuthStepRecord&, const AuthStepRecord&) = default;
};

// Where a secret is: [offset, offset+length) of the application stream in `direction`.
// Never holds the secret itself.
struct ExposureRecord {
  Direction direction = Direction::ClientToServer;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
  std::string kind;                  // exposure_name(): "cleartext", "base64", "digest", ...
  std::string label;                 // "PASS argument"
  Channel channel = Channel::Plain;  // Tls: the observer sees ciphertext only
  friend bool operator==(const ExposureRecord&, const ExposureRecord&) = default;
};

struct InjectionDiscardedRecord {
  Direction direction = Direction::ClientToServer;
  std::uint64_t octets = 0;
  friend bool operator==(const InjectionDiscardedRecord&,
                         const InjectionDiscardedRecord&) = default;
};

struct ViolationRecord {
  std::string error;    // "tls_injection"; "<category>:<value>" outside the pop3 category
  std::string kind;     // "peer_violation", "local_misuse", "outcome" (empty if unknown)
  std::string message;  // error_code::message()
  std::string detail;
  bool fatal = false;
  friend bool operator==(const ViolationRecord&, const ViolationRecord&) = default;
};

struct NoteRecord {
  std::string text;
  friend bool operator==(const NoteRecord&, const NoteRecord&) = default;
};

struct SessionEndRecord {
  bool update_done = false;
  std::string reason;
  friend bool operator==(const SessionEndRecord&, const SessionEndRecord&) = default;
};

using Body = std::variant<HeaderRecord, SessionStartRecord, AppBytesRecord, WireBytesRecord,
                          CommandRecord, ReplyRecord, StateChangeRecord, TlsRequestedRecord,
                          TlsEstablishedRecord, TlsFailedRecord, AuthStepRecord, ExposureRecord,
                          InjectionDiscardedRecord, ViolationRecord, NoteRecord, SessionEndRecord>;

struct Record {
  std::string session;    // "" for the header, which belongs to the whole trace
  std::uint64_t seq = 0;  // per session, from 0, one more for each record
  Micros t{0};            // since the trace started
  Body body;
  friend bool operator==(const Record&, const Record&) = default;
};

// The "type" value of a record in the file: "header", "app", "command", ...
[[nodiscard]] std::string_view record_type_name(const Body& body) noexcept;

// What an on-path observer learns from the secret an exposure record marks: the kind on
// a plain channel, "encrypted" under TLS.
[[nodiscard]] std::string_view observed_exposure(const ExposureRecord& exposure) noexcept;

}  // namespace pop3::trace
