#pragma once
// SASL PLAIN, client side (RFC 4616): one message, authzid NUL authcid NUL password,
// base64-encoded. Sent as the initial response of AUTH, or in answer to an empty "+ "
// when the session sends no initial response. Exposure: Base64 (as good as cleartext).
#include <string>

#include "pop3/core/mechanism.hpp"
#include "pop3/core/secret.hpp"

namespace pop3::auth {

class PlainClient final : public ClientMechanism {
 public:
  // authzid empty: act as authcid (the usual case).
  PlainClient(std::string authcid, Secret password, std::string authzid = {});

  [[nodiscard]] std::string_view name() const noexcept override { return "PLAIN"; }
  std::optional<ClientSaslStep> initial_response() override;
  ClientSaslStep respond(std::string_view challenge) override;

 private:
  ClientSaslStep message();
  std::string authcid_;
  Secret password_;
  std::string authzid_;
  bool sent_ = false;
};

}  // namespace pop3::auth
