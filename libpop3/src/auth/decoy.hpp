#pragma once
// Internal: making a failed lookup cost what a successful one costs.
//
// A server that answers "no such user" faster than "wrong password" lets anyone list its
// users by timing. So when a user is unknown (or holds a credential the mechanism cannot
// use), the same work is done against a decoy: the credential of the store's first
// user, checked with a random password that cannot match. Stores are normally
// homogeneous (one `doveadm pw -s` scheme), so the decoy costs what a real user costs.
// Residual difference: one extra lookup, and users() is O(users).
#include <optional>
#include <string_view>

#include "pop3/auth/credential_store.hpp"
#include "pop3/core/secret.hpp"

namespace pop3::auth::detail {

[[nodiscard]] std::optional<StoredCredential> decoy_credential(const CredentialStore& store);
// A password no one has.
[[nodiscard]] Secret decoy_password();

// USER/PASS, PLAIN, LOGIN: true if the user exists and the password is right. The time
// does not depend on whether the user exists (see above).
[[nodiscard]] bool check_password(const CredentialStore& store, std::string_view user,
                                  const Secret& password);

}  // namespace pop3::auth::detail
