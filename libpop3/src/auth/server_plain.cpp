#include "pop3/auth/server_plain.hpp"

#include "decoy.hpp"
#include "openssl_util.hpp"
#include "server_steps.hpp"

namespace pop3::auth {

SaslStep PlainServer::start(std::optional<std::string_view> initial_response) {
  if (initial_response) return verify(detail::initial_text(*initial_response));
  waiting_ = true;
  return detail::challenge_step("", Exposure::None);
}

SaslStep PlainServer::step(std::string_view response) {
  if (!waiting_) return detail::malformed_step("the PLAIN exchange is over");
  waiting_ = false;
  return verify(response);
}

SaslStep PlainServer::verify(std::string_view base64) {
  auto message = base64_decode(base64);
  if (!message) return detail::malformed_step("response is not valid base64", Exposure::Base64);

  // RFC 4616 §2: [authzid] NUL authcid NUL passwd
  const std::size_t first = message->find('\0');
  const std::size_t second =
      first == std::string::npos ? std::string::npos : message->find('\0', first + 1);
  if (second == std::string::npos || message->find('\0', second + 1) != std::string::npos) {
    detail::wipe(*message);
    return detail::malformed_step("PLAIN message is not authzid NUL authcid NUL password",
                                  Exposure::Base64);
  }
  const std::string authzid = message->substr(0, first);
  std::string authcid = message->substr(first + 1, second - first - 1);
  const Secret password(std::string_view(*message).substr(second + 1));
  detail::wipe(*message);

  if (authcid.empty() || password.empty()) {
    return detail::malformed_step("PLAIN message has an empty user name or password",
                                  Exposure::Base64);
  }
  if (!authzid.empty() && authzid != authcid) {
    return detail::failure_step(Exposure::Base64,
                                "logging in as another user (authzid) is not allowed");
  }
  if (!detail::check_password(store_, authcid, password)) {
    return detail::failure_step(Exposure::Base64);
  }
  return detail::success_step(std::move(authcid), Exposure::Base64);
}

}  // namespace pop3::auth
