#include "pop3/auth/store_authenticator.hpp"

#include "ascii.hpp"
#include "decoy.hpp"
#include "pop3/auth/apop.hpp"
#include "pop3/auth/constant_time.hpp"
#include "pop3/auth/hex.hpp"
#include "pop3/auth/random.hpp"
#include "server_steps.hpp"

namespace pop3::auth {

namespace {

AuthDecision accepted(std::string_view user) {
  AuthDecision d;
  d.outcome = AuthDecision::Outcome::Accepted;
  d.user = std::string(user);
  return d;
}

AuthDecision rejected(std::string_view reason = detail::invalid_credentials) {
  AuthDecision d;
  d.outcome = AuthDecision::Outcome::Rejected;
  d.reason = std::string(reason);
  d.response_code = "AUTH";
  return d;
}

}  // namespace

std::vector<std::string> users_blocking(const CredentialStore& store, Mechanism m) {
  std::vector<std::string> out;
  for (auto& user : store.users()) {
    const auto credential = store.lookup(user);
    if (!credential || !credential->supports(m)) out.push_back(std::move(user));
  }
  return out;
}

bool offerable(const CredentialStore& store, Mechanism m) {
  const auto users = store.users();
  if (users.empty()) return false;
  for (const auto& user : users) {
    const auto credential = store.lookup(user);
    if (!credential || !credential->supports(m)) return false;
  }
  return true;
}

StoreAuthenticator::StoreAuthenticator(const CredentialStore& store, ServerMechanismOptions options)
    : store_(store), options_(std::move(options)) {
  if (options_.scram_salt_key.empty()) options_.scram_salt_key = random_bytes(32);
}

AuthDecision StoreAuthenticator::check_user_pass(std::string_view user, const Secret& password) {
  return detail::check_password(store_, user, password) ? accepted(user) : rejected();
}

AuthDecision StoreAuthenticator::check_apop(std::string_view user, std::string_view timestamp,
                                            std::string_view digest) {
  // RFC 1939 §7 says lower case; accept upper case too, it is the same digest.
  const std::string given = detail::lower(digest);
  if (given.size() != 32 || !hex_decode(given)) return rejected("malformed APOP digest");
  const auto credential = store_.lookup(user);
  const Secret* secret = credential ? credential->plaintext_password() : nullptr;
  if (secret == nullptr) {
    (void)apop_digest(timestamp, detail::decoy_password());  // same work as a real user
    return rejected();
  }
  return constant_time_equals(apop_digest(timestamp, *secret), given) ? accepted(user) : rejected();
}

bool StoreAuthenticator::apop_available() const {
  return offerable(store_, Mechanism::Apop);
}

std::vector<std::string> StoreAuthenticator::sasl_mechanisms() const {
  std::vector<std::string> out;
  for (const Mechanism m : sasl_mechanisms_strongest_first) {
    if (offerable(store_, m)) out.emplace_back(mechanism_name(m));
  }
  return out;
}

std::unique_ptr<ServerMechanism> StoreAuthenticator::start_sasl(std::string_view mechanism) {
  const auto m = parse_sasl_mechanism(mechanism);
  if (!m || !offerable(store_, *m)) return nullptr;
  return make_server_mechanism(*m, store_, options_);
}

}  // namespace pop3::auth
