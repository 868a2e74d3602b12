// The login policies (moved here from pop3-server so that the simulator applies the same
// rules): the per-address penalty, the per-user lockout, and the wrapper that applies
// them to USER/PASS, APOP and SASL.
#include "pop3/auth/policy.hpp"

#include <algorithm>
#include <optional>

namespace pop3::auth {

LoginPolicy LoginPolicy::lab() {
  LoginPolicy p;
  p.failed_login_delay = std::chrono::milliseconds(500);
  p.penalty_step = std::chrono::milliseconds(250);
  p.penalty_max = std::chrono::milliseconds(3000);
  p.lockout_after = 5;
  p.lockout_duration = std::chrono::seconds(60);
  return p;
}

std::chrono::milliseconds PolicyState::penalty(const std::string& address) const {
  auto it = addresses_.find(address);
  const int failures = it == addresses_.end() ? 0 : it->second;
  return std::min(policy_.penalty_step * failures, policy_.penalty_max);
}

bool PolicyState::locked_out(const std::string& user, TimePoint now) const {
  auto it = users_.find(user);
  return it != users_.end() && now < it->second.locked_until;
}

void PolicyState::failure(const std::string& user, const std::string& address, TimePoint now) {
  ++addresses_[address];
  if (user.empty()) return;
  UserRecord& r = users_[user];
  ++r.failures;
  if (policy_.lockout_after > 0 && r.failures >= policy_.lockout_after) {
    r.locked_until = now + policy_.lockout_duration;
    r.failures = 0;
  }
}

void PolicyState::success(const std::string& user, const std::string& address) {
  addresses_.erase(address);
  users_.erase(user);
}

int PolicyState::failures_of(const std::string& user) const {
  auto it = users_.find(user);
  return it == users_.end() ? 0 : it->second.failures;
}

namespace {

PolicyAuthenticator::Now or_steady_clock(PolicyAuthenticator::Now now) {
  if (now) return now;
  return [] { return Clock::now(); };
}

std::string locked_reason(std::string_view user) {
  return "user " + std::string(user) + " is locked out after repeated failures";
}

// Turns a SASL success for a locked-out user into a failure, and adds the address's
// penalty to failures: the same policy as for USER/PASS and APOP.
class PolicyMechanism final : public ServerMechanism {
 public:
  PolicyMechanism(std::unique_ptr<ServerMechanism> inner, std::shared_ptr<Authenticator> generation,
                  PolicyState& state, std::string address, PolicyAuthenticator::Now now)
      : generation_(std::move(generation)),
        inner_(std::move(inner)),
        state_(state),
        address_(std::move(address)),
        now_(std::move(now)) {}
  std::string_view name() const noexcept override { return inner_->name(); }
  SaslStep start(std::optional<std::string_view> initial) override {
    return judge(inner_->start(initial));
  }
  SaslStep step(std::string_view response) override { return judge(inner_->step(response)); }

 private:
  SaslStep judge(SaslStep s) {
    if (s.kind == SaslStep::Kind::Success && state_.locked_out(s.user, now_())) {
      s.kind = SaslStep::Kind::Failure;
      s.reason = locked_reason(s.user);
      s.response_code = "LOGIN-DELAY";
      s.user.clear();
    }
    if (s.kind == SaslStep::Kind::Failure) s.penalty += state_.penalty(address_);
    return s;
  }
  std::shared_ptr<Authenticator> generation_;  // keeps the store the mechanism reads alive
  std::unique_ptr<ServerMechanism> inner_;
  PolicyState& state_;
  std::string address_;
  PolicyAuthenticator::Now now_;
};

}  // namespace

PolicyAuthenticator::PolicyAuthenticator(Current current, PolicyState& state, std::string address,
                                         Now now)
    : current_(std::move(current)),
      state_(state),
      address_(std::move(address)),
      now_(or_steady_clock(std::move(now))) {}

PolicyAuthenticator::PolicyAuthenticator(Authenticator& fixed, PolicyState& state,
                                         std::string address, Now now)
    : PolicyAuthenticator(
          [&fixed] {
            return std::shared_ptr<Authenticator>(std::shared_ptr<Authenticator>{}, &fixed);
          },
          state, std::move(address), std::move(now)) {}

AuthDecision PolicyAuthenticator::locked(std::string_view user) const {
  AuthDecision d;
  d.outcome = AuthDecision::Outcome::Rejected;
  d.reason = locked_reason(user);
  d.response_code = "LOGIN-DELAY";
  d.penalty = state_.penalty(address_);
  return d;
}

AuthDecision PolicyAuthenticator::judge(std::string_view user, AuthDecision decision) {
  if (decision.accepted()) {
    state_.success(std::string(user), address_);
  } else if (decision.outcome == AuthDecision::Outcome::Rejected) {
    decision.penalty += state_.penalty(address_);
    state_.failure(std::string(user), address_, now_());
  }
  return decision;
}

AuthDecision PolicyAuthenticator::check_user_pass(std::string_view user, const Secret& password) {
  if (state_.locked_out(std::string(user), now_())) return locked(user);
  return judge(user, current_()->check_user_pass(user, password));
}

AuthDecision PolicyAuthenticator::check_apop(std::string_view user, std::string_view timestamp,
                                             std::string_view digest) {
  if (state_.locked_out(std::string(user), now_())) return locked(user);
  return judge(user, current_()->check_apop(user, timestamp, digest));
}

std::unique_ptr<ServerMechanism> PolicyAuthenticator::start_sasl(std::string_view mechanism) {
  auto generation = current_();
  auto inner = generation->start_sasl(mechanism);
  if (!inner) return nullptr;
  return std::make_unique<PolicyMechanism>(std::move(inner), std::move(generation), state_,
                                           address_, now_);
}

void PolicyAuthenticator::sasl_finished(std::string_view mechanism, bool success,
                                        std::string_view user) {
  current_()->sasl_finished(mechanism, success, user);
  if (success) {
    state_.success(std::string(user), address_);
  } else {
    // The user of a failed SASL exchange is not known reliably: count the address.
    state_.failure({}, address_, now_());
  }
}

}  // namespace pop3::auth
