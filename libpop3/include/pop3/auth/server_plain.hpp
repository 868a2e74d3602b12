#pragma once
// SASL PLAIN, server side (RFC 4616). Accepts the message as the initial response or
// after an empty "+ " challenge. An authorization identity other than the user itself is
// refused (no proxy logins). client_exposure: Base64.
#include <optional>
#include <string_view>

#include "pop3/auth/credential_store.hpp"
#include "pop3/core/mechanism.hpp"

namespace pop3::auth {

class PlainServer final : public ServerMechanism {
 public:
  explicit PlainServer(const CredentialStore& store) : store_(store) {}
  [[nodiscard]] std::string_view name() const noexcept override { return "PLAIN"; }
  SaslStep start(std::optional<std::string_view> initial_response) override;
  SaslStep step(std::string_view response) override;

 private:
  SaslStep verify(std::string_view base64);
  const CredentialStore& store_;
  bool waiting_ = false;
};

}  // namespace pop3::auth
