#pragma once
// Server-side SASL mechanisms over a CredentialStore, and the options they share.
//
// Contract common to all of them (see pop3/core/mechanism.hpp for the interface):
// - Malformed: the client's text is not valid base64 or not a valid message of the
//   mechanism; Failure with response_code "AUTH": wrong credentials. The reason is sent
//   to the client, so it never tells an unknown user from a wrong password.
// - client_exposure says what the client message consumed by the step gives away.
// - An unknown user costs what a known one costs where feasible: the check is run
//   against a decoy (the store's first user's credential, with a random password), so
//   the time does not reveal which user names exist. SCRAM answers unknown users with a
//   salt derived from the name (RFC 5802 §9), stable across attempts.
// - The store must outlive the mechanism; a mechanism serves one exchange.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "pop3/auth/credential_store.hpp"
#include "pop3/auth/mechanisms.hpp"
#include "pop3/auth/scram.hpp"
#include "pop3/core/mechanism.hpp"

namespace pop3::auth {

struct ServerMechanismOptions {
  // The right-hand side of CRAM-MD5 challenges "<random.random@host>".
  std::string host = "localhost";
  // SCRAM keys derived on the fly for users stored in plaintext: the iteration count,
  // and the HMAC key that turns a user name into that user's salt. Empty key: a random
  // one per mechanism (the salt then changes every session, which works but defeats
  // clients that cache SaltedPassword). StoreAuthenticator sets one per instance.
  std::uint32_t scram_iterations = scram::default_iterations;
  std::string scram_salt_key;
  // For tests and labs: fixed challenges and nonces. Empty: fresh from RAND_bytes.
  std::function<std::string()> cram_md5_challenge;  // the whole "<...@host>" challenge
  std::function<std::string()> scram_server_nonce;  // appended to the client nonce
};

// nullptr for USER/PASS and APOP (not SASL).
[[nodiscard]] std::unique_ptr<ServerMechanism> make_server_mechanism(
    Mechanism mechanism, const CredentialStore& store, const ServerMechanismOptions& options = {});

}  // namespace pop3::auth
