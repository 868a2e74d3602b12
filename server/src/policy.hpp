#pragma once
// The server's login policies, layered over the credential store's Authenticator:
// a growing penalty per client address, and a lockout per user after repeated failures.
// (The fixed delay after every failure is the session's own failed_auth_delay.)
//
// A locked-out user is refused with [LOGIN-DELAY] before the password is even checked,
// so a guesser learns nothing while the lock holds; the lock also stops SASL logins.
#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "pop3/core/authenticator.hpp"
#include "pop3/core/time.hpp"
#include "settings.hpp"

namespace pop3::server {

class PolicyState {
 public:
  explicit PolicyState(const Policy& policy) : policy_(policy) {}

  // The extra delay a failure from this address earns now.
  [[nodiscard]] std::chrono::milliseconds penalty(const std::string& address) const;
  [[nodiscard]] bool locked_out(const std::string& user, TimePoint now) const;
  void failure(const std::string& user, const std::string& address, TimePoint now);
  void success(const std::string& user, const std::string& address);
  [[nodiscard]] int failures_of(const std::string& user) const;

 private:
  struct UserRecord {
    int failures = 0;
    TimePoint locked_until{};
  };
  const Policy& policy_;
  std::map<std::string, UserRecord, std::less<>> users_;
  std::map<std::string, int, std::less<>> addresses_;
};

// One per connection: knows the client's address.
class PolicyAuthenticator final : public Authenticator {
 public:
  PolicyAuthenticator(Authenticator& inner, PolicyState& state, std::string address)
      : inner_(inner), state_(state), address_(std::move(address)) {}

  AuthDecision check_user_pass(std::string_view user, const Secret& password) override;
  AuthDecision check_apop(std::string_view user, std::string_view timestamp,
                          std::string_view digest) override;
  bool apop_available() const override { return inner_.apop_available(); }
  std::vector<std::string> sasl_mechanisms() const override { return inner_.sasl_mechanisms(); }
  std::unique_ptr<ServerMechanism> start_sasl(std::string_view mechanism) override;
  void sasl_finished(std::string_view mechanism, bool success, std::string_view user) override;

 private:
  AuthDecision judge(std::string_view user, AuthDecision decision);
  AuthDecision locked(std::string_view user) const;

  Authenticator& inner_;
  PolicyState& state_;
  std::string address_;
};

}  // namespace pop3::server
