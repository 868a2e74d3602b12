#include "pop3/auth/scram.hpp"

#include <doctest/doctest.h>

#include <stdexcept>
#include <system_error>

#include "pop3/auth/base64.hpp"
#include "pop3/auth/client_scram_sha256.hpp"
#include "pop3/auth/credential_store.hpp"
#include "pop3/auth/server_scram_sha256.hpp"

using namespace pop3::auth;
using pop3::Secret;
using Kind = pop3::SaslStep::Kind;

// RFC 7677 section 3, user "user", password "pencil".
namespace {
constexpr std::string_view client_nonce = "rOprNGfwEbeRWgbNEkqO";
constexpr std::string_view server_nonce = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
constexpr std::string_view client_first = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
constexpr std::string_view server_first =
    "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
constexpr std::string_view client_final =
    "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
    "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
constexpr std::string_view server_final = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

ScramSha256Keys rfc7677_keys() {
  return scram::derive_keys(Secret("pencil"), *base64_decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
}

ServerMechanismOptions fixed_nonce() {
  ServerMechanismOptions options;
  options.scram_server_nonce = [] { return std::string(server_nonce); };
  return options;
}
}  // namespace

TEST_CASE("ScramSha256Client reproduces the RFC 7677 exchange byte for byte") {
  ScramSha256Client client("user", Secret("pencil"), std::string(client_nonce));
  const auto first = client.initial_response();
  REQUIRE(first);
  CHECK(base64_decode(first->response) == std::string(client_first));
  CHECK(first->exposure == pop3::Exposure::None);

  const auto final_step = client.respond(base64_encode(server_first));
  REQUIRE(final_step.ok);
  CHECK(base64_decode(final_step.response) == std::string(client_final));
  CHECK(final_step.exposure == pop3::Exposure::SaltedProof);
  // The proof is masked in the explanation as the transcript and the trace mask it.
  CHECK(final_step.explanation.find("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=") ==
        std::string::npos);
  CHECK(final_step.explanation.find("p=<proof>") != std::string::npos);
  CHECK(final_step.explanation.find("pencil") == std::string::npos);

  CHECK_FALSE(client.server_verified());
  const auto ack = client.respond(base64_encode(server_final));
  REQUIRE(ack.ok);
  CHECK(ack.response.empty());
  CHECK(ack.exposure == pop3::Exposure::None);
  CHECK(client.server_verified());
}

TEST_CASE("ScramSha256Client fails the step when the server signature is wrong") {
  ScramSha256Client client("user", Secret("pencil"), std::string(client_nonce));
  (void)client.initial_response();
  REQUIRE(client.respond(base64_encode(server_first)).ok);
  const auto step = client.respond(base64_encode("v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="));
  CHECK_FALSE(step.ok);
  CHECK(step.error.find("signature") != std::string::npos);
  CHECK_FALSE(client.server_verified());
}

TEST_CASE("ScramSha256Client refuses a server nonce that does not extend its own") {
  ScramSha256Client client("user", Secret("pencil"), std::string(client_nonce));
  (void)client.initial_response();
  CHECK_FALSE(
      client.respond(base64_encode("r=somethingelse,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")).ok);
  ScramSha256Client same("user", Secret("pencil"), std::string(client_nonce));
  (void)same.initial_response();
  CHECK_FALSE(
      same.respond(base64_encode("r=rOprNGfwEbeRWgbNEkqO,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")).ok);
}

TEST_CASE("ScramSha256Client reports a server e= error and malformed server-first") {
  ScramSha256Client a("user", Secret("pencil"), std::string(client_nonce));
  (void)a.initial_response();
  REQUIRE(a.respond(base64_encode(server_first)).ok);
  const auto e = a.respond(base64_encode("e=invalid-proof"));
  CHECK_FALSE(e.ok);
  CHECK(e.error.find("invalid-proof") != std::string::npos);

  for (const char* bad : {"r=rOprNGfwEbeRWgbNEkqOxx,s=W22ZaJ0SNY7soEsUEjb6gQ==",
                          "r=rOprNGfwEbeRWgbNEkqOxx,s=!!,i=4096",
                          "r=rOprNGfwEbeRWgbNEkqOxx,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=0",
                          "r=rOprNGfwEbeRWgbNEkqOxx,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=99999999999",
                          "m=x,r=rOprNGfwEbeRWgbNEkqOxx,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"}) {
    CAPTURE(bad);
    ScramSha256Client c("user", Secret("pencil"), std::string(client_nonce));
    (void)c.initial_response();
    CHECK_FALSE(c.respond(base64_encode(bad)).ok);
  }
}

TEST_CASE("ScramSha256Client sends client-first on an empty first challenge") {
  ScramSha256Client client("user", Secret("pencil"), std::string(client_nonce));
  const auto first = client.respond("");
  REQUIRE(first.ok);
  CHECK(base64_decode(first.response) == std::string(client_first));
}

TEST_CASE("ScramSha256Client refuses a nonce with ',' or non-printable characters") {
  CHECK_THROWS_AS(ScramSha256Client("u", Secret("p"), std::string("a,b")), std::invalid_argument);
  CHECK_THROWS_AS(ScramSha256Client("u", Secret("p"), std::string("a b")), std::invalid_argument);
  CHECK_THROWS_AS(ScramSha256Client("u", Secret("p"), std::string()), std::invalid_argument);
}

TEST_CASE("ScramSha256Server reproduces the RFC 7677 exchange from stored keys") {
  MemoryCredentialStore store;
  store.add("user", StoredCredential::scram_sha256(rfc7677_keys()));
  ScramSha256Server server(store, fixed_nonce());

  const auto first = server.start(base64_encode(client_first));
  REQUIRE(first.kind == Kind::Challenge);
  CHECK(base64_decode(first.challenge) == std::string(server_first));
  CHECK(first.client_exposure == pop3::Exposure::None);

  const auto final_step = server.step(base64_encode(client_final));
  REQUIRE(final_step.kind == Kind::Challenge);
  CHECK(base64_decode(final_step.challenge) == std::string(server_final));
  CHECK(final_step.client_exposure == pop3::Exposure::SaltedProof);

  const auto done = server.step("");
  CHECK(done.kind == Kind::Success);
  CHECK(done.user == "user");
}

TEST_CASE("ScramSha256Server without initial response asks with an empty challenge") {
  MemoryCredentialStore store;
  store.add("user", StoredCredential::scram_sha256(rfc7677_keys()));
  ScramSha256Server server(store, fixed_nonce());
  const auto empty = server.start(std::nullopt);
  REQUIRE(empty.kind == Kind::Challenge);
  CHECK(empty.challenge.empty());
  CHECK(base64_decode(server.step(base64_encode(client_first)).challenge) ==
        std::string(server_first));
}

TEST_CASE("ScramSha256Server fails a wrong proof with AUTH and never sends server-final") {
  MemoryCredentialStore store;
  store.add("user", StoredCredential::scram_sha256(rfc7677_keys()));
  ScramSha256Server server(store, fixed_nonce());
  (void)server.start(base64_encode(client_first));
  std::string tampered(client_final);
  tampered[tampered.size() - 5] = 'A';
  const auto step = server.step(base64_encode(tampered));
  CHECK(step.kind == Kind::Failure);
  CHECK(step.response_code == "AUTH");
  CHECK(step.client_exposure == pop3::Exposure::SaltedProof);
}

TEST_CASE("ScramSha256Server refuses malformed messages, a foreign nonce and channel binding") {
  MemoryCredentialStore store;
  store.add("user", StoredCredential::scram_sha256(rfc7677_keys()));
  for (const char* bad : {"n,,n=user", "x,,n=user,r=abc", "n,,n=us=er,r=abc", "n,,m=x,n=user,r=abc",
                          "n,,n=,r=abc", "n,,n=user,r=a b"}) {
    CAPTURE(bad);
    ScramSha256Server server(store, fixed_nonce());
    CHECK(server.start(base64_encode(bad)).kind == Kind::Malformed);
  }
  {
    ScramSha256Server server(store, fixed_nonce());
    CHECK(server.start("@@@@").kind == Kind::Malformed);
  }
  {
    ScramSha256Server server(store, fixed_nonce());
    CHECK(server.start(base64_encode("p=tls-unique,,n=user,r=abc")).kind == Kind::Failure);
  }
  {
    ScramSha256Server server(store, fixed_nonce());
    CHECK(server.start(base64_encode("n,a=other,n=user,r=abc")).kind == Kind::Failure);
  }
  {
    ScramSha256Server server(store, fixed_nonce());
    (void)server.start(base64_encode(client_first));
    CHECK(server
              .step(base64_encode("c=biws,r=rOprNGfwEbeRWgbNEkqOforged,"
                                  "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="))
              .kind == Kind::Malformed);
  }
  {
    ScramSha256Server server(store, fixed_nonce());
    (void)server.start(base64_encode(client_first));
    // c= claims "y,," although client-first said "n,,".
    CHECK(server
              .step(base64_encode("c=eSws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                                  "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="))
              .kind == Kind::Malformed);
  }
  {
    ScramSha256Server server(store, fixed_nonce());
    (void)server.start(base64_encode(client_first));
    (void)server.step(base64_encode(client_final));
    CHECK(server.step("eA==").kind == Kind::Malformed);  // the ack must be empty
  }
}

TEST_CASE("ScramSha256Server gives an unknown user a stable decoy salt, then fails") {
  MemoryCredentialStore store;
  store.add("user", StoredCredential::scram_sha256(rfc7677_keys()));
  ServerMechanismOptions options = fixed_nonce();
  options.scram_salt_key = "fixed key";
  std::string salts[2];
  for (auto& salt : salts) {
    ScramSha256Server server(store, options);
    const auto first = server.start(base64_encode("n,,n=nobody,r=abcdef"));
    REQUIRE(first.kind == Kind::Challenge);
    std::string error;
    const auto parsed = scram::parse_server_first(*base64_decode(first.challenge), error);
    REQUIRE(parsed);
    CHECK(parsed->iterations == 4096);
    CHECK(parsed->salt.size() == 16);
    salt = parsed->salt;
    ScramSha256Client client("nobody", Secret("pencil"), std::string("abcdef"));
    (void)client.initial_response();
    const auto answer = client.respond(first.challenge);
    CHECK(server.step(answer.response).kind == Kind::Failure);
  }
  CHECK(salts[0] == salts[1]);
}

TEST_CASE("saslname escaping turns '=' and ',' into =3D and =2C and back") {
  CHECK(scram::escape_saslname("a=b,c") == "a=3Db=2Cc");
  CHECK(scram::unescape_saslname("a=3Db=2Cc") == "a=b,c");
  CHECK_FALSE(scram::unescape_saslname("a=3"));
  CHECK_FALSE(scram::unescape_saslname("a=41"));
  CHECK_FALSE(scram::unescape_saslname("a,b"));
}

TEST_CASE("scram::derive_keys gives RFC 7677's keys, which verify RFC 7677's proof") {
  const ScramSha256Keys keys = rfc7677_keys();
  const std::string auth_message = scram::auth_message(
      client_first.substr(3), server_first, client_final.substr(0, client_final.find(",p=")));
  CHECK(scram::verify_client_proof(keys, auth_message,
                                   *base64_decode("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")));
  CHECK(base64_encode(scram::server_signature(keys.server_key, auth_message)) ==
        "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
}
