#include "pop3/attack/simulated_target.hpp"

#include <stdexcept>

namespace pop3::attack {

SimulatedTarget::SimulatedTarget(sim::Scenario scenario, auth::LoginPolicy policy,
                                 std::string address)
    : base_(std::move(scenario)), state_(policy), address_(std::move(address)) {
  base_.server.failed_auth_delay = policy.failed_login_delay;
  base_.tls.verify_peer = false;  // the guesser does not care whom it talks to
}

SimulatedTarget::~SimulatedTarget() = default;

std::string SimulatedTarget::describe() const {
  const auth::LoginPolicy& p = state_.policy();
  return "simulated pop3-server (failure delay " + std::to_string(p.failed_login_delay.count()) +
         " ms, penalty +" + std::to_string(p.penalty_step.count()) + " ms up to " +
         std::to_string(p.penalty_max.count()) + " ms, lockout " +
         (p.lockout_after > 0 ? "after " + std::to_string(p.lockout_after) + " failures for " +
                                    std::to_string(p.lockout_duration.count()) + " s"
                              : std::string("never")) +
         ")";
}

Duration SimulatedTarget::elapsed() const {
  return before_ + (sim_ ? sim_->clock().elapsed() : Duration{});
}

void SimulatedTarget::open() {
  sim::Scenario s = base_;
  s.seed = base_.seed + connections_;
  s.trace.label = "online guesser, connection " + std::to_string(connections_ + 1);
  // The policy's clock: virtual time since the target was made, across connections.
  const Duration offset = before_;
  s.authenticator = [this, offset](Authenticator& store, const sim::VirtualClock& clock) {
    return std::make_unique<auth::PolicyAuthenticator>(store, state_, address_, [&clock, offset] {
      return TimePoint{} + offset + clock.elapsed();
    });
  };
  sim_ = std::make_unique<sim::Simulation>(std::move(s));
  ++connections_;
  (void)sim_->connect();
  if (base_.tls.mode == sim::TlsMode::Stls && sim_->client_session().state() != State::Closed)
    (void)sim_->starttls();
}

void SimulatedTarget::close_simulation() {
  if (!sim_) return;
  before_ += sim_->clock().elapsed();
  sim_.reset();
}

void SimulatedTarget::wait(Duration d) {
  disconnect();
  before_ += d;
}

void SimulatedTarget::disconnect() {
  if (!sim_) return;
  if (sim_->client_session().state() != State::Closed) (void)sim_->quit();
  close_simulation();
}

Attempt SimulatedTarget::attempt(std::string_view user, std::string_view password,
                                 LoginMethod method) {
  Attempt a;
  if (!sim_) open();
  a.connection = connections_;
  const Duration start = elapsed();
  sim::Exchange ex;
  switch (method) {
    case LoginMethod::UserPass:
      ex = sim_->login_user_pass(user, password);
      break;
    case LoginMethod::Apop:
      ex = sim_->apop(user, password);
      break;
    default:
      ex = sim_->authenticate(login_method_name(method), user, password);
      break;
  }
  a.at = elapsed();
  a.took = a.at - start;
  if (ex.refused) {
    a.outcome = AttemptOutcome::Error;
    a.reply = "the client could not try: " + ex.refused.message();
  } else if (const Reply* r = ex.last_reply()) {
    a.outcome = classify_login_reply(*r);
    a.reply = status_text(*r);
  } else {
    a.outcome = AttemptOutcome::Error;
    a.reply = ex.connection_lost ? "the connection ended without a reply" : "no reply";
  }
  if (a.outcome == AttemptOutcome::Accepted)
    disconnect();
  else if (sim_->client_session().state() == State::Closed)
    close_simulation();
  return a;
}

}  // namespace pop3::attack
