#include "pop3/core/server_session.hpp"

#include <algorithm>
#include <exception>

#include "ascii.hpp"
#include "pop3/core/codec.hpp"
#include "pop3/core/command_table.hpp"

namespace pop3 {
namespace {

constexpr std::size_t kChunk = 64 * 1024;
constexpr std::chrono::seconds kMinAutologout{600};  // RFC 1939 §3

std::string line_end(const FramedLine& line) {
  return line.octets - line.text.size() == 1 ? "\n" : "\r\n";
}

}  // namespace

// A RETR or TOP body being sent: read from the maildrop piece by piece, cut after the
// requested number of body lines for TOP, stuffed, and queued as Sends.
struct ServerSession::Streaming {
  std::unique_ptr<MessageStream> stream;
  DotEncoder encoder;
  bool top = false;
  std::uint64_t lines_left = 0;  // TOP: body lines still to send
  bool in_headers = true;
  std::size_t line_octets = 0;   // octets of the current line so far, before its LF

  // Keeps the part of `data` that TOP sends; returns false once TOP has all it needs.
  bool filter(std::string_view& data) {
    if (!top) return true;
    std::size_t i = 0;
    while (i < data.size()) {
      if (!in_headers && lines_left == 0) {
        data = data.substr(0, i);
        return false;
      }
      const std::size_t lf = data.find('\n', i);
      if (lf == std::string_view::npos) {
        line_octets += data.size() - i;
        return true;
      }
      line_octets += lf - i;
      const bool empty_line = line_octets == 0 || (line_octets == 1 && lf > 0 && data[lf - 1] == '\r');
      if (in_headers) {
        if (empty_line) in_headers = false;
      } else {
        --lines_left;
      }
      line_octets = 0;
      i = lf + 1;
    }
    if (!in_headers && lines_left == 0) return false;
    return true;
  }
};

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

void ServerSession::feed(std::string_view bytes, TimePoint now) {
  if (closed_ || bytes.empty()) return;
  octets_in_ += bytes.size();
  last_activity_ = now;
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
    const auto autologout = config_.allow_short_autologout
                                ? config_.autologout
                                : std::max(config_.autologout, kMinAutologout);
    if (now >= last_activity_ + autologout) {
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

TimePoint ServerSession::deadline() const noexcept {
  if (hold_until_) return *hold_until_;
  const auto autologout = config_.allow_short_autologout
                              ? config_.autologout
                              : std::max(config_.autologout, kMinAutologout);
  return last_activity_ + autologout;
}

void ServerSession::handle_line(const FramedLine& line, TimePoint now) {
  const std::uint64_t offset = consumed_;
  consumed_ += line.octets;
  current_verb_.reset();
  if (line.kind == FramedLine::Kind::TooLong) {
    error_reply(Errc::line_too_long, "line too long: 255 octets at most, CRLF included (RFC 2449 §4)");
    return;
  }
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

void ServerSession::announce(const Command& command, const std::string& raw,
                             std::uint64_t offset) {
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
    std::string why = std::string(spec.name) + " is not valid in " + std::string(state_name(state_));
    if (command.verb == Verb::Pass) why = "PASS must follow a successful USER";
    else if (phase_of(state_) == Phase::Authorization) why += ": log in first";
    else if (state_ == State::Transaction) why += ": already logged in";
    error_reply(Errc::wrong_state, why);
    return;
  }
  switch (command.verb) {
    case Verb::User: do_user(command); break;
    case Verb::Pass: do_pass(command, now); break;
    case Verb::Apop: do_apop(command, now); break;
    case Verb::Auth: do_auth(command, raw, offset, now); break;
    case Verb::Stls: do_stls(); break;
    case Verb::Capa: do_capa(); break;
    case Verb::Utf8:
      if (!config_.offer_utf8) {
        error_reply(Errc::not_advertised, "UTF8 is not offered by this server");
      } else {
        utf8_ = true;
        reply(Status::Ok, "UTF8 enabled");
      }
      break;
    case Verb::Stat: do_stat(); break;
    case Verb::List: do_list(command, false); break;
    case Verb::Uidl: do_list(command, true); break;
    case Verb::Retr: do_retr(command, false); break;
    case Verb::Top: do_retr(command, true); break;
    case Verb::Dele: do_dele(command); break;
    case Verb::Noop: reply(Status::Ok, "nothing done"); break;
    case Verb::Rset: do_rset(); break;
    case Verb::Quit: do_quit(); break;
  }
}

bool ServerSession::plaintext_auth_allowed() const noexcept {
  return !config_.plaintext_auth_requires_tls || config_.tls_active;
}

std::vector<std::string> ServerSession::offered_mechanisms() const {
  std::vector<std::string> mechanisms = authenticator_.sasl_mechanisms();
  if (!plaintext_auth_allowed()) {
    std::erase_if(mechanisms, [](const std::string& m) { return m == "PLAIN" || m == "LOGIN"; });
  }
  return mechanisms;
}

Capabilities ServerSession::capabilities() const {
  Capabilities caps;
  const bool authorization = phase_of(state_) == Phase::Authorization;
  caps.add({"TOP", {}});
  if (authorization && plaintext_auth_allowed()) caps.add({"USER", {}});
  if (authorization) {
    auto mechanisms = offered_mechanisms();
    if (!mechanisms.empty()) caps.add({"SASL", std::move(mechanisms)});
  }
  caps.add({"RESP-CODES", {}});
  caps.add({"AUTH-RESP-CODE", {}});
  if (config_.offer_pipelining) caps.add({"PIPELINING", {}});
  caps.add({"UIDL", {}});
  if (authorization && config_.tls_available && !config_.tls_active) caps.add({"STLS", {}});
  if (config_.offer_utf8) caps.add({"UTF8", {}});
  if (config_.expire_days) {
    caps.add({"EXPIRE", {*config_.expire_days < 0 ? "NEVER" : std::to_string(*config_.expire_days)}});
  }
  if (config_.login_delay_seconds) {
    caps.add({"LOGIN-DELAY", {std::to_string(*config_.login_delay_seconds)}});
  }
  if (!config_.implementation.empty()) caps.add({"IMPLEMENTATION", {config_.implementation}});
  return caps;
}

void ServerSession::do_user(const Command& c) {
  if (!plaintext_auth_allowed()) {
    error_reply(Errc::not_advertised, "plaintext login is disabled until TLS is active (use STLS)",
                ResponseCode::auth());
    move(Signal::Reply, Verb::User, Outcome::Err);
    return;
  }
  user_ = c.args[0];
  reply(Status::Ok, "send PASS");
  move(Signal::Reply, Verb::User, Outcome::Ok);
}

void ServerSession::do_pass(const Command& c, TimePoint now) {
  emit(AuthStep{"USER/PASS", Direction::ClientToServer,
                "PASS " + std::string(Secret::redacted) + " for user " + user_});
  AuthDecision decision = authenticator_.check_user_pass(user_, Secret(c.args[0]));
  if (decision.accepted()) {
    login_succeeded(decision.user, Signal::Reply, Verb::Pass);
  } else {
    login_failed(Signal::Reply, Verb::Pass, decision, now);
  }
}

void ServerSession::do_apop(const Command& c, TimePoint now) {
  if (config_.apop_timestamp.empty() || !authenticator_.apop_available()) {
    error_reply(Errc::not_advertised, "APOP is not offered by this server");
    return;
  }
  emit(AuthStep{"APOP", Direction::ClientToServer,
                "MD5(timestamp + password) for user " + c.args[0]});
  AuthDecision decision = authenticator_.check_apop(c.args[0], config_.apop_timestamp, c.args[1]);
  if (decision.accepted()) {
    login_succeeded(decision.user, Signal::Reply, Verb::Apop);
  } else {
    login_failed(Signal::Reply, Verb::Apop, decision, now);
  }
}

void ServerSession::do_auth(const Command& c, const std::string& raw, std::uint64_t offset,
                            TimePoint now) {
  if (c.args.empty()) {
    reply_multiline("SASL mechanisms follow", offered_mechanisms(), Verb::Auth);
    return;
  }
  const std::string name = detail::upper(c.args[0]);
  const auto offered = offered_mechanisms();
  if (std::find(offered.begin(), offered.end(), name) == offered.end() ||
      !(sasl_ = authenticator_.start_sasl(name))) {
    announce(c, raw, offset);
    const bool plaintext = name == "PLAIN" || name == "LOGIN";
    error_reply(Errc::not_advertised,
                plaintext && !plaintext_auth_allowed()
                    ? name + " is disabled until TLS is active (use STLS)"
                    : "mechanism " + name.substr(0, 20) + " is not offered",
                plaintext ? std::optional(ResponseCode::auth()) : std::nullopt);
    move(Signal::Reply, Verb::Auth, Outcome::Err);
    return;
  }
  sasl_name_ = name;
  std::optional<std::string_view> initial;
  if (c.args.size() == 2) initial = c.args[1];
  SaslStep step = sasl_->start(initial);
  Command shown = c;
  if (initial && step.client_exposure != Exposure::None) {
    const std::size_t at = raw.size() - line_end_size(raw) - c.args[1].size();
    emit(SecretSeen{Direction::ClientToServer, offset + at, c.args[1].size(), step.client_exposure,
                    "AUTH " + name + " initial response"});
    shown.args[1] = std::string(Secret::redacted);
  }
  announce(shown, raw, offset);
  emit(AuthStep{name, Direction::ClientToServer,
                initial ? "AUTH " + name + " with an initial response" : "AUTH " + name});
  sasl_result(step, Signal::Reply, Verb::Auth, now);
}

std::size_t ServerSession::line_end_size(const std::string& raw) noexcept {
  return raw.size() >= 2 && raw[raw.size() - 2] == '\r' ? 2 : 1;
}

void ServerSession::handle_sasl_line(const std::string& text, const std::string& raw,
                                     std::uint64_t offset, TimePoint now) {
  if (text == "*") {
    emit(Received{raw, offset, false});
    emit(AuthStep{sasl_name_, Direction::ClientToServer, "\"*\": the client cancelled"});
    authenticator_.sasl_finished(sasl_name_, false, "");
    sasl_.reset();
    framer_.set_max_line(kMaxCommandLine);
    error_reply(Errc::auth_cancelled, "authentication cancelled by the client");
    move(Signal::SaslResponse, std::nullopt, Outcome::Err);
    return;
  }
  SaslStep step = sasl_->step(text);
  if (step.client_exposure != Exposure::None && !text.empty()) {
    emit(SecretSeen{Direction::ClientToServer, offset, text.size(), step.client_exposure,
                    sasl_name_ + " response"});
  }
  emit(Received{raw, offset, false});
  emit(AuthStep{sasl_name_, Direction::ClientToServer,
                text.empty() ? "empty response" : "response of " + std::to_string(text.size()) +
                                                      " base64 characters"});
  sasl_result(step, Signal::SaslResponse, std::nullopt, now);
}

void ServerSession::sasl_result(const SaslStep& step, Signal signal, std::optional<Verb> verb,
                                TimePoint now) {
  switch (step.kind) {
    case SaslStep::Kind::Challenge:
      emit(AuthStep{sasl_name_, Direction::ServerToClient,
                    !step.explanation.empty() ? step.explanation
                    : step.challenge.empty()  ? "empty challenge"
                                              : "challenge"});
      framer_.set_max_line(kMaxSaslLine);
      reply(Status::Continue, step.challenge);
      move(signal, verb, Outcome::Continue);
      return;
    case SaslStep::Kind::Success: {
      authenticator_.sasl_finished(sasl_name_, true, step.user);
      sasl_.reset();
      framer_.set_max_line(kMaxCommandLine);
      login_succeeded(step.user, signal, verb);
      return;
    }
    case SaslStep::Kind::Failure: {
      authenticator_.sasl_finished(sasl_name_, false, "");
      sasl_.reset();
      framer_.set_max_line(kMaxCommandLine);
      AuthDecision decision;
      decision.reason = step.reason;
      decision.response_code = step.response_code;
      decision.penalty = step.penalty;
      login_failed(signal, verb, decision, now);
      return;
    }
    case SaslStep::Kind::Malformed:
      authenticator_.sasl_finished(sasl_name_, false, "");
      sasl_.reset();
      framer_.set_max_line(kMaxCommandLine);
      error_reply(Errc::bad_base64,
                  step.reason.empty() ? "malformed SASL response (invalid base64?)" : step.reason);
      move(signal, verb, Outcome::Err);
      return;
  }
}

void ServerSession::login_succeeded(const std::string& user, Signal signal,
                                    std::optional<Verb> verb) {
  MaildropOpen opened = maildrops_.open(user);
  switch (opened.outcome) {
    case MaildropOpen::Outcome::InUse:
      reply(Status::Err, "maildrop is locked by another session", ResponseCode::in_use());
      emit(Violation{make_error_code(Errc::maildrop_in_use), opened.reason, false});
      move(signal, verb, Outcome::Err);
      return;
    case MaildropOpen::Outcome::Unavailable:
      reply(Status::Err, "cannot open the maildrop", ResponseCode::sys_temp());
      emit(Violation{make_error_code(Errc::maildrop_unavailable), opened.reason, false});
      move(signal, verb, Outcome::Err);
      return;
    case MaildropOpen::Outcome::Opened: break;
  }
  maildrop_ = std::move(opened.maildrop);
  user_ = user;
  reply(Status::Ok, user_ + "'s maildrop has " + std::to_string(maildrop_->live_count()) +
                        " messages (" + std::to_string(maildrop_->live_octets()) + " octets)");
  move(signal, verb, Outcome::Ok);
}

void ServerSession::login_failed(Signal signal, std::optional<Verb> verb,
                                 const AuthDecision& decision, TimePoint now) {
  const auto delay = config_.failed_auth_delay + decision.penalty;
  if (delay.count() > 0) {
    hold_until_ = now + delay;
    held_from_ = queue_.size();
  }
  const bool temporary = decision.outcome == AuthDecision::Outcome::TemporaryFailure;
  ResponseCode code{decision.response_code.empty() ? (temporary ? "SYS/TEMP" : "AUTH")
                                                   : decision.response_code};
  reply(Status::Err, temporary ? "authentication is unavailable, try again later"
                               : "authentication failed",
        code);
  emit(Violation{make_error_code(Errc::authentication_failed), decision.reason, false});
  ++consecutive_errors_;
  move(signal, verb, Outcome::Err);
}

void ServerSession::do_stls() {
  if (config_.tls_active) {
    error_reply(Errc::not_advertised, "the connection is already under TLS");
    return;
  }
  if (!config_.tls_available) {
    error_reply(Errc::not_advertised, "STLS is not offered by this server");
    return;
  }
  reply(Status::Ok, "begin TLS negotiation now");
  move(Signal::Reply, Verb::Stls, Outcome::Ok);
  std::string injected = framer_.take_buffered();
  if (!injected.empty()) {
    // RFC 2595 §4 / CVE-2011-0411: whatever followed STLS in the same plaintext must not
    // be executed after the upgrade.
    emit(Received{injected, consumed_, false});
    consumed_ += injected.size();
    emit(InjectionDiscarded{Direction::ClientToServer, injected.size()});
    emit(Violation{make_error_code(Errc::tls_injection),
                   std::to_string(injected.size()) + " octets sent behind STLS were discarded",
                   false});
  }
  tls_pending_ = true;
  emit(StartTls{});
}

void ServerSession::tls_established(TimePoint now) {
  if (!tls_pending_) {
    emit(Violation{make_error_code(Errc::no_tls_pending), "tls_established() without STLS", false});
    return;
  }
  tls_pending_ = false;
  config_.tls_active = true;
  user_.clear();
  framer_.take_buffered();
  last_activity_ = now;
  move(Signal::TlsEstablished, std::nullopt, Outcome::Ok);
}

void ServerSession::tls_failed() {
  if (closed_) return;
  tls_pending_ = false;
  move(Signal::TlsFailed, std::nullopt, Outcome::Any);
  close_now(false);
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

void ServerSession::do_stat() {
  reply(Status::Ok, std::to_string(maildrop_->live_count()) + " " +
                        std::to_string(maildrop_->live_octets()));
}

std::optional<std::size_t> ServerSession::message_number(const std::string& arg,
                                                         bool allow_deleted) {
  const auto n = detail::parse_decimal(arg).value_or(0);
  if (n == 0 || n > maildrop_->count()) {
    error_reply(Errc::no_such_message, "no such message, only " +
                                           std::to_string(maildrop_->count()) +
                                           " messages in maildrop");
    return std::nullopt;
  }
  const auto number = static_cast<std::size_t>(n);
  if (!allow_deleted && maildrop_->is_deleted(number)) {
    error_reply(Errc::message_deleted, "message " + arg + " already deleted");
    return std::nullopt;
  }
  return number;
}

void ServerSession::do_list(const Command& c, bool uidl) {
  auto value = [&](std::size_t n) {
    return uidl ? maildrop_->info(n).uidl : std::to_string(maildrop_->info(n).octets);
  };
  if (!c.args.empty()) {
    if (auto n = message_number(c.args[0], false))
      reply(Status::Ok, std::to_string(*n) + " " + value(*n));
    return;
  }
  std::vector<std::string> lines;
  for (std::size_t n = 1; n <= maildrop_->count(); ++n)
    if (!maildrop_->is_deleted(n)) lines.push_back(std::to_string(n) + " " + value(n));
  const std::string text =
      uidl ? "unique-id listing follows"
           : std::to_string(maildrop_->live_count()) + " messages (" +
                 std::to_string(maildrop_->live_octets()) + " octets)";
  reply_multiline(text, std::move(lines), uidl ? Verb::Uidl : Verb::List);
}

void ServerSession::do_retr(const Command& c, bool top) {
  auto n = message_number(c.args[0], false);
  if (!n) return;
  const MessageInfo& info = maildrop_->info(*n);
  if (config_.max_message_octets > 0 && info.octets > config_.max_message_octets) {
    error_reply(Errc::maildrop_unavailable,
                "message " + c.args[0] + " is larger than this server will send",
                ResponseCode::sys_perm());
    return;
  }
  auto streaming = std::make_unique<Streaming>();
  try {
    streaming->stream = maildrop_->open_message(*n);
  } catch (const std::exception& e) {
    emit(Violation{make_error_code(Errc::maildrop_unavailable), e.what(), false});
  }
  if (!streaming->stream) {
    error_reply(Errc::maildrop_unavailable, "cannot read message " + c.args[0],
                ResponseCode::sys_temp());
    return;
  }
  if (top) {
    streaming->top = true;
    streaming->lines_left = detail::parse_decimal(c.args[1]).value_or(0);
  }
  Reply status = Reply::positive(top ? "top of message follows"
                                     : std::to_string(info.octets) + " octets");
  status.multiline = true;
  send(serialize_status_line(Status::Ok, std::nullopt, status.text));
  emit(ReplyEvent{current_verb_, std::move(status), false});
  consecutive_errors_ = 0;
  streaming_ = std::move(streaming);
}

void ServerSession::pump_stream() {
  std::string out;
  std::string buffer(kChunk, '\0');
  bool more = true;
  try {
    const std::size_t got = streaming_->stream->read(buffer.data(), buffer.size());
    std::string_view data(buffer.data(), got);
    if (got == 0 || !streaming_->filter(data)) more = false;
    streaming_->encoder.encode(data, out);
  } catch (const std::exception& e) {
    // Half a message must never look like a whole one: end the connection without the
    // terminating line, so the client cannot take it as complete.
    streaming_.reset();
    emit(Violation{make_error_code(Errc::maildrop_unavailable),
                   std::string("message read failed mid-transfer: ") + e.what(), true});
    maildrop_.reset();
    move(Signal::Shutdown, std::nullopt, Outcome::Any);
    close_now(false);
    return;
  }
  if (!more) {
    streaming_->encoder.finish(out);
    streaming_.reset();
  }
  if (!out.empty()) send(std::move(out));
}

void ServerSession::do_dele(const Command& c) {
  if (auto n = message_number(c.args[0], false)) {
    maildrop_->mark_deleted(*n);
    reply(Status::Ok, "message " + std::to_string(*n) + " deleted");
  }
}

void ServerSession::do_rset() {
  maildrop_->unmark_all();
  reply(Status::Ok, "maildrop has " + std::to_string(maildrop_->live_count()) + " messages (" +
                        std::to_string(maildrop_->live_octets()) + " octets)");
}

void ServerSession::do_quit() {
  if (state_ != State::Transaction) {
    reply(Status::Ok, config_.server_name + " POP3 server signing off");
    move(Signal::Reply, Verb::Quit, Outcome::Ok);
    close_now(false);
    return;
  }
  move(Signal::Reply, Verb::Quit, Outcome::Any);  // TRANSACTION -> UPDATE
  UpdateResult result;
  try {
    result = maildrop_->commit();
  } catch (const std::exception& e) {
    result.failed = 1;
    result.error = e.what();
  }
  const std::size_t left = maildrop_->count() - result.removed;
  maildrop_.reset();
  update_done_ = true;
  if (result.ok()) {
    // RFC 1939 §6's wording, so the RFC's example session replays byte for byte.
    reply(Status::Ok, config_.server_name + " POP3 server signing off (" +
                          (left == 0 ? std::string("maildrop empty")
                                     : std::to_string(left) + " messages left") +
                          ")");
    move(Signal::UpdateFinished, std::nullopt, Outcome::Ok);
  } else {
    reply(Status::Err, "some deleted messages were not removed", ResponseCode::sys_temp());
    emit(Violation{make_error_code(Errc::maildrop_unavailable), result.error, false});
    move(Signal::UpdateFinished, std::nullopt, Outcome::Err);
  }
  close_now(true);
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

void ServerSession::emit(Step step) { queue_.push_back(std::move(step)); }

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
