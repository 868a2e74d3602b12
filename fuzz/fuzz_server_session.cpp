// The server session fed arbitrary client bytes.
//
// Input: one control byte, then the client's byte stream.
//   bit 0  STLS available          bit 1  plaintext logins need TLS (LOGINDISABLED)
//   bit 2  bare LF accepted        bit 3  the TLS handshake fails (else it succeeds)
//   bit 4  feed in small pieces    bit 5  the connection drops at the end (else autologout)
//   bit 6  commits fail            bit 7  a 200-octet message size limit
// The server knows one user, mrose / tanstaafl, greets with the APOP timestamp of RFC 1939
// §7's example, and holds the two messages of tests/transcripts/rfc1939-example.txt plus
// one whose lines start with dots; so that transcript's client lines log in (APOP) and
// walk the whole session. Time advances only to the session's own deadlines.
//
// Invariants:
//  - output: every line ends with CRLF (no bare CR or LF), at most 512 octets with it
//    (RFC 2449 §4); between inputs, the output always ends at a line end; nothing is sent
//    after Closed; the first line is the +OK greeting with the timestamp;
//  - authorization: TRANSACTION is reached only after the credential check (USER/PASS,
//    APOP) or the SASL mechanism said yes, and a maildrop is opened only for that user;
//  - StateChange events chain (each `from` is the previous `to`) and end at state();
//  - UPDATE: Closed{update_done} only after QUIT in TRANSACTION, and the store changes
//    (deletions reach it) only then;
//  - every Received event holds exactly the input bytes at its offset; every secret range
//    lies within what was received;
//  - the session always ends: a dropped connection or the autologout timer closes it.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "invariant.hpp"
#include "pop3/auth/credential.hpp"
#include "pop3/auth/credential_store.hpp"
#include "pop3/auth/store_authenticator.hpp"
#include "pop3/core/command_table.hpp"
#include "pop3/core/server_session.hpp"
#include "pop3/maildrop/memory_maildrop.hpp"

namespace {

constexpr std::string_view kUser = "mrose";
constexpr std::string_view kPassword = "tanstaafl";
constexpr std::string_view kTimestamp = "<1896.697170952@dbc.mtview.ca.us>";

// Watches the mechanism's own verdicts, independently of what the session does with them.
class WatchedMechanism final : public pop3::ServerMechanism {
 public:
  WatchedMechanism(std::unique_ptr<pop3::ServerMechanism> inner,
                   std::optional<std::string>& accepted)
      : inner_(std::move(inner)), accepted_(accepted) {}
  std::string_view name() const noexcept override { return inner_->name(); }
  pop3::SaslStep start(std::optional<std::string_view> initial) override {
    return watch(inner_->start(initial));
  }
  pop3::SaslStep step(std::string_view response) override { return watch(inner_->step(response)); }

 private:
  pop3::SaslStep watch(pop3::SaslStep step) {
    if (step.kind == pop3::SaslStep::Kind::Success) accepted_ = step.user;
    return step;
  }
  std::unique_ptr<pop3::ServerMechanism> inner_;
  std::optional<std::string>& accepted_;
};

class WatchedAuthenticator final : public pop3::Authenticator {
 public:
  explicit WatchedAuthenticator(pop3::Authenticator& inner) : inner_(inner) {}
  pop3::AuthDecision check_user_pass(std::string_view user, const pop3::Secret& password) override {
    return watch(inner_.check_user_pass(user, password));
  }
  pop3::AuthDecision check_apop(std::string_view user, std::string_view timestamp,
                                std::string_view digest) override {
    return watch(inner_.check_apop(user, timestamp, digest));
  }
  bool apop_available() const override { return inner_.apop_available(); }
  std::vector<std::string> sasl_mechanisms() const override { return inner_.sasl_mechanisms(); }
  std::unique_ptr<pop3::ServerMechanism> start_sasl(std::string_view mechanism) override {
    auto inner = inner_.start_sasl(mechanism);
    if (!inner) return nullptr;
    return std::make_unique<WatchedMechanism>(std::move(inner), accepted_);
  }
  std::optional<std::string> accepted_;  // the user a check or a mechanism accepted

 private:
  pop3::AuthDecision watch(pop3::AuthDecision decision) {
    if (decision.accepted()) accepted_ = decision.user;
    return decision;
  }
  pop3::Authenticator& inner_;
};

class WatchedProvider final : public pop3::MaildropProvider {
 public:
  WatchedProvider(pop3::MaildropProvider& inner, const std::optional<std::string>& accepted)
      : inner_(inner), accepted_(accepted) {}
  pop3::MaildropOpen open(std::string_view user) override {
    FUZZ_CHECK(accepted_.has_value() && *accepted_ == user);
    return inner_.open(user);
  }

 private:
  pop3::MaildropProvider& inner_;
  const std::optional<std::string>& accepted_;
};

class Run {
 public:
  explicit Run(std::uint8_t controls) : controls_(controls) {
    credentials_.add(std::string(kUser),
                     pop3::auth::StoredCredential::plaintext(pop3::Secret(std::string(kPassword))));
    pop3::auth::ServerMechanismOptions options;
    options.scram_iterations = 16;  // speed: the key derivation is not what is fuzzed here
    options.scram_salt_key = "fuzz";
    options.cram_md5_challenge = [] { return std::string("<1896.697170952@dbc.mtview.ca.us>"); };
    options.scram_server_nonce = [] { return std::string("fuzznonce"); };
    store_auth_ = std::make_unique<pop3::auth::StoreAuthenticator>(credentials_, options);
    auth_ = std::make_unique<WatchedAuthenticator>(*store_auth_);
    provider_ = std::make_unique<WatchedProvider>(store_, auth_->accepted_);
    store_.deliver(std::string(kUser),
                   "From: mrose@dbc.mtview.ca.us\r\nSubject: first\r\n\r\n"
                   "The first message of the RFC 1939 example session.\r\nPad to 120 octets.\r\n");
    store_.deliver(std::string(kUser),
                   "From: mrose@dbc.mtview.ca.us\r\nSubject: second\r\n\r\n"
                   "The second message. The next line starts with a dot:\r\n.signature\r\n"
                   "So the server stuffs it on the wire and the client strips it.\r\n");
    store_.deliver(std::string(kUser), ".\r\n..\r\n.\n\nlast line without end");
    if (controls_ & 0x40) store_.fail_commits(true);
    before_ = store_.messages(std::string(kUser)).size();

    pop3::ServerConfig config;
    config.apop_timestamp = std::string(kTimestamp);
    config.tls_available = (controls_ & 0x01) != 0;
    config.plaintext_auth_requires_tls = (controls_ & 0x02) != 0;
    config.accept_bare_lf = (controls_ & 0x04) != 0;
    config.max_message_octets = (controls_ & 0x80) ? 200 : 0;
    session_ = std::make_unique<pop3::ServerSession>(config, *auth_, *provider_, now_);
  }

  void feed(std::string_view bytes) {
    if (closed_) return;
    input_.append(bytes);
    session_->feed(bytes, now_);
    drain();
  }

  void finish() {
    if (!closed_ && (controls_ & 0x20)) {
      session_->connection_lost();
      drain();
    }
    if (!closed_) {
      now_ = session_->autologout_at() + std::chrono::seconds(1);
      drain();
    }
    FUZZ_CHECK(closed_);
    FUZZ_CHECK(state_ == pop3::State::Closed);
    if (store_.messages(std::string(kUser)).size() != before_) FUZZ_CHECK(update_done_);
  }

 private:
  void drain() {
    for (;;) {
      pop3::Step step = session_->next(now_);
      if (std::holds_alternative<pop3::NeedInput>(step)) {
        // A held-back -ERR (failed login) is due at reply_due(): let that time pass.
        if (const auto due = session_->reply_due(); due && !closed_) {
          FUZZ_CHECK(*due >= now_);
          now_ = *due;
          if (++holds_ > 10000) pop3fuzz::broken("the held reply never comes", __FILE__, __LINE__);
          continue;
        }
        break;
      }
      if (handle(step)) break;
    }
    FUZZ_CHECK(output_.empty() || output_.ends_with("\r\n"));
    FUZZ_CHECK(closed_ || state_ == session_->state());
  }

  // True when the session is over.
  bool handle(pop3::Step& step) {
    if (auto* send = std::get_if<pop3::Send>(&step)) {
      FUZZ_CHECK(!closed_);
      check_output(send->bytes);
    } else if (std::holds_alternative<pop3::StartTls>(step)) {
      FUZZ_CHECK(!closed_ && output_.ends_with("\r\n"));
      if (controls_ & 0x08)
        session_->tls_failed();
      else
        session_->tls_established(now_);
    } else if (auto* closed = std::get_if<pop3::Closed>(&step)) {
      FUZZ_CHECK(!closed_);
      closed_ = true;
      if (closed->update_done) FUZZ_CHECK(quit_in_transaction_);
      update_done_ = closed->update_done;
      return true;
    } else if (auto* change = std::get_if<pop3::StateChange>(&step)) {
      FUZZ_CHECK(change->from == state_);
      state_ = change->to;
      if (state_ == pop3::State::Transaction) FUZZ_CHECK(auth_->accepted_.has_value());
      if (state_ == pop3::State::Update) FUZZ_CHECK(change->from == pop3::State::Transaction);
    } else if (auto* received = std::get_if<pop3::Received>(&step)) {
      FUZZ_CHECK(received->offset <= input_.size());
      FUZZ_CHECK(input_.compare(received->offset, received->bytes.size(), received->bytes) == 0);
      FUZZ_CHECK(received->offset + received->bytes.size() <= input_.size());
    } else if (auto* secret = std::get_if<pop3::SecretSeen>(&step)) {
      if (secret->direction == pop3::Direction::ClientToServer)
        FUZZ_CHECK(secret->offset + secret->length <= input_.size());
    } else if (auto* command = std::get_if<pop3::CommandEvent>(&step)) {
      if (command->command.verb == pop3::Verb::Quit && state_ == pop3::State::Transaction)
        quit_in_transaction_ = true;
    }
    return false;
  }

  void check_output(std::string_view bytes) {
    for (const char c : bytes) {
      if (c == '\n') {
        FUZZ_CHECK(output_.ends_with('\r'));
        FUZZ_CHECK(line_length_ + 1 <= pop3::kMaxReplyLine);
        line_length_ = 0;
      } else {
        FUZZ_CHECK(!output_.ends_with('\r'));
        ++line_length_;
      }
      output_.push_back(c);
    }
    if (output_.size() >= 5) FUZZ_CHECK(output_.starts_with("+OK "));
    if (output_.find("\r\n") != std::string::npos && !greeting_checked_) {
      FUZZ_CHECK(output_.substr(0, output_.find("\r\n")).find(kTimestamp) != std::string::npos);
      greeting_checked_ = true;
    }
  }

  std::uint8_t controls_;
  pop3::TimePoint now_{};
  pop3::auth::MemoryCredentialStore credentials_;
  std::unique_ptr<pop3::auth::StoreAuthenticator> store_auth_;
  std::unique_ptr<WatchedAuthenticator> auth_;
  pop3::maildrop::MemoryMaildropStore store_;
  std::unique_ptr<WatchedProvider> provider_;
  std::unique_ptr<pop3::ServerSession> session_;
  std::size_t before_ = 0;
  std::string input_;
  std::string output_;
  std::size_t line_length_ = 0;
  pop3::State state_ = pop3::State::Authorization;
  int holds_ = 0;
  bool closed_ = false;
  bool update_done_ = false;
  bool quit_in_transaction_ = false;
  bool greeting_checked_ = false;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  pop3fuzz::Controls controls(pop3fuzz::as_text(data, size));
  const std::uint8_t flags = controls.byte();
  Run run(flags);
  pop3fuzz::in_pieces(controls.rest(), (flags & 0x10) ? 7 : 0,
                      [&](std::string_view piece) { run.feed(piece); });
  run.finish();
  return 0;
}
