#include "decoy.hpp"

#include "pop3/auth/base64.hpp"
#include "pop3/auth/random.hpp"

namespace pop3::auth::detail {

std::optional<StoredCredential> decoy_credential(const CredentialStore& store) {
  const auto users = store.users();
  if (users.empty()) return std::nullopt;
  return store.lookup(users.front());
}

Secret decoy_password() {
  return Secret(base64_encode(random_bytes(24)));
}

bool check_password(const CredentialStore& store, std::string_view user, const Secret& password) {
  if (const auto credential = store.lookup(user)) return credential->verify_password(password);
  if (const auto decoy = decoy_credential(store)) (void)decoy->verify_password(decoy_password());
  return false;
}

}  // namespace pop3::auth::detail
