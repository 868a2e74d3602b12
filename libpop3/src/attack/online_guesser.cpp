#include "pop3/attack/online_guesser.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace pop3::attack {

std::string_view guess_end_name(GuessReport::End end) noexcept {
  switch (end) {
    case GuessReport::End::Found:
      return "found";
    case GuessReport::End::Exhausted:
      return "exhausted";
    case GuessReport::End::LockedOut:
      return "locked-out";
    case GuessReport::End::Limit:
      return "limit";
    case GuessReport::End::Error:
      return "error";
  }
  return "?";
}

namespace {

double seconds(Duration d) {
  return std::chrono::duration<double>(d).count();
}

double rate(std::size_t n, Duration d) {
  const double s = seconds(d);
  return s > 0 ? static_cast<double>(n) / s : 0.0;
}

}  // namespace

std::string human_duration(Duration d) {
  const double s = seconds(d);
  char buf[64];
  if (s < 1)
    std::snprintf(buf, sizeof buf, "%.0f ms", s * 1000);
  else if (s < 60)
    std::snprintf(buf, sizeof buf, "%.2f s", s);
  else if (s < 3600)
    std::snprintf(buf, sizeof buf, "%.0f min %.0f s", std::floor(s / 60), std::fmod(s, 60));
  else if (s < 86400)
    std::snprintf(buf, sizeof buf, "%.0f h %.0f min", std::floor(s / 3600),
                  std::floor(std::fmod(s, 3600) / 60));
  else if (s < 86400.0 * 365)
    std::snprintf(buf, sizeof buf, "%.1f days", s / 86400);
  else
    std::snprintf(buf, sizeof buf, "%.1f years", s / (86400.0 * 365));
  return buf;
}

Duration GuessReport::projected(std::size_t n) const {
  if (guesses_per_second <= 0) return Duration{};
  return std::chrono::duration_cast<Duration>(
      std::chrono::duration<double>(static_cast<double>(n) / guesses_per_second));
}

std::size_t GuessReport::lockouts_needed(std::size_t n) const noexcept {
  if (!failures_before_lockout || *failures_before_lockout == 0 || n == 0) return 0;
  return (n - 1) / *failures_before_lockout;
}

std::string GuessReport::summary() const {
  char buf[160];
  std::string s = "target: " + target + "\n";
  s += "user " + user + ", " + std::string(login_method_name(method)) + ", wordlist of " +
       std::to_string(words) + "\n";
  std::snprintf(buf, sizeof buf,
                "%zu attempts (%zu judged) over %zu connections in %s%s: %.2f attempts/s\n",
                attempts, guesses, connections, human_duration(elapsed).c_str(),
                virtual_time ? " (virtual time)" : "", attempts_per_second);
  s += buf;
  if (time_to_lockout)
    s += "first lockout ([LOGIN-DELAY]) after " +
         std::to_string(failures_before_lockout.value_or(0)) + " wrong guesses, at " +
         human_duration(*time_to_lockout) + "; " + std::to_string(lockouts) + " lockout(s)" +
         (waited > Duration{} ? ", " + human_duration(waited) + " spent waiting" : std::string()) +
         "\n";
  if (password)
    s += "password found at guess " + std::to_string(found_at.value_or(0)) + ": \"" + *password +
         "\"\n";
  else
    s += "password not found (" + std::string(guess_end_name(end)) +
         (error.empty() ? "" : ": " + error) + ")\n";
  if (!password && guesses_per_second > 0) {
    s += "at this rate the whole wordlist takes " + human_duration(projected(words)) +
         " of guessing";
    if (const std::size_t n = lockouts_needed(words); n > 0)
      s += ", plus " + std::to_string(n) + " lockout periods (a lockout every " +
           std::to_string(*failures_before_lockout) + " wrong guesses)";
    s += "\n";
  }
  return s;
}

GuessReport OnlineGuesser::run(const Wordlist& words) {
  GuessReport r;
  r.target = target_.describe();
  r.user = options_.user;
  r.method = options_.method;
  r.virtual_time = target_.virtual_time();
  r.words = words.size();
  const Duration start = target_.elapsed();
  const std::size_t connections_before = target_.connections();
  std::size_t connection = 0;     // the target's number of the connection in use
  std::size_t on_connection = 0;  // attempts made on it
  std::size_t wrong = 0;
  r.end = GuessReport::End::Exhausted;

  for (std::size_t i = 0; i < words.size();) {
    if (options_.max_attempts > 0 && r.attempts >= options_.max_attempts) {
      r.end = GuessReport::End::Limit;
      break;
    }
    if (on_connection >= std::max<std::size_t>(1, options_.attempts_per_connection)) {
      target_.disconnect();
      on_connection = 0;
    }
    Attempt a = target_.attempt(options_.user, words.words()[i], options_.method);
    a.number = ++r.attempts;
    a.password = words.words()[i];
    a.at -= start;
    if (a.connection != connection) {  // a new connection (the target opened one)
      connection = a.connection;
      on_connection = 0;
    }
    ++on_connection;
    r.log.push_back(a);
    if (options_.on_attempt) options_.on_attempt(a);

    bool stop = false;
    switch (a.outcome) {
      case AttemptOutcome::Accepted:
        ++r.guesses;
        r.password = a.password;
        r.found_at = i + 1;
        r.end = GuessReport::End::Found;
        stop = true;
        break;
      case AttemptOutcome::Rejected:
        ++r.guesses;
        ++wrong;
        ++i;
        break;
      case AttemptOutcome::LockedOut:
        ++r.lockouts;
        if (!r.time_to_lockout) {
          r.time_to_lockout = a.at;
          r.failures_before_lockout = wrong;
        }
        if (options_.on_lockout == GuessOptions::OnLockout::Stop ||
            r.lockouts >= options_.max_lockouts) {
          r.end = GuessReport::End::LockedOut;
          stop = true;
        } else {
          target_.wait(options_.lockout_wait);  // then the same word again
          r.waited += options_.lockout_wait;
          on_connection = 0;
        }
        break;
      case AttemptOutcome::Error:
        r.end = GuessReport::End::Error;
        r.error = a.reply;
        stop = true;
        break;
    }
    if (stop) break;
  }
  target_.disconnect();
  r.connections = target_.connections() - connections_before;
  r.elapsed = target_.elapsed() - start;
  r.attempts_per_second = rate(r.attempts, r.elapsed);
  r.guesses_per_second = rate(r.guesses, r.elapsed);
  return r;
}

}  // namespace pop3::attack
