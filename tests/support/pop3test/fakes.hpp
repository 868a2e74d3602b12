#pragma once
// Test doubles for what a ServerSession asks of the outside: an Authenticator with
// plaintext passwords and a scripted APOP digest, and a fake clock.
#include <map>
#include <string>

#include "pop3/core/authenticator.hpp"
#include "pop3/core/time.hpp"

namespace pop3test {

class FakeAuthenticator final : public pop3::Authenticator {
 public:
  std::map<std::string, std::string> passwords;  // user -> password
  // APOP without MD5 in the core's tests: the digest a user must send for a timestamp.
  std::map<std::string, std::string> apop_digests;  // user -> expected digest
  std::vector<std::string> mechanisms;              // what sasl_mechanisms() reports
  int sasl_started = 0;

  pop3::AuthDecision check_user_pass(std::string_view user, const pop3::Secret& password) override {
    auto it = passwords.find(std::string(user));
    if (it != passwords.end() && it->second == password.reveal())
      return {pop3::AuthDecision::Outcome::Accepted, std::string(user), {}, {}, {}};
    return {pop3::AuthDecision::Outcome::Rejected, {}, "wrong user or password", "AUTH", {}};
  }
  pop3::AuthDecision check_apop(std::string_view user, std::string_view,
                                std::string_view digest) override {
    auto it = apop_digests.find(std::string(user));
    if (it != apop_digests.end() && it->second == digest)
      return {pop3::AuthDecision::Outcome::Accepted, std::string(user), {}, {}, {}};
    return {pop3::AuthDecision::Outcome::Rejected, {}, "wrong digest", "AUTH", {}};
  }
  bool apop_available() const override { return !apop_digests.empty(); }
  std::vector<std::string> sasl_mechanisms() const override { return mechanisms; }
  std::unique_ptr<pop3::ServerMechanism> start_sasl(std::string_view) override;
};

// A server mechanism for the framing tests: "X-ECHO" accepts after one challenge when
// the client answers "b2s=" (base64 of "ok"), refuses "YmFk" and calls anything else
// malformed. It exists to exercise the session's AUTH framing without OpenSSL.
class EchoMechanism final : public pop3::ServerMechanism {
 public:
  explicit EchoMechanism(std::string user) : user_(std::move(user)) {}
  std::string_view name() const noexcept override { return "X-ECHO"; }
  pop3::SaslStep start(std::optional<std::string_view> initial) override {
    if (initial) return step(*initial);
    pop3::SaslStep s;
    s.kind = pop3::SaslStep::Kind::Challenge;
    s.challenge = "Y2hhbGxlbmdl";
    return s;
  }
  pop3::SaslStep step(std::string_view response) override {
    pop3::SaslStep s;
    s.client_exposure = pop3::Exposure::Base64;
    if (response == "b2s=") {
      s.kind = pop3::SaslStep::Kind::Success;
      s.user = user_;
    } else if (response == "YmFk") {
      s.kind = pop3::SaslStep::Kind::Failure;
      s.reason = "refused";
      s.response_code = "AUTH";
    } else {
      s.kind = pop3::SaslStep::Kind::Malformed;
      s.reason = "invalid base64";
    }
    return s;
  }

 private:
  std::string user_;
};

inline std::unique_ptr<pop3::ServerMechanism> FakeAuthenticator::start_sasl(std::string_view name) {
  ++sasl_started;
  if (name != "X-ECHO") return nullptr;
  return std::make_unique<EchoMechanism>("alice");
}

// Client side of X-ECHO: answers every challenge with `answer`.
class EchoClient final : public pop3::ClientMechanism {
 public:
  explicit EchoClient(std::string answer, bool with_initial = false)
      : answer_(std::move(answer)), with_initial_(with_initial) {}
  std::string_view name() const noexcept override { return "X-ECHO"; }
  std::optional<pop3::ClientSaslStep> initial_response() override {
    if (!with_initial_) return std::nullopt;
    return pop3::ClientSaslStep{true, answer_, {}, pop3::Exposure::Base64, "initial"};
  }
  pop3::ClientSaslStep respond(std::string_view) override {
    return {true, answer_, {}, pop3::Exposure::Base64, "answer"};
  }

 private:
  std::string answer_;
  bool with_initial_;
};

// Time for tests: starts at an arbitrary point and moves only when told.
struct FakeClock {
  pop3::TimePoint now = pop3::TimePoint{} + std::chrono::hours(1);
  void advance(pop3::Duration d) { now += d; }
};

}  // namespace pop3test
