#include "pop3/sim/events.hpp"

#include <chrono>
#include <type_traits>

namespace pop3::sim {
namespace {

std::string quoted(std::string_view bytes, std::size_t max = 60) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (std::size_t i = 0; i < bytes.size() && i < max; ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c == '\r')
      out += "\\r";
    else if (c == '\n')
      out += "\\n";
    else if (c == '"' || c == '\\')
      (out += '\\') += static_cast<char>(c);
    else if (c >= 0x20 && c < 0x7f)
      out += static_cast<char>(c);
    else
      (((out += "\\x") += kHex[c >> 4]) += kHex[c & 0x0f]);
  }
  out += bytes.size() > max ? "\"..." : "\"";
  return out;
}

std::string step_text(const Step& step) {
  return std::visit(
      [](const auto& s) -> std::string {
        using T = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<T, NeedInput>)
          return "NeedInput";
        else if constexpr (std::is_same_v<T, Send>)
          return "Send " + quoted(s.bytes);
        else if constexpr (std::is_same_v<T, StartTls>)
          return "StartTls";
        else if constexpr (std::is_same_v<T, Closed>)
          return s.update_done ? "Closed (after UPDATE)" : "Closed (no UPDATE)";
        else if constexpr (std::is_same_v<T, Received>)
          return "Received " + quoted(s.bytes);
        else if constexpr (std::is_same_v<T, CommandEvent>)
          return "Command " + describe(s.command);
        else if constexpr (std::is_same_v<T, ReplyEvent>) {
          std::string text = "Reply " + std::string(status_token(s.reply.status));
          if (s.reply.code) text += " [" + s.reply.code->text + "]";
          text += " " + s.reply.text;
          if (s.greeting) text += " (greeting)";
          return text;
        } else if constexpr (std::is_same_v<T, BodyChunk>) {
          return "BodyChunk " + std::to_string(s.data.size()) + " octets";
        } else if constexpr (std::is_same_v<T, StateChange>) {
          return "State " + std::string(state_name(s.from)) + " -> " +
                 std::string(state_name(s.to));
        } else if constexpr (std::is_same_v<T, SecretSeen>) {
          return "SecretSeen " + std::string(direction_name(s.direction)) + " " + s.label + " (" +
                 std::string(exposure_name(s.exposure)) + ", " + std::to_string(s.length) +
                 " octets at " + std::to_string(s.offset) + ")";
        } else if constexpr (std::is_same_v<T, AuthStep>) {
          return "AuthStep " + s.mechanism + " " + std::string(direction_name(s.direction)) + ": " +
                 s.description;
        } else if constexpr (std::is_same_v<T, InjectionDiscarded>) {
          return "InjectionDiscarded " + std::to_string(s.octets) + " octets";
        } else {
          static_assert(std::is_same_v<T, Violation>);
          return "Violation " + s.error.message() + (s.detail.empty() ? "" : ": " + s.detail) +
                 (s.fatal ? " (fatal)" : "");
        }
      },
      step);
}

}  // namespace

std::string_view side_name(Side side) noexcept {
  return side == Side::Client ? "client" : "server";
}

std::string_view event_kind_name(SimEvent::Kind kind) noexcept {
  switch (kind) {
    case SimEvent::Kind::SessionStep:
      return "step";
    case SimEvent::Kind::Delivered:
      return "delivered";
    case SimEvent::Kind::PeerClosed:
      return "peer-closed";
    case SimEvent::Kind::TlsUp:
      return "tls-up";
    case SimEvent::Kind::TlsFailed:
      return "tls-failed";
    case SimEvent::Kind::LinkCut:
      return "link-cut";
    case SimEvent::Kind::ClockAdvanced:
      return "clock";
    case SimEvent::Kind::Idle:
      return "idle";
  }
  return "?";
}

std::string describe(const SimEvent& e, TimePoint start) {
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(e.at - start).count();
  std::string ms = std::to_string(us / 1000) + "." + std::to_string(us % 1000 / 100) + " ms";
  std::string out = ms + "  ";
  switch (e.kind) {
    case SimEvent::Kind::SessionStep:
      return out + std::string(side_name(e.side)) + "  " + step_text(e.step);
    case SimEvent::Kind::Delivered:
      if (e.bytes.empty() && !e.detail.empty()) return out + "link    FIN: " + e.detail;
      return out + "link    " + std::string(direction_name(e.direction)) + " " +
             std::string(trace::channel_name(e.channel)) + " " + std::to_string(e.bytes.size()) +
             " octets " +
             (e.channel == trace::Channel::Plain ? quoted(e.bytes) : std::string("(TLS records)"));
    case SimEvent::Kind::ClockAdvanced:
      return out + "clock   now " + ms;
    case SimEvent::Kind::Idle:
      return out + "idle";
    case SimEvent::Kind::PeerClosed:
    case SimEvent::Kind::TlsUp:
    case SimEvent::Kind::TlsFailed:
      return out + std::string(side_name(e.side)) + "  " + std::string(event_kind_name(e.kind)) +
             ": " + e.detail;
    case SimEvent::Kind::LinkCut:
      return out + "link    cut: " + e.detail;
  }
  return out;
}

bool Exchange::ok() const noexcept {
  const Reply* r = last_reply();
  return !refused && r && r->ok();
}

const Reply* Exchange::last_reply() const noexcept {
  return replies.empty() ? nullptr : &replies.back().reply;
}

void Exchange::append(Exchange other) {
  if (!refused) refused = other.refused;
  auto move_all = [](auto& to, auto& from) {
    to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
  };
  move_all(replies, other.replies);
  move_all(client_states, other.client_states);
  move_all(server_states, other.server_states);
  move_all(client_violations, other.client_violations);
  move_all(server_violations, other.server_violations);
  move_all(events, other.events);
  tls_established = tls_established || other.tls_established;
  if (tls_failure.empty()) tls_failure = std::move(other.tls_failure);
  connection_lost = connection_lost || other.connection_lost;
  server_update_done = server_update_done || other.server_update_done;
}

}  // namespace pop3::sim
