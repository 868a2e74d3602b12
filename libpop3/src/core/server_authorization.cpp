// The AUTHORIZATION side of ServerSession: USER/PASS, APOP, AUTH (SASL framing), STLS,
// and what happens when a login succeeds or fails.
#include <algorithm>
#include <exception>

#include "ascii.hpp"
#include "pop3/core/codec.hpp"
#include "pop3/core/command_table.hpp"
#include "pop3/core/server_session.hpp"

namespace pop3 {

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
                text.empty()
                    ? "empty response"
                    : "response of " + std::to_string(text.size()) + " base64 characters"});
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
    case MaildropOpen::Outcome::Opened:
      break;
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
  reply(Status::Err,
        temporary ? "authentication is unavailable, try again later" : "authentication failed",
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

}  // namespace pop3
