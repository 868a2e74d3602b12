#pragma once
// The transcript of one session: what each side said, one row per command, reply, SASL
// line or event (state change, TLS, violation), in the order the session recorded them.
//
// Rows come from the semantic records (command, reply, state, ...). Each command, reply
// and SASL row also gets the range of the application stream its bytes occupy, found by
// framing that stream into lines in order: a reply takes its status line and, when the
// reply record says it is multi-line, the body up to the "." line; a command takes the
// next line that starts with its verb; a SASL response the next line. Producers write a
// command before its bytes (client) or after them (server) and a body before or after
// its reply record: the framing waits on whichever comes second. The ranges are what
// links a transcript row to the same bytes in the other session and on the wire.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "model/byte_log.hpp"
#include "pop3/core/reply.hpp"
#include "pop3/trace/record.hpp"

namespace pop3::viz {

enum class RowKind : std::uint8_t {
  Command,       // client -> server: a command
  SaslResponse,  // client -> server: a line of a SASL exchange (not a command)
  Line,          // client -> server: a line the client sent that is no command it knows
  Reply,         // server -> client: status line (+ body)
  Event,         // something that happened to the session (state, TLS, violation, ...)
};

enum class EventKind : std::uint8_t {
  None,
  SessionStart,
  State,
  TlsRequested,
  TlsEstablished,
  TlsFailed,
  Violation,
  Injection,
  Note,
  SessionEnd,
};

struct TranscriptRow {
  std::size_t record = 0;  // the model record that made the row
  RowKind kind = RowKind::Event;
  EventKind event = EventKind::None;
  Direction dir = Direction::ClientToServer;
  Status status = Status::Ok;  // replies
  std::string verb;            // commands; the verb a reply answers ("" for the greeting)
  std::string text;            // for people: "USER alice", "+OK send PASS", "TRANSACTION"
  std::string detail;          // more: the auth step, the transition's why, the violation
  bool greeting = false;
  bool multiline = false;
  std::uint64_t body_lines = 0;
  std::uint64_t body_octets = 0;
  std::optional<std::vector<std::string>> lines;  // body lines as the reply record has them
  bool redacted = false;
  bool error = false;   // -ERR, a failed handshake, a violation
  bool pre_tls = true;  // its bytes crossed before TLS: app offsets = TCP offsets
  // Its bytes in the application stream of `dir` (command, SASL, reply rows).
  bool has_range = false;
  bool range_complete = false;
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
  std::ptrdiff_t partner = -1;  // command <-> reply
};

// A body line of a multi-line reply, as it crossed (stuffed) and as meant (unstuffed).
struct BodyLine {
  std::string text;      // unstuffed, without CRLF
  bool stuffed = false;  // the line began with an extra '.' on the wire
};

class Transcript {
 public:
  explicit Transcript(trace::Role role = trace::Role::Client) : role_(role) {}
  void set_role(trace::Role role) noexcept { role_ = role; }

  // `state` is the session's state when the record arrived (before a state record applies).
  // `app` is the session's application byte log, where the lines are looked up.
  void add(const trace::Record& record, std::size_t index, const std::string& state, bool under_tls,
           const ByteLog& app);
  // New application bytes were added to `app` (record `index`): frame the complete lines.
  void on_app_bytes(const ByteLog& app, std::size_t index);

  [[nodiscard]] const std::vector<TranscriptRow>& rows() const noexcept { return rows_; }
  // The body of a multi-line reply row: from its record's lines when it has them, else
  // cut from the stream (RETR, TOP).
  [[nodiscard]] std::vector<BodyLine> body(const TranscriptRow& row, const ByteLog& app) const;

 private:
  struct Claim {
    std::size_t row;
    std::string verb;  // "" = any line
  };
  std::size_t push(TranscriptRow row);
  void claim_c2s(std::size_t row, std::string verb, const ByteLog& app);
  void assign_c2s(std::size_t row, const ByteRow& line, const ByteLog& app);
  void feed_c2s_line(std::size_t log_row, const ByteLog& app, std::size_t index, bool under_tls);
  // A reply row takes one more s2c line; false when the line is not for it (skipped).
  void take_s2c_line(std::size_t log_row, const ByteLog& app);
  void drain_s2c(const ByteLog& app);

  trace::Role role_;
  std::vector<TranscriptRow> rows_;
  // c2s framing
  std::size_t c2s_seen_ = 0;               // complete c2s log rows looked at
  std::deque<Claim> c2s_claims_;           // rows waiting for their line
  std::deque<std::size_t> c2s_unclaimed_;  // log rows no row has taken yet
  // s2c framing
  std::size_t s2c_seen_ = 0;
  std::deque<std::size_t> s2c_waiting_;  // reply rows still taking lines
  std::deque<std::size_t> s2c_unclaimed_;
  // pairing
  std::deque<std::size_t> awaiting_reply_;  // command rows not answered yet
  std::string pending_s2c_detail_;
  bool under_tls_ = false;
};

}  // namespace pop3::viz
