#include "pop3/auth/store_authenticator.hpp"

#include <doctest/doctest.h>

#include "auth_test_support.hpp"
#include "pop3/auth/apop.hpp"
#include "pop3/auth/client_mechanisms.hpp"
#include "pop3/auth/dovecot_scheme.hpp"

using namespace pop3::auth;
using pop3::Secret;
using Strings = std::vector<std::string>;

namespace {
StoredCredential from(std::string_view field) {
  return *parse_dovecot_password(field).credential;
}
StoredCredential crypt_of(std::string_view pw) {
  return from(encode_dovecot_password(PasswordScheme::Sha512Crypt, Secret(pw)).reveal());
}
StoredCredential scram_of(std::string_view pw) {
  return from(encode_dovecot_password(PasswordScheme::ScramSha256, Secret(pw)).reveal());
}
}  // namespace

TEST_CASE("sasl_mechanisms() offers only what every stored user supports, strongest first") {
  MemoryCredentialStore store;
  StoreAuthenticator auth(store);
  CHECK(auth.sasl_mechanisms().empty());  // nobody to authenticate
  CHECK_FALSE(auth.apop_available());

  store.add("alice", StoredCredential::plaintext(Secret("a")));
  CHECK(auth.sasl_mechanisms() == Strings{"SCRAM-SHA-256", "CRAM-MD5", "PLAIN", "LOGIN"});
  CHECK(auth.apop_available());

  store.add("bob", scram_of("b"));
  CHECK(auth.sasl_mechanisms() == Strings{"SCRAM-SHA-256", "PLAIN", "LOGIN"});
  CHECK_FALSE(auth.apop_available());
  CHECK(users_blocking(store, Mechanism::CramMd5) == Strings{"bob"});

  store.add("carol", crypt_of("c"));
  CHECK(auth.sasl_mechanisms() == Strings{"PLAIN", "LOGIN"});
  CHECK(users_blocking(store, Mechanism::ScramSha256) == Strings{"carol"});

  store.remove("carol");
  store.remove("bob");
  CHECK(auth.sasl_mechanisms().size() == 4);
}

TEST_CASE("start_sasl is case-insensitive and refuses what is not offered") {
  MemoryCredentialStore store;
  store.add("carol", crypt_of("c"));
  StoreAuthenticator auth(store);
  CHECK(auth.start_sasl("plain") != nullptr);
  CHECK(auth.start_sasl("Login") != nullptr);
  CHECK(auth.start_sasl("CRAM-MD5") == nullptr);
  CHECK(auth.start_sasl("scram-sha-256") == nullptr);
  CHECK(auth.start_sasl("GSSAPI") == nullptr);
}

TEST_CASE("check_user_pass accepts the right password and rejects others alike with AUTH") {
  MemoryCredentialStore store;
  store.add("alice", crypt_of("pencil"));
  store.add("bob", StoredCredential::plaintext(Secret("hunter2")));
  StoreAuthenticator auth(store);
  const auto ok = auth.check_user_pass("alice", Secret("pencil"));
  CHECK(ok.accepted());
  CHECK(ok.user == "alice");
  CHECK(auth.check_user_pass("bob", Secret("hunter2")).accepted());

  const auto wrong = auth.check_user_pass("alice", Secret("pencil2"));
  const auto unknown = auth.check_user_pass("mallory", Secret("pencil"));
  CHECK(wrong.outcome == pop3::AuthDecision::Outcome::Rejected);
  CHECK(unknown.outcome == pop3::AuthDecision::Outcome::Rejected);
  CHECK(wrong.response_code == "AUTH");
  CHECK(wrong.reason == unknown.reason);
  CHECK(wrong.reason.find("pencil") == std::string::npos);
}

TEST_CASE("check_apop verifies the RFC 1939 example and needs a plaintext secret") {
  MemoryCredentialStore store;
  store.add("mrose", StoredCredential::plaintext(Secret("tanstaaf")));
  store.add("hashed", crypt_of("tanstaaf"));
  StoreAuthenticator auth(store);
  constexpr std::string_view ts = "<1896.697170952@dbc.mtview.ca.us>";
  CHECK(auth.check_apop("mrose", ts, "c4c9334bac560ecc979e58001b3e22fb").accepted());
  CHECK(auth.check_apop("mrose", ts, "C4C9334BAC560ECC979E58001B3E22FB").accepted());
  CHECK_FALSE(auth.check_apop("mrose", ts, "c4c9334bac560ecc979e58001b3e22fc").accepted());
  CHECK_FALSE(
      auth.check_apop("mrose", "<other@host>", "c4c9334bac560ecc979e58001b3e22fb").accepted());
  CHECK_FALSE(auth.check_apop("mrose", ts, "c4c9334b").accepted());
  CHECK_FALSE(auth.check_apop("nobody", ts, "c4c9334bac560ecc979e58001b3e22fb").accepted());
  CHECK_FALSE(auth.check_apop("hashed", ts, apop_digest(ts, Secret("tanstaaf"))).accepted());
}

TEST_CASE("StoreAuthenticator's mechanisms log in real clients for a mixed SCRAM store") {
  MemoryCredentialStore store;
  store.add("alice", scram_of("pencil"));
  store.add("bob", StoredCredential::plaintext(Secret("hunter2")));
  StoreAuthenticator auth(store);
  for (const auto& name : auth.sasl_mechanisms()) {
    CAPTURE(name);
    for (const auto& [user, password] :
         {std::pair{"alice", "pencil"}, std::pair{"bob", "hunter2"}}) {
      auto client = make_client_mechanism(name, user, Secret(password));
      auto server = auth.start_sasl(name);
      REQUIRE(server);
      const auto ex = test::run_exchange(*client, *server);
      CHECK(ex.last.kind == pop3::SaslStep::Kind::Success);
      CHECK(ex.last.user == user);
    }
  }
}
