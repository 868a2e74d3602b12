#pragma once
// The server's login policies, layered over the credential store's Authenticator:
// a growing penalty per client address, and a lockout per user after repeated failures.
// (The fixed delay after every failure is the session's own failed_auth_delay.)
//
// A locked-out user is refused with [LOGIN-DELAY] before the password is even checked,
// so a guesser learns nothing while the lock holds; the lock also stops SASL logins.
#include <chrono>
#include <functional>
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

// One per connection: knows the client's address. The authenticator it wraps is asked
// for anew at every login, so a users file reloaded (SIGHUP) while the connection is
// open applies to its next login; a SASL exchange keeps the generation it started with.
class PolicyAuthenticator final : public Authenticator {
 public:
  using Current = std::function<std::shared_ptr<Authenticator>()>;
  PolicyAuthenticator(Current current, PolicyState& state, std::string address)
      : current_(std::move(current)), state_(state), address_(std::move(address)) {}
  // A fixed authenticator that outlives this object (tests).
  PolicyAuthenticator(Authenticator& fixed, PolicyState& state, std::string address)
      : PolicyAuthenticator([&fixed] { return std::shared_ptr<Authenticator>(std::shared_ptr<Authenticator>{}, &fixed); },
                            state, std::move(address)) {}

  AuthDecision check_user_pass(std::string_view user, const Secret& password) override;
  AuthDecision check_apop(std::string_view user, std::string_view timestamp,
                          std::string_view digest) override;
  bool apop_available() const override { return current_()->apop_available(); }
  std::vector<std::string> sasl_mechanisms() const override { return current_()->sasl_mechanisms(); }
  std::unique_ptr<ServerMechanism> start_sasl(std::string_view mechanism) override;
  void sasl_finished(std::string_view mechanism, bool success, std::string_view user) override;

 private:
  AuthDecision judge(std::string_view user, AuthDecision decision);
  AuthDecision locked(std::string_view user) const;

  Current current_;
  PolicyState& state_;
  std::string address_;
};

}  // namespace pop3::server
