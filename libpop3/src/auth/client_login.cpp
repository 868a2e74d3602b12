#include "pop3/auth/client_login.hpp"

#include "ascii.hpp"
#include "client_steps.hpp"

namespace pop3::auth {

LoginClient::LoginClient(std::string user, Secret password)
    : user_(std::move(user)), password_(std::move(password)) {}

ClientSaslStep LoginClient::respond(std::string_view challenge) {
  const auto prompt = base64_decode(challenge);
  if (!prompt) return detail::give_up("the server's LOGIN prompt is not valid base64");
  const std::string shown = "\"" + detail::printable(*prompt) + "\"";

  switch (prompts_answered_++) {
    case 0: {
      std::string message = user_;
      return detail::send_step(message, Exposure::None,
                               "server prompt " + shown + ": answering with the user name \"" +
                                   user_ + "\", base64-encoded (a user name is not secret).");
    }
    case 1: {
      std::string message(password_.reveal());
      return detail::send_step(
          message, Exposure::Base64,
          "server prompt " + shown + ": answering with the password " +
              std::string(Secret::redacted) +
              ", base64-encoded. Anyone who sees this line decodes the password.");
    }
    default:
      return detail::give_up("LOGIN has two prompts; the server sent a third");
  }
}

}  // namespace pop3::auth
