#include "pop3/core/client_session.hpp"

#include "ascii.hpp"
#include "pop3/core/codec.hpp"
#include "pop3/core/command_table.hpp"
#include "pop3/core/secret.hpp"

namespace pop3 {
namespace {

Outcome outcome_of(Status status) {
  switch (status) {
    case Status::Ok:
      return Outcome::Ok;
    case Status::Err:
      return Outcome::Err;
    case Status::Continue:
      return Outcome::Continue;
  }
  return Outcome::Any;
}

std::vector<std::string> split_lines(const std::string& body) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < body.size()) {
    std::size_t lf = body.find('\n', start);
    if (lf == std::string::npos) lf = body.size();
    std::size_t end = lf;
    if (end > start && body[end - 1] == '\r') --end;
    lines.push_back(body.substr(start, end - start));
    start = lf + 1;
  }
  return lines;
}

std::size_t count_words(std::string_view s) {
  std::size_t n = 0;
  bool in_word = false;
  for (char c : s) {
    if (c == ' ') {
      in_word = false;
    } else if (!in_word) {
      in_word = true;
      ++n;
    }
  }
  return n;
}

}  // namespace

ClientSession::ClientSession(ClientConfig config)
    : config_(config),
      framer_(FramingOptions{kMaxReplyLine, config.accept_bare_lf}),
      decoder_(DotDecoder::Options{config.accept_bare_lf}) {}

ClientSession::~ClientSession() = default;
ClientSession::ClientSession(ClientSession&&) noexcept = default;
ClientSession& ClientSession::operator=(ClientSession&&) noexcept = default;

void ClientSession::feed(std::string_view bytes) {
  if (closed_ || bytes.empty()) return;
  octets_in_ += bytes.size();
  if (tls_pending_) {
    // Anything before the handshake completes that reaches the session is plaintext
    // the server (or someone on the path) slipped in: never interpret it.
    emit(InjectionDiscarded{Direction::ServerToClient, bytes.size()});
    in_offset_ += bytes.size();
    return;
  }
  framer_.feed(bytes);
}

Step ClientSession::next() {
  for (;;) {
    if (!queue_.empty()) {
      Step step = std::move(queue_.front());
      queue_.pop_front();
      return step;
    }
    if (closed_) {
      closed_reported_ = true;
      return Closed{update_done_};
    }
    if (tls_pending_) return NeedInput{};
    if (in_body_) {
      std::string data = framer_.take_buffered();
      if (data.empty()) return NeedInput{};
      read_body(data);
      continue;
    }
    FramedLine line = framer_.next();
    if (line.kind == FramedLine::Kind::NeedMore) return NeedInput{};
    handle_status_line(line);
  }
}

void ClientSession::read_body(const std::string& data) {
  std::string out;
  const std::size_t used = decoder_.decode(data, out);
  emit(Received{data.substr(0, used), in_offset_, true});
  in_offset_ += used;
  const bool message = body_verb_ == Verb::Retr || body_verb_ == Verb::Top;
  if (message && config_.stream_message_bodies) {
    if (!out.empty()) emit(BodyChunk{std::move(out)});
  } else {
    body_text_ += out;
  }
  if (!decoder_.done()) return;
  if (used < data.size()) framer_.feed(std::string_view(data).substr(used));
  Reply reply = std::move(*in_body_);
  in_body_.reset();
  if (message) {
    reply.body = std::move(body_text_);
  } else {
    reply.lines = split_lines(body_text_);
  }
  body_text_.clear();
  finish_reply(std::move(reply), body_verb_, false);
}

void ClientSession::fail(Errc error, std::string detail) {
  emit(Violation{make_error_code(error), std::move(detail), true});
  apply(Signal::ConnectionLost, std::nullopt, Outcome::Any);
  closed_ = true;
  pending_.clear();
  mechanism_.reset();
}

void ClientSession::handle_status_line(const FramedLine& line) {
  const std::uint64_t offset = in_offset_;
  in_offset_ += line.octets;
  if (line.kind == FramedLine::Kind::TooLong) {
    fail(Errc::line_too_long, "a reply line longer than 512 octets (RFC 2449 §4)");
    return;
  }
  const std::size_t end_octets = line.octets - line.text.size();
  emit(Received{line.text + (end_octets == 1 ? "\n" : "\r\n"), offset, false});
  if (line.bare_lf) {
    emit(Violation{make_error_code(Errc::bare_line_feed), "reply line ended with LF alone", false});
  }
  auto parsed = parse_status_line(line.text);
  if (auto* problem = std::get_if<ParseError>(&parsed)) {
    fail(problem->code, problem->message);
    return;
  }
  StatusLine status = std::get<StatusLine>(std::move(parsed));
  Reply reply = Reply::make(status.status, std::move(status.code), std::move(status.text));

  if (!greeted_) {
    if (reply.status == Status::Continue) {
      fail(Errc::malformed_reply, "the greeting must be +OK or -ERR");
      return;
    }
    greeted_ = true;
    if (reply.ok()) apop_timestamp_ = pop3::apop_timestamp(reply.text);
    const bool refused = !reply.ok();
    emit(ReplyEvent{std::nullopt, std::move(reply), true});
    if (refused) {
      apply(Signal::Shutdown, std::nullopt, Outcome::Any);
      closed_ = true;
    }
    return;
  }
  if (pending_.empty()) {
    if (reply.status == Status::Err) {
      // A server about to hang up says why first (autologout, shutdown): a reply to no
      // command, shown as such; the connection's end follows.
      emit(Violation{make_error_code(Errc::unexpected_reply),
                     "-ERR to no command (the server is probably closing the connection)", false});
      emit(ReplyEvent{std::nullopt, std::move(reply), false});
      return;
    }
    fail(Errc::unexpected_reply, "the server sent a reply to no command");
    return;
  }
  const Pending p = pending_.front();
  pending_.pop_front();
  if (reply.status == Status::Continue) {
    if (p.verb != Verb::Auth && !p.sasl_response) {
      fail(Errc::malformed_reply, "a \"+ \" continuation outside an AUTH exchange");
      return;
    }
    handle_continuation(std::move(reply), p);
    return;
  }
  if (reply.ok() && p.verb && !p.sasl_response && expects_multiline(*p.verb, p.arg_count)) {
    reply.multiline = true;
    in_body_ = std::move(reply);
    body_verb_ = p.verb;
    decoder_.reset();
    return;
  }
  finish_reply(std::move(reply), p.sasl_response ? std::nullopt : p.verb, p.sasl_response);
}

void ClientSession::finish_reply(Reply reply, std::optional<Verb> verb, bool sasl) {
  const Outcome outcome = outcome_of(reply.status);
  const bool ok = reply.ok();
  // AUTH without a mechanism only lists the mechanisms: it logs nobody in.
  const bool mechanism_list = verb == Verb::Auth && reply.multiline;
  if (verb == Verb::Capa && ok) {
    capabilities_ = Capabilities::parse(reply.lines);
    capabilities_known_ = true;
  }
  emit(ReplyEvent{verb, std::move(reply), false});
  if (mechanism_list) {
    // no state change
  } else if (sasl || verb == Verb::Auth) {
    if (mechanism_) {
      emit(AuthStep{std::string(mechanism_->name()), Direction::ServerToClient,
                    ok ? "+OK: logged in" : "-ERR: the exchange failed"});
    }
    mechanism_.reset();
    deferred_initial_.reset();
    apply(sasl ? Signal::SaslResponse : Signal::Reply, sasl ? std::nullopt : verb, outcome);
  } else if (verb == Verb::Stls) {
    stls_pending_ = false;
    apply(Signal::Reply, verb, outcome);
    if (ok) {
      std::string injected = framer_.take_buffered();
      if (!injected.empty()) {
        emit(Received{injected, in_offset_, false});
        in_offset_ += injected.size();
        emit(InjectionDiscarded{Direction::ServerToClient, injected.size()});
        emit(Violation{
            make_error_code(Errc::tls_injection),
            std::to_string(injected.size()) + " octets received behind +OK to STLS were discarded",
            false});
      }
      // RFC 2595 §4: what CAPA said in plaintext may have been forged; forget it. The
      // greeting's APOP timestamp stays: it is this connection's, servers accept APOP
      // with it after STLS, and a forged one only makes the digest fail.
      capabilities_ = Capabilities{};
      capabilities_known_ = false;
      tls_pending_ = true;
      emit(StartTls{});
    }
  } else if (verb == Verb::Quit) {
    const bool in_transaction = state_ == State::Transaction;
    apply(Signal::Reply, verb, outcome);
    if (in_transaction) {
      update_done_ = true;
      apply(Signal::UpdateFinished, std::nullopt, ok ? Outcome::Ok : Outcome::Err);
    }
    closed_ = true;
  } else if (verb) {
    apply(Signal::Reply, verb, outcome);
  }
  repredict();
}

void ClientSession::handle_continuation(Reply reply, const Pending& p) {
  const std::string challenge = reply.text;
  emit(ReplyEvent{p.sasl_response ? std::nullopt : p.verb, std::move(reply), false});
  apply(p.sasl_response ? Signal::SaslResponse : Signal::Reply,
        p.sasl_response ? std::nullopt : p.verb, Outcome::Continue);
  repredict();
  if (!mechanism_) return;  // raw mode: the person at the shell answers
  const std::string name(mechanism_->name());
  emit(AuthStep{name, Direction::ServerToClient,
                challenge.empty() ? "empty challenge" : "challenge: " + challenge});
  ClientSaslStep step;
  if (deferred_initial_ && challenge.empty()) {
    step = std::move(*deferred_initial_);
    deferred_initial_.reset();
  } else {
    step = mechanism_->respond(challenge);
  }
  if (!step.ok) {
    emit(AuthStep{name, Direction::ClientToServer, "cancelling with \"*\": " + step.error});
    emit(Violation{make_error_code(Errc::authentication_failed), step.error, false});
    write_line("*", std::nullopt, 0, true);
    return;
  }
  if (step.exposure != Exposure::None && !step.response.empty()) {
    emit(SecretSeen{Direction::ClientToServer, octets_out_, step.response.size(), step.exposure,
                    name + " response"});
  }
  emit(AuthStep{name, Direction::ClientToServer,
                step.explanation.empty() ? "response" : step.explanation});
  write_line(step.response, std::nullopt, 0, true);
}

std::error_code ClientSession::check_can_send(std::optional<Verb> verb) const {
  if (closed_) return make_error_code(Errc::session_closed);
  if (stls_pending_ || tls_pending_) return make_error_code(Errc::command_not_allowed_now);
  if (mechanism_) return make_error_code(Errc::auth_in_progress);
  if (config_.enforce_states) {
    if (predicted_ == State::SaslExchange) return make_error_code(Errc::auth_in_progress);
    if (verb && !spec_of(*verb).legal.contains(predicted_))
      return make_error_code(Errc::command_not_allowed_now);
  }
  return {};
}

std::error_code ClientSession::send(const Command& command) {
  if (auto ec = check_can_send(command.verb)) return ec;
  auto serialized = serialize_command(command);
  if (auto* problem = std::get_if<ParseError>(&serialized)) return make_error_code(problem->code);
  std::string line = std::get<std::string>(std::move(serialized));
  line.resize(line.size() - 2);  // write_line adds the CRLF
  if (auto range = secret_range(command)) {
    const auto& spec = spec_of(command.verb);
    emit(SecretSeen{Direction::ClientToServer, octets_out_ + range->offset, range->length,
                    spec.secret_exposure, std::string(spec.name) + " argument"});
  }
  emit(CommandEvent{command});
  write_line(std::move(line), command.verb, command.args.size(), false);
  return {};
}

std::error_code ClientSession::send_raw(std::string_view line) {
  if (detail::has_line_break_or_nul(line)) return make_error_code(Errc::crlf_injection);
  if (closed_) return make_error_code(Errc::session_closed);
  if (line.size() + 2 > kMaxSaslLine) return make_error_code(Errc::line_too_long);
  if (predicted_ == State::SaslExchange && !mechanism_) {
    // A SASL response typed by hand: it may well hold a password in base64.
    if (!line.empty() && line != "*") {
      emit(SecretSeen{Direction::ClientToServer, octets_out_, line.size(), Exposure::Base64,
                      "SASL response typed by hand"});
    }
    write_line(std::string(line), std::nullopt, 0, true);
    return {};
  }
  const auto verb = parse_verb(line.substr(0, line.find(' ')));
  if (auto ec = check_can_send(verb)) return ec;
  const std::size_t args = count_words(line) - (count_words(line) > 0 ? 1 : 0);
  if (verb) {
    auto parsed = parse_command(line);
    const auto& spec = spec_of(*verb);
    if (auto* command = std::get_if<Command>(&parsed)) {
      if (auto range = secret_range(*command)) {
        emit(SecretSeen{Direction::ClientToServer, octets_out_ + range->offset, range->length,
                        spec.secret_exposure, std::string(spec.name) + " argument"});
      }
      emit(CommandEvent{*command});
    } else if (spec.secret_arg >= 0 && line.size() > spec.name.size() + 1) {
      // Malformed, but it may still carry the secret: mark the whole argument part.
      emit(SecretSeen{Direction::ClientToServer, octets_out_ + spec.name.size() + 1,
                      line.size() - spec.name.size() - 1, spec.secret_exposure,
                      std::string(spec.name) + " argument"});
    }
  }
  if (line.size() + 2 > kMaxCommandLine) return make_error_code(Errc::line_too_long);
  write_line(std::string(line), verb, verb == Verb::Pass ? 1 : args, false);
  return {};
}

std::error_code ClientSession::authenticate(std::unique_ptr<ClientMechanism> mechanism) {
  if (auto ec = check_can_send(Verb::Auth)) return ec;
  const std::string name(mechanism->name());
  std::optional<ClientSaslStep> initial = mechanism->initial_response();
  if (initial && !initial->ok) return make_error_code(Errc::authentication_failed);
  std::string line = "AUTH " + name;
  Command shown{Verb::Auth, {name}};
  if (initial) {
    const std::string ir = initial->response.empty() ? "=" : initial->response;
    if (line.size() + 1 + ir.size() + 2 <= kMaxCommandLine) {
      if (initial->exposure != Exposure::None) {
        emit(SecretSeen{Direction::ClientToServer, octets_out_ + line.size() + 1, ir.size(),
                        initial->exposure, "AUTH " + name + " initial response"});
      }
      line += ' ';
      line += ir;
      shown.args.push_back(initial->exposure != Exposure::None ? std::string(Secret::redacted)
                                                               : ir);
    } else {
      // RFC 5034 §4: an initial response that would make the line too long is sent in
      // answer to the server's first, empty, challenge instead.
      deferred_initial_ = std::move(initial);
      initial.reset();
    }
  }
  emit(CommandEvent{shown});
  emit(AuthStep{name, Direction::ClientToServer,
                initial ? (initial->explanation.empty() ? "AUTH with an initial response"
                                                        : initial->explanation)
                        : "AUTH " + name});
  const std::size_t args = shown.args.size();
  mechanism_ = std::move(mechanism);
  write_line(std::move(line), Verb::Auth, args, false);
  return {};
}

void ClientSession::write_line(std::string line, std::optional<Verb> verb, std::size_t args,
                               bool sasl) {
  line += "\r\n";
  octets_out_ += line.size();
  emit(Send{std::move(line)});
  pending_.push_back(Pending{verb, args, sasl});
  if (verb == Verb::Stls) stls_pending_ = true;
  repredict();
}

void ClientSession::repredict() {
  // The state the session will be in once every command already sent succeeds: what
  // enforce_states checks a pipelined command against.
  State s = state_;
  for (const auto& p : pending_) {
    Outcome outcome = Outcome::Ok;
    Signal signal = p.sasl_response ? Signal::SaslResponse : Signal::Reply;
    if (p.verb == Verb::Auth && p.arg_count == 0) continue;  // the mechanism list
    if (p.verb == Verb::Auth) outcome = Outcome::Continue;
    if (p.sasl_response) outcome = Outcome::Ok;
    if (const Transition* t =
            find_transition(s, signal, p.sasl_response ? std::nullopt : p.verb, outcome)) {
      s = t->to;
    }
    if (s == State::Update) s = State::Closed;
  }
  predicted_ = s;
}

void ClientSession::tls_established() {
  if (!tls_pending_) {
    emit(Violation{make_error_code(Errc::no_tls_pending), "tls_established() without STLS", false});
    return;
  }
  tls_pending_ = false;
  config_.tls_active = true;
  framer_.take_buffered();
  apply(Signal::TlsEstablished, std::nullopt, Outcome::Ok);
  repredict();
}

void ClientSession::tls_failed() {
  if (closed_) return;
  tls_pending_ = false;
  apply(Signal::TlsFailed, std::nullopt, Outcome::Any);
  closed_ = true;
}

void ClientSession::connection_lost() {
  if (closed_) return;
  if (in_body_) {
    emit(Violation{make_error_code(Errc::connection_lost),
                   "the connection ended in the middle of a multi-line reply", true});
    in_body_.reset();
  }
  apply(Signal::ConnectionLost, std::nullopt, Outcome::Any);
  closed_ = true;
  pending_.clear();
  mechanism_.reset();
}

void ClientSession::apply(Signal signal, std::optional<Verb> verb, Outcome outcome) {
  const Transition* t = find_transition(state_, signal, verb, outcome);
  if (!t || t->to == state_) return;
  emit(StateChange{state_, t->to, std::string(t->why)});
  state_ = t->to;
}

void ClientSession::emit(Step step) {
  // Lines sent back to back (a pipeline) leave in one write, as RFC 2449 PIPELINING means.
  if (auto* send = std::get_if<Send>(&step); send && !queue_.empty()) {
    if (auto* last = std::get_if<Send>(&queue_.back())) {
      last->bytes += send->bytes;
      return;
    }
  }
  queue_.push_back(std::move(step));
}

}  // namespace pop3
