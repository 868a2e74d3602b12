#pragma once
// SASL LOGIN, client side (draft-murchison-sasl-login): the server prompts twice
// ("Username:", "Password:"); the client answers with the user name, then the password,
// each base64-encoded. The answers follow the order of the prompts, not their text,
// which servers word differently. Exposure: None for the user name, Base64 for the
// password.
#include <string>

#include "pop3/core/mechanism.hpp"
#include "pop3/core/secret.hpp"

namespace pop3::auth {

class LoginClient final : public ClientMechanism {
 public:
  LoginClient(std::string user, Secret password);

  [[nodiscard]] std::string_view name() const noexcept override { return "LOGIN"; }
  // None: LOGIN waits for the server's first prompt.
  std::optional<ClientSaslStep> initial_response() override { return std::nullopt; }
  ClientSaslStep respond(std::string_view challenge) override;

 private:
  std::string user_;
  Secret password_;
  int prompts_answered_ = 0;
};

}  // namespace pop3::auth
