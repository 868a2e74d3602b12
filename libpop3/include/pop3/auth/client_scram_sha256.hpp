#pragma once
// SCRAM-SHA-256, client side (RFC 5802, RFC 7677), without channel binding.
//
// The exchange as POP3 carries it (RFC 5034):
//   C: AUTH SCRAM-SHA-256 base64(client-first)      initial_response()  exposure None
//   S: + base64(server-first)
//   C: base64(client-final, with the proof)          respond()           SaltedProof
//   S: + base64(server-final)                        respond() checks the server's
//   C: (empty line)                                  signature; ok=false if it is wrong
//   S: +OK
// If the session sends no initial response, the first (empty) "+ " is answered with
// client-first instead.
#include <optional>
#include <string>

#include "pop3/auth/scram.hpp"
#include "pop3/core/mechanism.hpp"
#include "pop3/core/secret.hpp"

namespace pop3::auth {

class ScramSha256Client final : public ClientMechanism {
 public:
  // client_nonce: for reproducing published vectors (RFC 7677 §3) and for labs; it
  // must be printable ASCII without ',' (else std::invalid_argument). nullopt: a fresh
  // random nonce.
  ScramSha256Client(std::string user, Secret password,
                    std::optional<std::string> client_nonce = std::nullopt);

  [[nodiscard]] std::string_view name() const noexcept override { return "SCRAM-SHA-256"; }
  std::optional<ClientSaslStep> initial_response() override;
  ClientSaslStep respond(std::string_view challenge) override;

  // True once the server's signature checked out: the server knows the keys, so it is
  // not an impostor that merely accepts anything.
  [[nodiscard]] bool server_verified() const noexcept { return stage_ == Stage::Verified; }

 private:
  enum class Stage { Start, SentClientFirst, SentClientFinal, Verified, Failed };
  ClientSaslStep client_first();
  ClientSaslStep client_final(std::string_view server_first);
  ClientSaslStep check_server_final(std::string_view server_final);
  ClientSaslStep fail(std::string error);

  std::string user_;
  Secret password_;
  std::string nonce_;
  std::string client_first_bare_;
  std::string expected_server_signature_;
  Stage stage_ = Stage::Start;
};

}  // namespace pop3::auth
