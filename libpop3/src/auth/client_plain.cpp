#include "pop3/auth/client_plain.hpp"

#include "client_steps.hpp"

namespace pop3::auth {

PlainClient::PlainClient(std::string authcid, Secret password, std::string authzid)
    : authcid_(std::move(authcid)), password_(std::move(password)), authzid_(std::move(authzid)) {}

std::optional<ClientSaslStep> PlainClient::initial_response() {
  return message();
}

ClientSaslStep PlainClient::respond(std::string_view challenge) {
  if (sent_) return detail::give_up("PLAIN is one message; the server asked for more");
  if (!challenge.empty()) return detail::give_up("PLAIN expects an empty challenge");
  return message();
}

ClientSaslStep PlainClient::message() {
  sent_ = true;
  const std::string_view password = password_.reveal();
  // RFC 4616 §2: the three fields are separated by NUL, so none may contain one.
  if (authcid_.empty() || password.empty() ||
      (authcid_ + authzid_).find('\0') != std::string::npos ||
      password.find('\0') != std::string_view::npos) {
    return detail::give_up("PLAIN needs a user name and a password without NUL characters");
  }
  std::string message = authzid_;
  message += '\0';
  message += authcid_;
  message += '\0';
  message += password;
  std::string explanation =
      "PLAIN message: authzid \"" + authzid_ + "\" NUL authcid \"" + authcid_ + "\" NUL password " +
      std::string(Secret::redacted) +
      ", base64-encoded. Base64 is an encoding, not encryption: anyone who sees this line "
      "decodes the password.";
  return detail::send_step(message, Exposure::Base64, std::move(explanation));
}

}  // namespace pop3::auth
