#include "pop3/trace/recorder.hpp"

#include <algorithm>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "error_names.hpp"
#include "pop3/core/command_table.hpp"
#include "pop3/core/secret.hpp"
#include "reply_body.hpp"

namespace pop3::trace {

Recorder::Recorder(Sink& sink, std::string session_id, Role role, RecorderOptions options)
    : sink_(sink), session_(std::move(session_id)), role_(role), options_(options) {}

Micros Recorder::since_start(TimePoint now) const {
  return std::chrono::duration_cast<Micros>(now - options_.trace_start);
}

Direction Recorder::outgoing() const {
  switch (role_) {
    case Role::Client:
      return Direction::ClientToServer;
    case Role::Server:
      return Direction::ServerToClient;
    case Role::Simulator:
      break;
  }
  throw std::logic_error(
      "trace recorder: a simulator session has no side; record Send and Received with the "
      "client's or the server's recorder");
}

Recorder::PerDirection& Recorder::of(Direction direction) noexcept {
  return dirs_[direction == Direction::ClientToServer ? 0 : 1];
}

void Recorder::require_open() const {
  if (ended_) throw std::logic_error("trace recorder: session " + session_ + " already ended");
}

void Recorder::emit(Micros t, Body body) {
  emit_record(Record{session_, 0, t, std::move(body)});
}

void Recorder::emit_record(Record record) {
  record.seq = seq_++;
  sink_.write(record);
}

void Recorder::session_start(TimePoint now, std::string peer, std::string label, Channel channel) {
  require_open();
  channel_ = channel;
  emit(since_start(now), SessionStartRecord{role_, std::move(peer), std::move(label), channel});
}

void Recorder::step(const Step& step, TimePoint now) {
  require_open();
  const Micros t = since_start(now);
  std::visit(
      [&](const auto& s) {
        using T = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<T, NeedInput> || std::is_same_v<T, BodyChunk>) {
          // NeedInput is not an event; a body's bytes are already in the "app" records.
        } else if constexpr (std::is_same_v<T, StartTls>) {
          emit(t, TlsRequestedRecord{});
        } else if constexpr (std::is_same_v<T, Closed>) {
          closed_seen_ = true;
          update_done_ = s.update_done;
        } else if constexpr (std::is_same_v<T, StateChange>) {
          if (s.to == State::Closed) close_reason_ = s.why;
          emit(t, StateChangeRecord{std::string(state_name(s.from)), std::string(state_name(s.to)),
                                    s.why});
        } else if constexpr (std::is_same_v<T, AuthStep>) {
          emit(t, AuthStepRecord{s.mechanism, s.direction, s.description});
        } else if constexpr (std::is_same_v<T, InjectionDiscarded>) {
          emit(t, InjectionDiscardedRecord{s.direction, s.octets});
        } else if constexpr (std::is_same_v<T, Violation>) {
          emit(t, ViolationRecord{detail::error_name(s.error),
                                  std::string(detail::error_kind_name(s.error)), s.error.message(),
                                  s.detail, s.fatal});
        } else {
          on(s, t);
        }
      },
      step);
}

void Recorder::on(const Send& send, Micros t) {
  const Direction d = outgoing();
  emit_app(d, of(d).app_end, send.bytes, t);
}

void Recorder::on(const Received& received, Micros t) {
  const Direction d = outgoing() == Direction::ClientToServer ? Direction::ServerToClient
                                                              : Direction::ClientToServer;
  emit_app(d, received.offset, received.bytes, t);
}

void Recorder::emit_app(Direction direction, std::uint64_t offset, std::string bytes, Micros t) {
  PerDirection& dir = of(direction);
  const bool masked = !options_.expose_secrets && dir.secrets.mask(offset, bytes) > 0;
  const std::uint64_t end = offset + bytes.size();
  emit(t, AppBytesRecord{direction, offset, std::move(bytes), masked});
  dir.app_end = std::max(dir.app_end, end);
  dir.last_app = offset;
  release(dir, false);
}

CommandRecord Recorder::command_record(const Command& command) const {
  CommandRecord record{std::string(verb_name(command.verb)), command.args, false};
  if (options_.expose_secrets) return record;
  const PerDirection& c2s = dirs_[0];
  // Where the line sits in the c2s stream: a server has just taken it in (Received comes
  // before CommandEvent); a client is about to send it (Send comes after).
  const std::uint64_t line = role_ == Role::Server ? c2s.last_app : c2s.app_end;
  std::uint64_t at = line + record.verb.size() + 1;
  const int secret = spec_of(command.verb).secret_arg;
  for (std::size_t i = 0; i < record.args.size(); ++i) {
    std::string& arg = record.args[i];
    const std::uint64_t size = arg.size();
    if (std::cmp_equal(i, secret) || c2s.secrets.overlaps(at, size)) {
      arg = std::string(Secret::redacted);
      record.redacted = true;
    }
    at += size + 1;
  }
  return record;
}

void Recorder::on(const CommandEvent& event, Micros t) {
  emit(t, command_record(event.command));
}

void Recorder::on(const ReplyEvent& event, Micros t) {
  const Reply& reply = event.reply;
  ReplyRecord record;
  if (event.verb) record.verb = std::string(verb_name(*event.verb));
  record.greeting = event.greeting;
  record.status = reply.status;
  if (reply.code) record.code = reply.code->text;
  record.text = reply.text;
  record.multiline = reply.multiline;
  const bool message = event.verb == Verb::Retr || event.verb == Verb::Top;
  const auto size = detail::body_size(reply);
  record.body_lines = size.lines;
  record.body_octets = size.octets;
  if (reply.multiline && message && options_.message_lines) {
    record.lines = detail::split_body(reply.body);
  } else if (reply.multiline && !message && options_.reply_lines) {
    record.lines = reply.lines;
  }
  emit(t, std::move(record));
}

void Recorder::on(const SecretSeen& secret, Micros t) {
  of(secret.direction).secrets.add(secret.offset, secret.length);
  emit(t, ExposureRecord{secret.direction, secret.offset, secret.length,
                         std::string(exposure_name(secret.exposure)), secret.label, channel_});
}

void Recorder::wire(Direction direction, Channel channel, std::string_view bytes, TimePoint now) {
  require_open();
  PerDirection& dir = of(direction);
  Record record{session_, 0, since_start(now),
                WireBytesRecord{direction, channel, dir.wire_end, std::string(bytes), false}};
  dir.wire_end += bytes.size();
  if (channel == Channel::Tls) {
    // The plaintext phase of this direction is over: nothing later will tell us more.
    release(dir, true);
    emit_record(std::move(record));
    return;
  }
  HeldWire held{std::move(record), dir.plain_end};
  dir.plain_end += bytes.size();
  if (options_.expose_secrets || role_ == Role::Simulator) {
    write_held(held, dir);
    return;
  }
  dir.held.push_back(std::move(held));
  release(dir, false);
}

void Recorder::release(PerDirection& dir, bool all) {
  while (!dir.held.empty()) {
    HeldWire& front = dir.held.front();
    const auto size = std::get<WireBytesRecord>(front.record.body).bytes.size();
    if (!all && front.app_offset + size > dir.app_end) break;
    write_held(front, dir);
    dir.held.pop_front();
  }
}

void Recorder::write_held(HeldWire& held, PerDirection& dir) {
  auto& wire = std::get<WireBytesRecord>(held.record.body);
  if (!options_.expose_secrets) wire.redacted = dir.secrets.mask(held.app_offset, wire.bytes) > 0;
  emit_record(std::move(held.record));
}

void Recorder::flush() {
  for (PerDirection& dir : dirs_)
    release(dir, true);
}

void Recorder::tls_established(std::string version, std::string cipher, TimePoint now) {
  require_open();
  flush();
  channel_ = Channel::Tls;
  emit(since_start(now), TlsEstablishedRecord{std::move(version), std::move(cipher)});
}

void Recorder::tls_failed(std::string reason, TimePoint now) {
  require_open();
  flush();
  emit(since_start(now), TlsFailedRecord{std::move(reason)});
}

void Recorder::note(std::string text, TimePoint now) {
  require_open();
  emit(since_start(now), NoteRecord{std::move(text)});
}

void Recorder::session_end(TimePoint now, std::string reason) {
  if (ended_) return;
  flush();
  if (reason.empty()) reason = close_reason_;
  if (reason.empty()) {
    reason = closed_seen_ ? "session closed" : "connection ended before the session closed";
  }
  emit(since_start(now), SessionEndRecord{update_done_, std::move(reason)});
  ended_ = true;
}

}  // namespace pop3::trace
