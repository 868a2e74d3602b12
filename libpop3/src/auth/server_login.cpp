#include "pop3/auth/server_login.hpp"

#include "decoy.hpp"
#include "openssl_util.hpp"
#include "server_steps.hpp"

namespace pop3::auth {

namespace {
constexpr std::string_view username_prompt = "Username:";
constexpr std::string_view password_prompt = "Password:";
}  // namespace

SaslStep LoginServer::start(std::optional<std::string_view> initial_response) {
  stage_ = Stage::WantUser;
  if (initial_response) {
    const std::string_view text = detail::initial_text(*initial_response);
    if (!text.empty()) return take_user(text);
  }
  return detail::challenge_step(username_prompt, Exposure::None);
}

SaslStep LoginServer::step(std::string_view response) {
  switch (stage_) {
    case Stage::WantUser:
      return take_user(response);
    case Stage::WantPassword: {
      stage_ = Stage::Done;
      auto decoded = base64_decode(response);
      if (!decoded) return detail::malformed_step("response is not valid base64", Exposure::Base64);
      const Secret password(*decoded);
      detail::wipe(*decoded);
      if (password.empty()) return detail::malformed_step("empty password", Exposure::Base64);
      if (!detail::check_password(store_, user_, password)) {
        return detail::failure_step(Exposure::Base64);
      }
      return detail::success_step(std::move(user_), Exposure::Base64);
    }
    case Stage::Done:
      break;
  }
  return detail::malformed_step("the LOGIN exchange is over");
}

SaslStep LoginServer::take_user(std::string_view base64) {
  auto user = base64_decode(base64);
  if (!user) {
    stage_ = Stage::Done;
    return detail::malformed_step("response is not valid base64");
  }
  if (user->empty() || user->find('\0') != std::string::npos) {
    stage_ = Stage::Done;
    return detail::malformed_step("bad user name");
  }
  user_ = std::move(*user);
  stage_ = Stage::WantPassword;
  return detail::challenge_step(password_prompt, Exposure::None);
}

}  // namespace pop3::auth
