#pragma once
// CRAM-MD5, server side (RFC 2195): sends a challenge "<random.random@host>" and checks
// "user SP hex(HMAC-MD5(secret, challenge))". Needs the plaintext secret: users stored
// otherwise fail like a wrong password. No initial response (Malformed if one is sent).
// client_exposure: Digest.
#include <optional>
#include <string>
#include <string_view>

#include "pop3/auth/credential_store.hpp"
#include "pop3/core/mechanism.hpp"

namespace pop3::auth {

class CramMd5Server final : public ServerMechanism {
 public:
  // challenge: the text to send (not base64), e.g. make_apop_timestamp(host).
  CramMd5Server(const CredentialStore& store, std::string challenge);
  [[nodiscard]] std::string_view name() const noexcept override { return "CRAM-MD5"; }
  SaslStep start(std::optional<std::string_view> initial_response) override;
  SaslStep step(std::string_view response) override;

 private:
  const CredentialStore& store_;
  std::string challenge_;
  bool waiting_ = false;
};

}  // namespace pop3::auth
