#pragma once
// SimulatedTarget: a GuessTarget inside the simulator. Each connection is a Simulation of
// the scenario (its accounts, TLS mode, link), whose server is wrapped in pop3-server's
// own login policy (pop3::auth::PolicyAuthenticator): the fixed failure delay, the
// per-address penalty and the per-user lockout, all on virtual time. The policy's state
// lives here, across connections, as it lives in a running server; virtual time runs on
// from one connection to the next, so a lockout expires when it would in reality.
//
// A brute-force lab thus learns, in milliseconds of real time, how long the attack would
// take against the real server: attempts per second, time to lockout.
//
// Contract:
// - The scenario's server.failed_auth_delay is replaced by policy.failed_login_delay and
//   its authenticator hook by the policy; its seed is advanced by one per connection (a
//   fresh APOP timestamp each time, as a real server's).
// - With TlsMode::Stls the guesser's client does STLS before logging in (servers that
//   refuse plaintext logins still take guesses over TLS), without checking the
//   certificate; with Implicit it starts in TLS.
// - Each connection's trace is kept in memory while it is open (current()) and dropped
//   when it closes.
#include <memory>
#include <string>

#include "pop3/attack/guess_target.hpp"
#include "pop3/auth/policy.hpp"
#include "pop3/sim/simulation.hpp"

namespace pop3::attack {

class SimulatedTarget final : public GuessTarget {
 public:
  // `address`: the attacker's address as the server's penalty counts it.
  SimulatedTarget(sim::Scenario scenario, auth::LoginPolicy policy,
                  std::string address = "192.0.2.66");
  ~SimulatedTarget() override;
  SimulatedTarget(const SimulatedTarget&) = delete;
  SimulatedTarget& operator=(const SimulatedTarget&) = delete;

  [[nodiscard]] std::string describe() const override;
  [[nodiscard]] bool virtual_time() const noexcept override { return true; }
  Attempt attempt(std::string_view user, std::string_view password, LoginMethod method) override;
  void disconnect() override;
  [[nodiscard]] Duration elapsed() const override;
  // Ends the open connection first (time passes between connections).
  void wait(Duration d) override;
  [[nodiscard]] std::size_t connections() const noexcept override { return connections_; }

  [[nodiscard]] const auth::PolicyState& policy_state() const noexcept { return state_; }
  // The open connection's simulation; nullptr between connections.
  [[nodiscard]] const sim::Simulation* current() const noexcept { return sim_.get(); }

 private:
  void open();
  void close_simulation();

  sim::Scenario base_;
  auth::PolicyState state_;
  std::string address_;
  std::unique_ptr<sim::Simulation> sim_;
  Duration before_{};  // virtual time spent in earlier connections and waits
  std::size_t connections_ = 0;
};

}  // namespace pop3::attack
