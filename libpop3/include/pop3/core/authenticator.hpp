#pragma once
// What a ServerSession asks when a client tries to log in. pop3::auth implements it over
// a credential store; the server wraps it with its policies (delays, penalties, lockout).
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pop3/core/mechanism.hpp"
#include "pop3/core/secret.hpp"

namespace pop3 {

struct AuthDecision {
  enum class Outcome { Accepted, Rejected, TemporaryFailure };
  Outcome outcome = Outcome::Rejected;
  std::string user;           // Accepted: the identity whose maildrop to open
  std::string reason;         // for the log (the client sees a fixed text); never the secret
  std::string response_code;  // Rejected/TemporaryFailure: "AUTH", "LOGIN-DELAY", "SYS/TEMP"
  std::chrono::milliseconds penalty{0};  // extra delay before the -ERR (policy)

  [[nodiscard]] bool accepted() const noexcept { return outcome == Outcome::Accepted; }
};

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  virtual AuthDecision check_user_pass(std::string_view user, const Secret& password) = 0;
  // RFC 1939 §7: digest is the lower-case hex MD5 of timestamp + shared secret.
  virtual AuthDecision check_apop(std::string_view user, std::string_view timestamp,
                                  std::string_view digest) = 0;
  // Whether APOP can work at all (it needs the plaintext secret stored).
  [[nodiscard]] virtual bool apop_available() const = 0;
  // SASL mechanisms the stored secrets allow, strongest first, upper case.
  [[nodiscard]] virtual std::vector<std::string> sasl_mechanisms() const = 0;
  // A fresh server-side mechanism, or nullptr when it is not offered.
  virtual std::unique_ptr<ServerMechanism> start_sasl(std::string_view mechanism) = 0;
  // Called by the session once the outcome of a SASL exchange is known, so that a policy
  // wrapper sees SASL failures as it sees PASS failures.
  virtual void sasl_finished(std::string_view mechanism, bool success, std::string_view user) {
    (void)mechanism;
    (void)success;
    (void)user;
  }
};

}  // namespace pop3
