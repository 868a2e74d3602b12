#pragma once
// SCRAM-SHA-256, server side (RFC 5802, RFC 7677), without channel binding.
//
//   start(client-first)   -> Challenge server-first (r = client nonce + server nonce,
//                            s = salt, i = iterations)          client_exposure None
//   step(client-final)    -> checks c=, r= and the proof; Challenge server-final
//                            (v = ServerSignature), or Failure "AUTH"   SaltedProof
//   step("")              -> Success (RFC 5034: the client acknowledges server-final)
//
// Keys come from the store: ScramSha256Keys as stored, or derived from a plaintext
// password with a per-user salt (ServerMechanismOptions). Users stored as a crypt hash,
// and unknown users, get a decoy exchange that fails at the proof.
#include <optional>
#include <string>
#include <string_view>

#include "pop3/auth/credential_store.hpp"
#include "pop3/auth/scram.hpp"
#include "pop3/auth/server_mechanisms.hpp"
#include "pop3/core/mechanism.hpp"

namespace pop3::auth {

class ScramSha256Server final : public ServerMechanism {
 public:
  ScramSha256Server(const CredentialStore& store, ServerMechanismOptions options = {});
  [[nodiscard]] std::string_view name() const noexcept override { return "SCRAM-SHA-256"; }
  SaslStep start(std::optional<std::string_view> initial_response) override;
  SaslStep step(std::string_view response) override;

 private:
  enum class Stage { WantClientFirst, WantClientFinal, WantAck, Done };
  SaslStep client_first(std::string_view base64);
  SaslStep client_final(std::string_view base64);
  void load_keys();

  const CredentialStore& store_;
  ServerMechanismOptions options_;
  Stage stage_ = Stage::Done;
  scram::ClientFirst first_;
  std::string nonce_;  // client + server nonce
  std::string server_first_;
  ScramSha256Keys keys_;
  bool keys_real_ = false;  // false: a decoy for an unknown user or unusable credential
};

}  // namespace pop3::auth
