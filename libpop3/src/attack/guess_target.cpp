#include "pop3/attack/guess_target.hpp"

namespace pop3::attack {

std::string_view login_method_name(LoginMethod method) noexcept {
  switch (method) {
    case LoginMethod::UserPass:
      return "USER/PASS";
    case LoginMethod::Apop:
      return "APOP";
    case LoginMethod::Plain:
      return "PLAIN";
    case LoginMethod::Login:
      return "LOGIN";
    case LoginMethod::CramMd5:
      return "CRAM-MD5";
    case LoginMethod::ScramSha256:
      return "SCRAM-SHA-256";
  }
  return "?";
}

std::string_view attempt_outcome_name(AttemptOutcome outcome) noexcept {
  switch (outcome) {
    case AttemptOutcome::Accepted:
      return "accepted";
    case AttemptOutcome::Rejected:
      return "rejected";
    case AttemptOutcome::LockedOut:
      return "locked-out";
    case AttemptOutcome::Error:
      return "error";
  }
  return "?";
}

AttemptOutcome classify_login_reply(const Reply& reply) noexcept {
  if (reply.status == Status::Ok) return AttemptOutcome::Accepted;
  if (reply.status != Status::Err) return AttemptOutcome::Error;
  if (!reply.code) return AttemptOutcome::Rejected;
  const std::string_view top = reply.code->top();
  if (top == "LOGIN-DELAY") return AttemptOutcome::LockedOut;
  if (top == "IN-USE") return AttemptOutcome::Accepted;
  if (top == "SYS") return AttemptOutcome::Error;
  return AttemptOutcome::Rejected;
}

std::string status_text(const Reply& reply) {
  std::string s(status_token(reply.status));
  if (reply.code) s += " [" + reply.code->text + "]";
  if (!reply.text.empty()) s += " " + reply.text;
  return s;
}

}  // namespace pop3::attack
