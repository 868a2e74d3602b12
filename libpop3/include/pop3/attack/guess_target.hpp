#pragma once
// GuessTarget: what an online password guesser logs in to, one attempt at a time: a
// simulated pop3-server (SimulatedTarget, virtual time) or a real one on this machine
// (NetworkTarget, real time). The guesser (online_guesser.hpp) only counts and decides;
// the target talks POP3 and keeps time.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "pop3/core/reply.hpp"
#include "pop3/core/time.hpp"

namespace pop3::attack {

enum class LoginMethod : std::uint8_t { UserPass, Apop, Plain, Login, CramMd5, ScramSha256 };
// "USER/PASS", "APOP", "PLAIN", "LOGIN", "CRAM-MD5", "SCRAM-SHA-256" (the SASL names).
[[nodiscard]] std::string_view login_method_name(LoginMethod method) noexcept;

enum class AttemptOutcome : std::uint8_t {
  Accepted,   // +OK (or -ERR [IN-USE]: the password was right, the maildrop busy)
  Rejected,   // -ERR: wrong password (or unknown user)
  LockedOut,  // -ERR [LOGIN-DELAY]: refused without looking at the password
  Error,      // no verdict: the connection broke, the server failed ([SYS/TEMP]), ...
};
[[nodiscard]] std::string_view attempt_outcome_name(AttemptOutcome outcome) noexcept;
// The verdict a login's final reply gives.
[[nodiscard]] AttemptOutcome classify_login_reply(const Reply& reply) noexcept;

struct Attempt {
  std::size_t number = 0;  // 1-based, in the guesser's run
  std::string password;    // the guess
  AttemptOutcome outcome = AttemptOutcome::Error;
  std::string reply;  // the final status line as received ("-ERR [AUTH] ..."), or the error
  Duration at{};      // when the verdict came, since the target was made
  Duration took{};    // from the first octet of the attempt to the verdict
  std::size_t connection = 0;  // 1-based
};

class GuessTarget {
 public:
  virtual ~GuessTarget() = default;
  [[nodiscard]] virtual std::string describe() const = 0;
  // Time is the simulator's (true) or the wall clock's.
  [[nodiscard]] virtual bool virtual_time() const noexcept = 0;
  // One login on the current connection, opening one first if none is open. Sets every
  // field of the Attempt but `number` and `password`. After Accepted the connection is
  // closed (QUIT, no UPDATE: nothing is touched). Never throws for network or protocol
  // trouble: that is an Error attempt.
  virtual Attempt attempt(std::string_view user, std::string_view password, LoginMethod method) = 0;
  // Ends the current connection (QUIT) if one is open.
  virtual void disconnect() = 0;
  // Since the target was made: virtual time, or real time.
  [[nodiscard]] virtual Duration elapsed() const = 0;
  // Lets `d` pass: virtual time moves on, or the thread sleeps.
  virtual void wait(Duration d) = 0;
  [[nodiscard]] virtual std::size_t connections() const noexcept = 0;

 protected:
  GuessTarget() = default;
  GuessTarget(const GuessTarget&) = default;
  GuessTarget& operator=(const GuessTarget&) = default;
};

// The status line as a person reads it: "-ERR [LOGIN-DELAY] text".
[[nodiscard]] std::string status_text(const Reply& reply);

}  // namespace pop3::attack
