#pragma once
// Recorder: turns one session's steps, and what its driver sees on the wire, into trace
// records. One Recorder per session; several may share a Sink.
//
// Contract:
// - Times are passed in (pop3::TimePoint) and recorded as microseconds since
//   RecorderOptions::trace_start. Sequence numbers count this session's records from 0.
// - step(): Send -> "app" record in the outgoing direction (offsets accumulate from 0),
//   Received -> "app" in the incoming direction (its own offset), StartTls ->
//   "tls_requested", CommandEvent -> "command", ReplyEvent -> "reply", StateChange ->
//   "state", SecretSeen -> "exposure", AuthStep -> "auth_step", InjectionDiscarded ->
//   "injection_discarded", Violation -> "violation". NeedInput and BodyChunk write nothing
//   (a body's bytes are in the "app" records already). Closed writes nothing either: it
//   remembers update_done and the reason for session_end(), because the driver may still
//   write the last reply to the wire after it.
// - Redaction (unless expose_secrets): the bytes of every SecretSeen range are '*' in
//   "app" records and in "wire" records of the plain channel. In "command" records an
//   argument is "<redacted>" when the command table names it secret or when its bytes
//   lie in an announced secret range (the AUTH initial response, whose secrecy depends
//   on the mechanism); a server's command line is its last Received, a client's is the
//   Send that follows the CommandEvent. The core announces a secret before the bytes that
//   hold it, so application records are masked as they are written. Plain wire bytes can
//   arrive before the session has framed them (and announced their secrets), so the
//   recorder holds a plain "wire" record back until the session's application stream in
//   that direction has caught up with it, then writes it masked, with the time it
//   arrived. Held records are also written at the first TLS wire record of their
//   direction, at tls_established/tls_failed, at flush() and at session_end().
//   "exposure" records are always written: they say where secrets are, never what.
// - A Simulator-role recorder has no session to wait for: it masks with the SecretSeen
//   steps given to it so far and writes at once. Send and Received have no direction
//   for it (std::logic_error).
// - After session_end() every call but another session_end() (a no-op) throws
//   std::logic_error: records after the end would be a driver bug.
#include <array>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>

#include "pop3/core/events.hpp"
#include "pop3/core/time.hpp"
#include "pop3/trace/record.hpp"
#include "pop3/trace/secret_ranges.hpp"
#include "pop3/trace/sink.hpp"

namespace pop3::trace {

struct RecorderOptions {
  TimePoint trace_start{};
  // Keep secrets in the trace: for labs that teach sniffing. Exposure records are
  // written either way.
  bool expose_secrets = false;
  // Record the body lines of listing replies (CAPA, LIST, UIDL, AUTH mechanisms).
  bool reply_lines = true;
  // Record RETR/TOP message bodies as lines too (they are in the "app" records anyway).
  bool message_lines = false;
};

class Recorder {
 public:
  Recorder(Sink& sink, std::string session_id, Role role, RecorderOptions options = {});

  void session_start(TimePoint now, std::string peer, std::string label = {},
                     Channel channel = Channel::Plain);
  void step(const Step& step, TimePoint now);
  void wire(Direction direction, Channel channel, std::string_view bytes, TimePoint now);
  void tls_established(std::string version, std::string cipher, TimePoint now);
  void tls_failed(std::string reason, TimePoint now);
  void note(std::string text, TimePoint now);
  // Writes held wire records, then the end record. `reason` overrides the one a Closed
  // step left (the last state change's "why").
  void session_end(TimePoint now, std::string reason = {});
  // Writes every held wire record now (masked with what is known).
  void flush();

  [[nodiscard]] const std::string& session_id() const noexcept { return session_; }
  [[nodiscard]] bool ended() const noexcept { return ended_; }
  // The channel secrets cross on now: exposure records carry it.
  [[nodiscard]] Channel channel() const noexcept { return channel_; }

 private:
  struct HeldWire {
    Record record;
    std::uint64_t app_offset;  // where its bytes sit in the application stream
  };
  struct PerDirection {
    SecretRanges secrets;
    std::uint64_t app_end = 0;    // application bytes seen so far
    std::uint64_t last_app = 0;   // offset of the latest application record
    std::uint64_t wire_end = 0;   // wire bytes so far, both channels (TCP stream)
    std::uint64_t plain_end = 0;  // plain wire bytes so far (map 1:1 to application bytes)
    std::deque<HeldWire> held;
  };

  void emit(Micros t, Body body);
  void emit_record(Record record);
  void emit_app(Direction direction, std::uint64_t offset, std::string bytes, Micros t);
  [[nodiscard]] CommandRecord command_record(const Command& command) const;
  void release(PerDirection& dir, bool all);
  void write_held(HeldWire& held, PerDirection& dir);
  void require_open() const;
  [[nodiscard]] Micros since_start(TimePoint now) const;
  [[nodiscard]] Direction outgoing() const;
  [[nodiscard]] PerDirection& of(Direction direction) noexcept;

  void on(const Send& send, Micros t);
  void on(const Received& received, Micros t);
  void on(const CommandEvent& event, Micros t);
  void on(const ReplyEvent& event, Micros t);
  void on(const SecretSeen& secret, Micros t);

  Sink& sink_;
  std::string session_;
  Role role_;
  RecorderOptions options_;
  std::uint64_t seq_ = 0;
  Channel channel_ = Channel::Plain;
  std::array<PerDirection, 2> dirs_{};
  bool ended_ = false;
  bool closed_seen_ = false;
  bool update_done_ = false;
  std::string close_reason_;
};

}  // namespace pop3::trace
