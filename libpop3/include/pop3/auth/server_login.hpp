#pragma once
// SASL LOGIN, server side: prompts "Username:" then "Password:" (as Dovecot does). A
// user name sent as the initial response skips the first prompt. client_exposure: None
// for the user name, Base64 for the password.
#include <optional>
#include <string>
#include <string_view>

#include "pop3/auth/credential_store.hpp"
#include "pop3/core/mechanism.hpp"

namespace pop3::auth {

class LoginServer final : public ServerMechanism {
 public:
  explicit LoginServer(const CredentialStore& store) : store_(store) {}
  [[nodiscard]] std::string_view name() const noexcept override { return "LOGIN"; }
  SaslStep start(std::optional<std::string_view> initial_response) override;
  SaslStep step(std::string_view response) override;

 private:
  enum class Stage { WantUser, WantPassword, Done };
  SaslStep take_user(std::string_view base64);
  const CredentialStore& store_;
  std::string user_;
  Stage stage_ = Stage::Done;
};

}  // namespace pop3::auth
