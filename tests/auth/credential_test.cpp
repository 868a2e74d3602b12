#include <doctest/doctest.h>

#include "pop3/auth/base64.hpp"
#include "pop3/auth/credential_store.hpp"
#include "pop3/auth/dovecot_scheme.hpp"

using namespace pop3::auth;
using pop3::Secret;

namespace {
// `doveadm pw -s SHA512-CRYPT -p pencil` (Dovecot 2.3.19).
constexpr std::string_view doveadm_crypt =
    "$6$PryRNAlFo1dmn0Ay$EYsaIZy417Ikvx3DNQs8xYNc8vh3kCfFVmmtrrlk2Leu4SW9tnnCqUCvd4lNbo/"
    "VY1jtXB5kXDu0itYonLsQY0";
}  // namespace

TEST_CASE("StoredCredential states what it holds") {
  const auto plain = StoredCredential::plaintext(Secret("pencil"));
  CHECK(plain.kind() == StoredCredential::Kind::Plaintext);
  REQUIRE(plain.plaintext_password() != nullptr);
  CHECK(plain.plaintext_password()->reveal() == "pencil");
  CHECK(plain.crypt_string() == nullptr);
  CHECK(plain.scram_keys() == nullptr);

  const auto crypt = StoredCredential::sha512_crypt(std::string(doveadm_crypt));
  CHECK(crypt.kind() == StoredCredential::Kind::Sha512Crypt);
  CHECK(crypt.crypt_string() != nullptr);
  CHECK(crypt.plaintext_password() == nullptr);

  const auto keys =
      StoredCredential::scram_sha256(scram::derive_keys(Secret("pencil"), "salt", 4096));
  CHECK(keys.kind() == StoredCredential::Kind::ScramSha256Keys);
  REQUIRE(keys.scram_keys() != nullptr);
  CHECK(keys.scram_keys()->iterations == 4096);
  CHECK(kind_name(keys.kind()) == "SCRAM-SHA-256 keys");
}

TEST_CASE(
    "supports(): APOP and CRAM-MD5 need plaintext, SCRAM needs keys or plaintext, "
    "USER/PASS, PLAIN and LOGIN work with everything") {
  const auto plain = StoredCredential::plaintext(Secret("pencil"));
  const auto crypt = StoredCredential::sha512_crypt(std::string(doveadm_crypt));
  const auto keys =
      StoredCredential::scram_sha256(scram::derive_keys(Secret("pencil"), "salt", 4096));
  for (const auto* c : {&plain, &crypt, &keys}) {
    CHECK(c->supports(Mechanism::UserPass));
    CHECK(c->supports(Mechanism::Plain));
    CHECK(c->supports(Mechanism::Login));
  }
  CHECK(plain.supports(Mechanism::Apop));
  CHECK(plain.supports(Mechanism::CramMd5));
  CHECK(plain.supports(Mechanism::ScramSha256));
  CHECK_FALSE(crypt.supports(Mechanism::Apop));
  CHECK_FALSE(crypt.supports(Mechanism::CramMd5));
  CHECK_FALSE(crypt.supports(Mechanism::ScramSha256));
  CHECK_FALSE(keys.supports(Mechanism::Apop));
  CHECK_FALSE(keys.supports(Mechanism::CramMd5));
  CHECK(keys.supports(Mechanism::ScramSha256));
}

TEST_CASE("verify_password checks each kind and refuses wrong or NUL-bearing passwords") {
  const auto plain = StoredCredential::plaintext(Secret("pencil"));
  const auto crypt = StoredCredential::sha512_crypt(std::string(doveadm_crypt));
  const auto keys =
      StoredCredential::scram_sha256(scram::derive_keys(Secret("pencil"), "salt", 4096));
  for (const auto* c : {&plain, &crypt, &keys}) {
    CAPTURE(kind_name(c->kind()));
    CHECK(c->verify_password(Secret("pencil")));
    CHECK_FALSE(c->verify_password(Secret("pencil ")));
    CHECK_FALSE(c->verify_password(Secret("pencl")));
    CHECK_FALSE(c->verify_password(Secret("")));
    CHECK_FALSE(c->verify_password(Secret(std::string_view("pencil\0x", 8))));
  }
  CHECK_FALSE(StoredCredential::sha512_crypt("garbage").verify_password(Secret("pencil")));
}

TEST_CASE("MemoryCredentialStore add/set/remove and lists users in order") {
  MemoryCredentialStore store;
  CHECK(store.add("bob", StoredCredential::plaintext(Secret("1"))));
  CHECK_FALSE(store.add("bob", StoredCredential::plaintext(Secret("2"))));
  CHECK(store.lookup("bob")->verify_password(Secret("1")));
  store.set("bob", StoredCredential::plaintext(Secret("2")));
  CHECK(store.lookup("bob")->verify_password(Secret("2")));
  store.set("alice", StoredCredential::plaintext(Secret("3")));
  CHECK(store.users() == std::vector<std::string>{"alice", "bob"});
  CHECK_FALSE(store.lookup("Bob"));  // case-sensitive
  CHECK(store.remove("bob"));
  CHECK_FALSE(store.remove("bob"));
  CHECK(store.size() == 1);
}
