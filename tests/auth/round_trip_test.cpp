#include <doctest/doctest.h>

#include "auth_test_support.hpp"
#include "pop3/auth/base64.hpp"
#include "pop3/auth/client_mechanisms.hpp"
#include "pop3/auth/client_scram_sha256.hpp"
#include "pop3/auth/dovecot_scheme.hpp"
#include "pop3/auth/server_mechanisms.hpp"

using namespace pop3::auth;
using pop3::Exposure;
using pop3::Secret;
using Kind = pop3::SaslStep::Kind;

namespace {

constexpr std::string_view password = "s3cr=t,pass:word";

// One store per credential kind, all for the user "al=ice,x" (a name that needs
// SCRAM's saslname escaping).
const std::string user = "al=ice,x";

MemoryCredentialStore store_of(StoredCredential::Kind kind) {
  MemoryCredentialStore store;
  const Secret secret(password);
  switch (kind) {
    case StoredCredential::Kind::Plaintext:
      store.add(user, StoredCredential::plaintext(secret));
      break;
    case StoredCredential::Kind::Sha512Crypt:
      store.add(user, *parse_dovecot_password(
                           encode_dovecot_password(PasswordScheme::Sha512Crypt, secret).reveal())
                           .credential);
      break;
    case StoredCredential::Kind::ScramSha256Keys:
      store.add(user, *parse_dovecot_password(
                           encode_dovecot_password(PasswordScheme::ScramSha256, secret).reveal())
                           .credential);
      break;
  }
  return store;
}

std::vector<Exposure> client_exposures(const test::Exchange& ex) {
  std::vector<Exposure> out;
  for (const auto& step : ex.client)
    out.push_back(step.exposure);
  return out;
}

}  // namespace

TEST_CASE(
    "every client mechanism logs in to its server mechanism with the right password, "
    "for every credential kind that supports it, and fails otherwise") {
  for (const auto kind : {StoredCredential::Kind::Plaintext, StoredCredential::Kind::Sha512Crypt,
                          StoredCredential::Kind::ScramSha256Keys}) {
    const MemoryCredentialStore store = store_of(kind);
    for (const Mechanism m : sasl_mechanisms_strongest_first) {
      for (const bool right : {true, false}) {
        for (const bool initial : {true, false}) {
          CAPTURE(kind_name(kind));
          CAPTURE(mechanism_name(m));
          CAPTURE(right);
          CAPTURE(initial);
          auto client = make_client_mechanism(mechanism_name(m), user,
                                              Secret(right ? password : "wrong password"));
          auto server = make_server_mechanism(m, store);
          const auto ex = test::run_exchange(*client, *server, initial);
          const bool expect = right && store.lookup(user)->supports(m);
          CHECK(ex.last.kind == (expect ? Kind::Success : Kind::Failure));
          CHECK_FALSE(ex.client_gave_up);
          if (expect) {
            CHECK(ex.last.user == user);
          } else {
            CHECK(ex.last.response_code == "AUTH");
          }
          for (const auto& step : ex.client) {
            CHECK(step.explanation.find(password) == std::string::npos);
            CHECK(step.explanation.find("wrong password") == std::string::npos);
            CHECK_FALSE(step.explanation.empty());
          }
          for (const auto& step : ex.server) {
            CHECK(step.reason.find(password) == std::string::npos);
          }
        }
      }
    }
  }
}

TEST_CASE("each mechanism's client steps report the exposure the design assigns them") {
  const MemoryCredentialStore store = store_of(StoredCredential::Kind::Plaintext);
  auto run = [&](Mechanism m) {
    auto client = make_client_mechanism(mechanism_name(m), user, Secret(password));
    auto server = make_server_mechanism(m, store);
    return test::run_exchange(*client, *server);
  };
  CHECK(client_exposures(run(Mechanism::Plain)) == std::vector{Exposure::Base64});
  CHECK(client_exposures(run(Mechanism::Login)) == std::vector{Exposure::None, Exposure::Base64});
  CHECK(client_exposures(run(Mechanism::CramMd5)) == std::vector{Exposure::Digest});
  CHECK(client_exposures(run(Mechanism::ScramSha256)) ==
        std::vector{Exposure::None, Exposure::SaltedProof, Exposure::None});

  // The server side agrees on what each client message gave away.
  const auto scram = run(Mechanism::ScramSha256);
  REQUIRE(scram.server.size() == 3);
  CHECK(scram.server[0].client_exposure == Exposure::None);
  CHECK(scram.server[1].client_exposure == Exposure::SaltedProof);
  CHECK(scram.server[2].client_exposure == Exposure::None);
}

TEST_CASE("SCRAM round trips hold for keys derived from plaintext across sessions") {
  // Keys derived on the fly must give the same salt to the same user (per salt key).
  const MemoryCredentialStore store = store_of(StoredCredential::Kind::Plaintext);
  ServerMechanismOptions options;
  options.scram_salt_key = "k";
  std::string challenges[2];
  for (auto& challenge : challenges) {
    ScramSha256Client client(user, Secret(password), std::string("fixednonce"));
    auto server = make_server_mechanism(Mechanism::ScramSha256, store, options);
    challenge = server->start(client.initial_response()->response).challenge;
    const auto final_step = client.respond(challenge);
    CHECK(server->step(final_step.response).kind == Kind::Challenge);
  }
  // The server nonce differs, the salt and iterations do not.
  CHECK(challenges[0] != challenges[1]);
  auto salt_of = [](const std::string& c) {
    const std::string text = *base64_decode(c);
    return text.substr(text.find(",s="));
  };
  CHECK(salt_of(challenges[0]) == salt_of(challenges[1]));
}
