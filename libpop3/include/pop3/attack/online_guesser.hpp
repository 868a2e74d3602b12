#pragma once
// OnlineGuesser: tries the passwords of a wordlist, in order, against one user of a
// GuessTarget (simulated or real), the way hydra or medusa would, and measures what the
// server's defences cost it: attempts per second, time to the first lockout, and how long
// the whole list would take at that rate.
//
// What it shows (docs/attacks.md): without a delay a guesser is limited only by round
// trips; a fixed failure delay caps the rate per connection; a penalty per address grows
// with every failure; a lockout per user stops the guessing outright (and also locks the
// real user out: the price of the defence).
//
// Contract:
// - Attempts run in wordlist order; a connection carries attempts_per_connection
//   attempts (then QUIT and reconnect). A password is found at the first Accepted.
// - A [LOGIN-DELAY] refusal is a lockout: the server did not look at the password. With
//   OnLockout::Stop the run ends there; with Wait the guesser reconnects after
//   lockout_wait and tries the same word again, at most max_lockouts times.
// - An Error attempt (the connection broke, the server failed) ends the run.
// - Rates are per second of the target's time: virtual time for a SimulatedTarget.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "pop3/attack/guess_target.hpp"
#include "pop3/attack/wordlist.hpp"

namespace pop3::attack {

struct GuessOptions {
  std::string user;
  LoginMethod method = LoginMethod::UserPass;
  std::size_t attempts_per_connection = 1;
  std::size_t max_attempts = 0;  // 0: as many as the wordlist has (lockout retries included)
  enum class OnLockout : std::uint8_t { Stop, Wait };
  OnLockout on_lockout = OnLockout::Stop;
  Duration lockout_wait = std::chrono::seconds(60);
  std::size_t max_lockouts = 100;
  std::function<void(const Attempt&)> on_attempt;  // after each attempt (progress, lab output)
};

struct GuessReport {
  enum class End : std::uint8_t {
    Found,      // the password was accepted
    Exhausted,  // every word was tried
    LockedOut,  // a lockout ended the run (OnLockout::Stop, or max_lockouts reached)
    Limit,      // max_attempts reached
    Error,      // an attempt ended without a verdict
  };
  std::string target;  // GuessTarget::describe()
  std::string user;
  LoginMethod method = LoginMethod::UserPass;
  bool virtual_time = false;
  End end = End::Exhausted;
  std::string error;  // End::Error: why

  std::size_t words = 0;     // in the wordlist
  std::size_t attempts = 0;  // logins tried, refused-by-lockout ones included
  std::size_t guesses = 0;   // passwords the server actually judged
  std::size_t connections = 0;
  Duration elapsed{};  // target time from the first attempt to the end
  double attempts_per_second = 0;
  double guesses_per_second = 0;
  std::optional<std::string> password;  // found
  std::optional<std::size_t> found_at;  // its position in the wordlist (1-based)

  std::optional<Duration> time_to_lockout;             // when the first [LOGIN-DELAY] came
  std::optional<std::size_t> failures_before_lockout;  // wrong guesses before it
  std::size_t lockouts = 0;
  Duration waited{};  // spent waiting out lockouts

  std::vector<Attempt> log;  // every attempt, in order

  // At the measured guess rate, how long `words` guesses would take (zero if unknown),
  // lockouts not included.
  [[nodiscard]] Duration projected(std::size_t words) const;
  // How many lockouts trying `words` guesses would run into, a lockout having come every
  // failures_before_lockout wrong guesses (0 when no lockout was seen).
  [[nodiscard]] std::size_t lockouts_needed(std::size_t words) const noexcept;
  // A few lines for people (the lab's output).
  [[nodiscard]] std::string summary() const;
};
[[nodiscard]] std::string_view guess_end_name(GuessReport::End end) noexcept;

class OnlineGuesser {
 public:
  OnlineGuesser(GuessTarget& target, GuessOptions options)
      : target_(target), options_(std::move(options)) {}
  GuessReport run(const Wordlist& words);

 private:
  GuessTarget& target_;
  GuessOptions options_;
};

// "1.25 s", "3 min 20 s", "2 h 5 min", "4.1 days": durations as a lab prints them.
[[nodiscard]] std::string human_duration(Duration d);

}  // namespace pop3::attack
