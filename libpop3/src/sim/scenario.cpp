#include "pop3/sim/scenario.hpp"

#include <stdexcept>

#include "pop3/auth/scram.hpp"

namespace pop3::sim {

Account& Scenario::add_account(std::string user, std::string password,
                               auth::PasswordScheme scheme) {
  Account a;
  a.user = std::move(user);
  a.password = std::move(password);
  a.scheme = scheme;
  accounts.push_back(std::move(a));
  return accounts.back();
}

namespace {

auth::StoredCredential parse_field(const std::string& user, std::string_view field) {
  auto parsed = auth::parse_dovecot_password(field);
  if (!parsed.credential)
    throw std::invalid_argument("simulator: account " + user + ": " + parsed.error);
  return std::move(*parsed.credential);
}

auth::StoredCredential stored_credential(const Account& a, const LabNonces& nonces) {
  if (!a.stored.empty()) return parse_field(a.user, a.stored);
  const Secret password(a.password);
  if (a.scheme == auth::PasswordScheme::ScramSha256) {
    // The salt reaches the wire in the server-first message: it must replay.
    const auto keys = auth::scram::derive_keys(password, nonces.scram_salt(a.user),
                                               auth::scram::default_iterations);
    const Secret field =
        auth::encode_dovecot_credential(auth::StoredCredential::scram_sha256(keys));
    return parse_field(a.user, field.reveal());
  }
  const Secret field = auth::encode_dovecot_password(a.scheme, password);
  return parse_field(a.user, field.reveal());
}

}  // namespace

auth::MemoryCredentialStore make_credentials(const Scenario& scenario, const LabNonces& nonces) {
  auth::MemoryCredentialStore store;
  for (const Account& a : scenario.accounts) {
    if (!store.add(a.user, stored_credential(a, nonces)))
      throw std::invalid_argument("simulator: account " + a.user + " is listed twice");
  }
  return store;
}

void fill_maildrops(const Scenario& scenario, maildrop::MemoryMaildropStore& store) {
  for (const Account& a : scenario.accounts) {
    store.add_user(a.user);
    for (const std::string& m : a.messages)
      store.deliver(a.user, m);
  }
}

}  // namespace pop3::sim
