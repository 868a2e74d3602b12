#pragma once
// CRAM-MD5, client side (RFC 2195): the server's challenge arrives as "+ base64"; the
// client answers base64("user hex(HMAC-MD5(secret, challenge))"). Exposure: Digest.
#include <string>

#include "pop3/core/mechanism.hpp"
#include "pop3/core/secret.hpp"

namespace pop3::auth {

class CramMd5Client final : public ClientMechanism {
 public:
  CramMd5Client(std::string user, Secret password);

  [[nodiscard]] std::string_view name() const noexcept override { return "CRAM-MD5"; }
  std::optional<ClientSaslStep> initial_response() override { return std::nullopt; }
  ClientSaslStep respond(std::string_view challenge) override;

 private:
  std::string user_;
  Secret password_;
  bool answered_ = false;
};

}  // namespace pop3::auth
