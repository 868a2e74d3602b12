#include "session_log.hpp"

#include <spdlog/spdlog.h>

#include "pop3/core/command.hpp"
#include "pop3/core/reply.hpp"
#include "pop3/core/state.hpp"

namespace pop3::server {

std::string log_value(std::string_view text) {
  bool plain = !text.empty();
  for (char c : text)
    if (c == ' ' || c == '"' || c == '=' || static_cast<unsigned char>(c) < 0x20) plain = false;
  if (plain) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      out += '?';
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string SessionLog::prefix(const std::string& event) const {
  return "session=" + std::to_string(session_) + " peer=" + log_value(peer_) + " event=" + event;
}

void SessionLog::info(const std::string& event, const std::string& details) {
  logger_->info("{}{}{}", prefix(event), details.empty() ? "" : " ", details);
}

void SessionLog::warn(const std::string& event, const std::string& details) {
  logger_->warn("{}{}{}", prefix(event), details.empty() ? "" : " ", details);
}

void SessionLog::step(const Step& step) {
  if (auto* c = std::get_if<CommandEvent>(&step)) {
    info("command", "command=" + log_value(describe(c->command)));
  } else if (auto* r = std::get_if<ReplyEvent>(&step)) {
    std::string d = "status=" + std::string(status_token(r->reply.status));
    if (r->reply.code) d += " code=" + log_value(r->reply.code->text);
    if (r->reply.status != Status::Continue) d += " text=" + log_value(r->reply.text);
    info(r->greeting ? "greeting" : "reply", d);
  } else if (auto* s = std::get_if<StateChange>(&step)) {
    info("state",
         "from=" + std::string(state_name(s->from)) + " to=" + std::string(state_name(s->to)));
  } else if (auto* a = std::get_if<AuthStep>(&step)) {
    info("auth", "mechanism=" + log_value(a->mechanism) +
                     " direction=" + std::string(direction_name(a->direction)) +
                     " step=" + log_value(a->description));
  } else if (auto* i = std::get_if<InjectionDiscarded>(&step)) {
    warn("injection-discarded", "octets=" + std::to_string(i->octets));
  } else if (auto* v = std::get_if<Violation>(&step)) {
    const std::string details =
        "error=" + log_value(v->error.message()) + " detail=" + log_value(v->detail);
    if (v->fatal) {
      warn("violation", details);
    } else {
      info("violation", details);
    }
  } else if (auto* c2 = std::get_if<Closed>(&step)) {
    info("closed", std::string("update=") + (c2->update_done ? "yes" : "no"));
  }
}

}  // namespace pop3::server
