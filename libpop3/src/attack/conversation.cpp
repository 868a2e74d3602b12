#include "pop3/attack/conversation.hpp"

#include <variant>

#include "pop3/core/codec.hpp"
#include "pop3/core/command_table.hpp"

namespace pop3::attack {

std::string_view line_kind_name(LineKind kind) noexcept {
  switch (kind) {
    case LineKind::Greeting:
      return "greeting";
    case LineKind::Command:
      return "command";
    case LineKind::SaslResponse:
      return "sasl-response";
    case LineKind::Status:
      return "status";
    case LineKind::Continuation:
      return "continuation";
    case LineKind::BodyLine:
      return "body-line";
    case LineKind::BodyEnd:
      return "body-end";
    case LineKind::Unexpected:
      return "unexpected";
  }
  return "?";
}

std::optional<Verb> ConversationFollower::awaiting() const noexcept {
  if (pending_.empty()) return std::nullopt;
  return pending_.front().verb;
}

LineInfo ConversationFollower::client_line(std::string_view line) {
  LineInfo info;
  if (tls_) return info;
  if (!pending_.empty() && pending_.back().sasl) {
    info.kind = LineKind::SaslResponse;
    info.verb = Verb::Auth;
    challenge_open_ = false;
    return info;
  }
  info.kind = LineKind::Command;
  Pending p;
  auto parsed = parse_command(line);
  if (auto* command = std::get_if<Command>(&parsed)) {
    p.verb = command->verb;
    p.args = command->args.size();
    info.command = std::move(*command);
  } else {
    // Not valid by the table (too long, bad argument): still a command for matching.
    const std::string_view keyword = line.substr(0, line.find(' '));
    p.verb = parse_verb(keyword);
    for (std::size_t i = keyword.size(); i < line.size(); ++i)
      if (line[i] == ' ' && i + 1 < line.size() && line[i + 1] != ' ') ++p.args;
  }
  p.sasl = p.verb == Verb::Auth && p.args >= 1;
  info.verb = p.verb;
  pending_.push_back(p);
  return info;
}

LineInfo ConversationFollower::server_line(std::string_view line) {
  LineInfo info;
  if (tls_) return info;
  if (!greeted_) {
    greeted_ = true;
    info.kind = LineKind::Greeting;
    info.ok = line.starts_with("+OK");
    return info;
  }
  if (in_body_) {
    info.verb = pending_.front().verb;
    if (line == ".") {
      info.kind = LineKind::BodyEnd;
      in_body_ = false;
      pending_.pop_front();
    } else {
      info.kind = LineKind::BodyLine;
    }
    return info;
  }
  if (pending_.empty()) return info;
  const Pending p = pending_.front();
  info.verb = p.verb;
  if (p.sasl && (line == "+" || line.starts_with("+ "))) {
    info.kind = LineKind::Continuation;
    challenge_open_ = true;
    return info;
  }
  if (line.starts_with("+OK")) {
    info.kind = LineKind::Status;
    info.ok = true;
    challenge_open_ = false;
    if (p.verb == Verb::Stls) tls_ = true;
    if (p.verb && expects_multiline(*p.verb, p.args))
      in_body_ = true;
    else
      pending_.pop_front();
    return info;
  }
  if (line.starts_with("-ERR")) {
    info.kind = LineKind::Status;
    challenge_open_ = false;
    pending_.pop_front();
    return info;
  }
  return info;  // Unexpected
}

}  // namespace pop3::attack
