#pragma once
// The server's login policies, layered over a credential store's Authenticator: a fixed
// delay after every failure (the session's failed_auth_delay), a penalty that grows per
// client address, and a lockout per user after repeated failures. pop3-server wraps its
// store with these per connection; the simulator does the same (Scenario::authenticator),
// so a brute-force lab meets exactly the server's rules.
//
// Contract:
// - A locked-out user is refused with [LOGIN-DELAY] before the password is even checked,
//   so a guesser learns nothing while the lock holds; the lock also stops SASL logins.
// - Every rejection from an address adds penalty_step to that address's next rejections,
//   up to penalty_max; a success from the address clears it (and the user's count).
// - lockout_after rejections in a row for one user lock it for lockout_duration; the
//   count starts again afterwards. 0 never locks.
// - Time comes from the `now` function given to PolicyAuthenticator (the steady clock
//   by default, the virtual clock in the simulator); PolicyState never reads a clock.
// - Nothing here is thread-safe: a server runs its sessions on one thread.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "pop3/core/authenticator.hpp"
#include "pop3/core/time.hpp"

namespace pop3::auth {

struct LoginPolicy {
  // The fixed delay before the -ERR of every failed login (ServerConfig::failed_auth_delay).
  std::chrono::milliseconds failed_login_delay{2000};
  // Added per failure from an address to that address's next failures, up to penalty_max.
  std::chrono::milliseconds penalty_step{1000};
  std::chrono::milliseconds penalty_max{15000};
  int lockout_after = 10;  // failures in a row for one user; 0 = never
  std::chrono::seconds lockout_duration{300};

  // The classroom values of pop3-server's "lab" profile: short delays so that a
  // brute-force lab does not take all afternoon, a lockout after 5 failures for 60 s.
  [[nodiscard]] static LoginPolicy lab();
};

class PolicyState {
 public:
  explicit PolicyState(LoginPolicy policy) : policy_(policy) {}

  [[nodiscard]] const LoginPolicy& policy() const noexcept { return policy_; }
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
  LoginPolicy policy_;
  std::map<std::string, UserRecord, std::less<>> users_;
  std::map<std::string, int, std::less<>> addresses_;
};

// One per connection: knows the client's address. The authenticator it wraps is asked
// for anew at every login, so a users file reloaded (SIGHUP) while the connection is
// open applies to its next login; a SASL exchange keeps the generation it started with.
// The state must outlive this object and every mechanism it starts.
class PolicyAuthenticator final : public Authenticator {
 public:
  using Current = std::function<std::shared_ptr<Authenticator>()>;
  using Now = std::function<TimePoint()>;  // empty: pop3::Clock::now()

  PolicyAuthenticator(Current current, PolicyState& state, std::string address, Now now = {});
  // A fixed authenticator that outlives this object (tests, the simulator).
  PolicyAuthenticator(Authenticator& fixed, PolicyState& state, std::string address, Now now = {});

  AuthDecision check_user_pass(std::string_view user, const Secret& password) override;
  AuthDecision check_apop(std::string_view user, std::string_view timestamp,
                          std::string_view digest) override;
  bool apop_available() const override { return current_()->apop_available(); }
  std::vector<std::string> sasl_mechanisms() const override {
    return current_()->sasl_mechanisms();
  }
  std::unique_ptr<ServerMechanism> start_sasl(std::string_view mechanism) override;
  void sasl_finished(std::string_view mechanism, bool success, std::string_view user) override;

 private:
  AuthDecision judge(std::string_view user, AuthDecision decision);
  AuthDecision locked(std::string_view user) const;

  Current current_;
  PolicyState& state_;
  std::string address_;
  Now now_;
};

}  // namespace pop3::auth
