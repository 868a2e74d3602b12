#pragma once
// StoreAuthenticator: pop3::Authenticator over a CredentialStore, offering exactly what
// the stored secrets allow.
//
// A mechanism is offered only if every user in the store can use it: clients such as
// curl pick the strongest mechanism offered, so offering CRAM-MD5 while some users hold
// only a crypt hash would lock those users out. The answer is computed from the store at
// each call, so it follows the store as users are added or changed. An empty store
// offers no SASL mechanism and no APOP.
//
// Failures say "invalid user name or password" whether or not the user exists, and
// cost about the same either way (see server_mechanisms.hpp). Delays, penalties and
// lockouts are the server's policy, layered on top; this class adds none.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pop3/auth/credential_store.hpp"
#include "pop3/auth/mechanisms.hpp"
#include "pop3/auth/server_mechanisms.hpp"
#include "pop3/core/authenticator.hpp"

namespace pop3::auth {

class StoreAuthenticator final : public Authenticator {
 public:
  // The store must outlive this object and every mechanism it starts. options: the host
  // for CRAM-MD5 challenges, SCRAM settings, fixed nonces for tests. An empty
  // scram_salt_key is replaced by a random one, fixed for this object's life.
  explicit StoreAuthenticator(const CredentialStore& store, ServerMechanismOptions options = {});

  AuthDecision check_user_pass(std::string_view user, const Secret& password) override;
  AuthDecision check_apop(std::string_view user, std::string_view timestamp,
                          std::string_view digest) override;
  [[nodiscard]] bool apop_available() const override;
  [[nodiscard]] std::vector<std::string> sasl_mechanisms() const override;
  // Case-insensitive; nullptr unless sasl_mechanisms() lists it.
  std::unique_ptr<ServerMechanism> start_sasl(std::string_view mechanism) override;

 private:
  const CredentialStore& store_;
  ServerMechanismOptions options_;
};

// The users whose stored credential cannot serve mechanism m (empty: m can be offered,
// provided the store has users). For explaining why a mechanism is missing from CAPA.
[[nodiscard]] std::vector<std::string> users_blocking(const CredentialStore& store, Mechanism m);

// Whether m can be offered: the store has users and none blocks it.
[[nodiscard]] bool offerable(const CredentialStore& store, Mechanism m);

}  // namespace pop3::auth
