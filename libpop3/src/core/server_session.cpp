#include "pop3/core/server_session.hpp"

#include <algorithm>
#include <exception>

#include "ascii.hpp"
#include "pop3/core/codec.hpp"
#include "pop3/core/command_table.hpp"
#include "server_streaming.hpp"

namespace pop3 {
namespace {

constexpr std::chrono::seconds kMinAutologout{600};  // RFC 1939 §3

std::string line_end(const FramedLine& line) {
  return line.octets - line.text.size() == 1 ? "\n" : "\r\n";
}

}  // namespace

ServerSession::ServerSession(ServerConfig config, Authenticator& authenticator,
                             MaildropProvider& maildrops, TimePoint now)
    : config_(std::move(config)),
      authenticator_(authenticator),
      maildrops_(maildrops),
      framer_(FramingOptions{kMaxCommandLine, config_.accept_bare_lf}),
      last_activity_(now) {
  greet();
}

ServerSession::~ServerSession() = default;

void ServerSession::greet() {
  std::string text = config_.greeting;
  if (!config_.apop_timestamp.empty() && authenticator_.apop_available()) {
    text += ' ';
    text += config_.apop_timestamp;
  }
  Reply greeting = Reply::positive(text);
  send(serialize_status_line(Status::Ok, std::nullopt, text));
  emit(ReplyEvent{std::nullopt, std::move(greeting), true});
}

void ServerSession::feed(std::string_view bytes, TimePoint /*now*/) {
  if (closed_ || bytes.empty()) return;
  octets_in_ += bytes.size();
  // Bytes alone do not reset the autologout timer (handle_line does): RFC 1939 §3 counts
  // commands, and a client trickling a line that never ends must not hold its maildrop
  // for ever.
  if (tls_pending_) {
    // The driver must not feed plaintext while the handshake runs; drop it, as the
    // STARTTLS rule requires for anything that arrives behind STLS.
    emit(InjectionDiscarded{Direction::ClientToServer, bytes.size()});
    consumed_ += bytes.size();
    return;
  }
  framer_.feed(bytes);
}

Step ServerSession::next(TimePoint now) {
  if (hold_until_ && now >= *hold_until_) hold_until_.reset();
  for (;;) {
    if (!queue_.empty() && (!hold_until_ || held_from_ > 0)) {
      Step step = std::move(queue_.front());
      queue_.pop_front();
      if (hold_until_) --held_from_;
      return step;
    }
    if (hold_until_) return NeedInput{};
    if (closed_) {
      closed_reported_ = true;
      return Closed{update_done_};
    }
    if (streaming_) {
      pump_stream();
      continue;
    }
    if (tls_pending_) return NeedInput{};
    if (now >= autologout_at()) {
      reply(Status::Err, "autologout timer expired, closing the connection");
      emit(Violation{make_error_code(Errc::autologout), "no command for too long", true});
      move(Signal::Autologout, std::nullopt, Outcome::Any);
      close_now(false);
      continue;
    }
    FramedLine line = framer_.next();
    if (line.kind == FramedLine::Kind::NeedMore) return NeedInput{};
    handle_line(line, now);
    if (consecutive_errors_ >= config_.max_errors && !closed_) {
      reply(Status::Err, "too many bad commands, closing the connection");
      emit(Violation{make_error_code(Errc::too_many_errors), "too many bad commands", true});
      move(Signal::Shutdown, std::nullopt, Outcome::Any);
      close_now(false);
    }
  }
}

Duration ServerSession::autologout_period() const noexcept {
  return config_.allow_short_autologout ? Duration(config_.autologout)
                                        : Duration(std::max(config_.autologout, kMinAutologout));
}

TimePoint ServerSession::autologout_at() const noexcept {
  return last_activity_ + autologout_period();
}

TimePoint ServerSession::deadline() const noexcept {
  return hold_until_ ? *hold_until_ : autologout_at();
}

void ServerSession::handle_line(const FramedLine& line, TimePoint now) {
  const std::uint64_t offset = consumed_;
  consumed_ += line.octets;
  current_verb_.reset();
  if (line.kind == FramedLine::Kind::TooLong) {
    error_reply(Errc::line_too_long,
                "line too long: 255 octets at most, CRLF included (RFC 2449 §4)");
    return;
  }
  last_activity_ = now;  // a command (or a SASL response) came
  const std::string raw = line.text + line_end(line);
  if (state_ == State::SaslExchange) {
    handle_sasl_line(line.text, raw, offset, now);
    return;
  }
  if (line.bare_lf) {
    emit(Received{raw, offset, false});
    error_reply(Errc::bare_line_feed, "lines must end with CRLF, not LF alone");
    return;
  }
  auto parsed = parse_command(line.text);
  if (auto* problem = std::get_if<ParseError>(&parsed)) {
    emit(Received{raw, offset, false});
    error_reply(problem->code, problem->message);
    return;
  }
  handle_command(std::get<Command>(parsed), raw, offset, now);
}

void ServerSession::announce(const Command& command, const std::string& raw, std::uint64_t offset) {
  emit(Received{raw, offset, false});
  emit(CommandEvent{command});
}

void ServerSession::handle_command(const Command& command, const std::string& raw,
                                   std::uint64_t offset, TimePoint now) {
  const CommandSpec& spec = spec_of(command.verb);
  current_verb_ = command.verb;
  if (auto range = secret_range(command)) {
    emit(SecretSeen{Direction::ClientToServer, offset + range->offset, range->length,
                    spec.secret_exposure, std::string(spec.name) + " argument"});
  }
  if (command.verb == Verb::Auth && spec.legal.contains(state_) && !command.args.empty()) {
    do_auth(command, raw, offset, now);  // announces itself once it knows the exposure
    return;
  }
  announce(command, raw, offset);
  if (!spec.legal.contains(state_)) {
    std::string why =
        std::string(spec.name) + " is not valid in " + std::string(state_name(state_));
    if (command.verb == Verb::Pass)
      why = "PASS must follow a successful USER";
    else if (phase_of(state_) == Phase::Authorization)
      why += ": log in first";
    else if (state_ == State::Transaction)
      why += ": already logged in";
    error_reply(Errc::wrong_state, why);
    return;
  }
  switch (command.verb) {
    case Verb::User:
      do_user(command);
      break;
    case Verb::Pass:
      do_pass(command, now);
      break;
    case Verb::Apop:
      do_apop(command, now);
      break;
    case Verb::Auth:
      do_auth(command, raw, offset, now);
      break;
    case Verb::Stls:
      do_stls();
      break;
    case Verb::Capa:
      do_capa();
      break;
    case Verb::Utf8:
      if (!config_.offer_utf8) {
        error_reply(Errc::not_advertised, "UTF8 is not offered by this server");
      } else {
        utf8_ = true;
        reply(Status::Ok, "UTF8 enabled");
      }
      break;
    case Verb::Stat:
      do_stat();
      break;
    case Verb::List:
      do_list(command, false);
      break;
    case Verb::Uidl:
      do_list(command, true);
      break;
    case Verb::Retr:
      do_retr(command, false);
      break;
    case Verb::Top:
      do_retr(command, true);
      break;
    case Verb::Dele:
      do_dele(command);
      break;
    case Verb::Noop:
      reply(Status::Ok, "nothing done");
      break;
    case Verb::Rset:
      do_rset();
      break;
    case Verb::Quit:
      do_quit();
      break;
  }
}

Capabilities ServerSession::capabilities() const {
  Capabilities caps;
  // RFC 2449 §5: "Capabilities available in the AUTHORIZATION state MUST be announced in
  // both states", so USER, SASL and STLS are listed in TRANSACTION too.
  caps.add({"TOP", {}});
  if (plaintext_auth_allowed()) caps.add({"USER", {}});
  if (auto mechanisms = offered_mechanisms(); !mechanisms.empty())
    caps.add({"SASL", std::move(mechanisms)});
  caps.add({"RESP-CODES", {}});
  caps.add({"AUTH-RESP-CODE", {}});
  if (config_.offer_pipelining) caps.add({"PIPELINING", {}});
  caps.add({"UIDL", {}});
  if (config_.tls_available && !config_.tls_active) caps.add({"STLS", {}});
  if (config_.offer_utf8) caps.add({"UTF8", {}});
  if (config_.expire_days) {
    caps.add(
        {"EXPIRE", {*config_.expire_days < 0 ? "NEVER" : std::to_string(*config_.expire_days)}});
  }
  if (config_.login_delay_seconds) {
    caps.add({"LOGIN-DELAY", {std::to_string(*config_.login_delay_seconds)}});
  }
  if (!config_.implementation.empty()) caps.add({"IMPLEMENTATION", {config_.implementation}});
  return caps;
}

void ServerSession::connection_lost() {
  if (closed_) return;
  maildrop_.reset();  // releases the lock; never commits
  move(Signal::ConnectionLost, std::nullopt, Outcome::Any);
  close_now(false);
}

void ServerSession::shutdown(std::string_view reason) {
  if (closed_) return;
  streaming_.reset();
  hold_until_.reset();
  reply(Status::Err, std::string(reason), ResponseCode::sys_temp());
  maildrop_.reset();
  move(Signal::Shutdown, std::nullopt, Outcome::Any);
  close_now(false);
}

void ServerSession::do_capa() {
  reply_multiline("capability list follows", capabilities().to_lines(), Verb::Capa);
}

void ServerSession::reply(Status status, std::string text, std::optional<ResponseCode> code) {
  send(serialize_status_line(status, code, text));
  emit(ReplyEvent{current_verb_, Reply::make(status, std::move(code), std::move(text)), false});
  if (status == Status::Ok) consecutive_errors_ = 0;
}

void ServerSession::reply_multiline(std::string text, std::vector<std::string> lines, Verb verb) {
  Reply r = Reply::positive(std::move(text));
  r.multiline = true;
  r.lines = std::move(lines);
  send(serialize_reply(r));
  emit(ReplyEvent{verb, std::move(r), false});
  consecutive_errors_ = 0;
}

void ServerSession::error_reply(Errc error, std::string text, std::optional<ResponseCode> code) {
  emit(Violation{make_error_code(error), text, false});
  reply(Status::Err, std::move(text), std::move(code));
  ++consecutive_errors_;
}

void ServerSession::move(Signal signal, std::optional<Verb> verb, Outcome outcome) {
  const Transition* t = find_transition(state_, signal, verb, outcome);
  if (!t || t->to == state_) return;
  emit(StateChange{state_, t->to, std::string(t->why)});
  state_ = t->to;
}

void ServerSession::close_now(bool update_done) {
  closed_ = true;
  update_done_ = update_done;
  streaming_.reset();
}

void ServerSession::emit(Step step) {
  queue_.push_back(std::move(step));
}

void ServerSession::send(std::string bytes) {
  octets_out_ += bytes.size();
  if (!hold_until_ && !queue_.empty()) {
    if (auto* last = std::get_if<Send>(&queue_.back())) {
      last->bytes += bytes;
      return;
    }
  }
  queue_.push_back(Send{std::move(bytes)});
}

}  // namespace pop3
