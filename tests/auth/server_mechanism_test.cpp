#include <doctest/doctest.h>

#include "pop3/auth/base64.hpp"
#include "pop3/auth/credential_store.hpp"
#include "pop3/auth/server_login.hpp"
#include "pop3/auth/server_mechanisms.hpp"
#include "pop3/auth/server_plain.hpp"

using namespace pop3::auth;
using pop3::Exposure;
using pop3::Secret;
using Kind = pop3::SaslStep::Kind;

namespace {
MemoryCredentialStore tim_store() {
  MemoryCredentialStore store;
  store.add("tim", StoredCredential::plaintext(Secret("tanstaaf")));
  return store;
}
std::string plain(std::string_view text) {
  return base64_encode(text);
}
}  // namespace

TEST_CASE("PlainServer accepts a right initial response and reports Base64 exposure") {
  const auto store = tim_store();
  PlainServer server(store);
  const auto step = server.start(plain(std::string_view("\0tim\0tanstaaf", 13)));
  CHECK(step.kind == Kind::Success);
  CHECK(step.user == "tim");
  CHECK(step.client_exposure == Exposure::Base64);
}

TEST_CASE("PlainServer without initial response sends an empty challenge first") {
  const auto store = tim_store();
  PlainServer server(store);
  const auto challenge = server.start(std::nullopt);
  CHECK(challenge.kind == Kind::Challenge);
  CHECK(challenge.challenge.empty());
  CHECK(server.step(plain(std::string_view("tim\0tim\0tanstaaf", 16))).kind == Kind::Success);
}

TEST_CASE("PlainServer: wrong password and unknown user fail alike with AUTH") {
  const auto store = tim_store();
  PlainServer a(store);
  const auto wrong = a.start(plain(std::string_view("\0tim\0wrong", 10)));
  PlainServer b(store);
  const auto unknown = b.start(plain(std::string_view("\0bob\0tanstaaf", 13)));
  CHECK(wrong.kind == Kind::Failure);
  CHECK(unknown.kind == Kind::Failure);
  CHECK(wrong.response_code == "AUTH");
  CHECK(wrong.reason == unknown.reason);
  CHECK(wrong.reason.find("wrong") == std::string::npos);
}

TEST_CASE("PlainServer refuses a foreign authzid, bad base64 and malformed messages") {
  const auto store = tim_store();
  CHECK(PlainServer(store).start(plain(std::string_view("bob\0tim\0tanstaaf", 16))).kind ==
        Kind::Failure);
  CHECK(PlainServer(store).start("AHRpbQB0YW5zdGFhZg").kind == Kind::Malformed);  // no padding
  CHECK(PlainServer(store).start("=").kind == Kind::Malformed);  // empty initial response
  for (std::string_view bad : {std::string_view("tim tanstaaf"), std::string_view("\0tim", 4),
                               std::string_view("\0\0tanstaaf", 10), std::string_view("\0tim\0", 5),
                               std::string_view("\0tim\0tan\0staaf", 14)}) {
    CHECK(PlainServer(store).start(plain(bad)).kind == Kind::Malformed);
  }
}

TEST_CASE("PlainServer's reasons never carry the password") {
  const auto store = tim_store();
  for (std::string_view msg :
       {std::string_view("\0tim\0hunter2", 12), std::string_view("x\0tim\0hunter2", 13),
        std::string_view("\0tim\0hun\0ter2", 13)}) {
    const auto step = PlainServer(store).start(plain(msg));
    CHECK(step.reason.find("hunter") == std::string::npos);
  }
}

TEST_CASE("LoginServer prompts Username: then Password: and checks the password") {
  const auto store = tim_store();
  LoginServer server(store);
  const auto user_prompt = server.start(std::nullopt);
  REQUIRE(user_prompt.kind == Kind::Challenge);
  CHECK(base64_decode(user_prompt.challenge) == "Username:");
  const auto pass_prompt = server.step(base64_encode("tim"));
  REQUIRE(pass_prompt.kind == Kind::Challenge);
  CHECK(base64_decode(pass_prompt.challenge) == "Password:");
  CHECK(pass_prompt.client_exposure == Exposure::None);
  const auto done = server.step(base64_encode("tanstaaf"));
  CHECK(done.kind == Kind::Success);
  CHECK(done.user == "tim");
  CHECK(done.client_exposure == Exposure::Base64);
  CHECK(server.step("").kind == Kind::Malformed);
}

TEST_CASE("LoginServer takes the user name as initial response and fails a wrong password") {
  const auto store = tim_store();
  LoginServer server(store);
  const auto pass_prompt = server.start(base64_encode("tim"));
  REQUIRE(pass_prompt.kind == Kind::Challenge);
  CHECK(base64_decode(pass_prompt.challenge) == "Password:");
  const auto done = server.step(base64_encode("nope"));
  CHECK(done.kind == Kind::Failure);
  CHECK(done.response_code == "AUTH");
}

TEST_CASE("LoginServer: bad base64 at either prompt is Malformed") {
  const auto store = tim_store();
  LoginServer a(store);
  (void)a.start(std::nullopt);
  CHECK(a.step("dGlt=").kind == Kind::Malformed);
  LoginServer b(store);
  (void)b.start(std::nullopt);
  (void)b.step(base64_encode("tim"));
  CHECK(b.step("???").kind == Kind::Malformed);
}

TEST_CASE("make_server_mechanism builds the SASL mechanisms and nothing else") {
  const auto store = tim_store();
  CHECK(make_server_mechanism(Mechanism::Plain, store)->name() == "PLAIN");
  CHECK(make_server_mechanism(Mechanism::Login, store)->name() == "LOGIN");
  CHECK(make_server_mechanism(Mechanism::CramMd5, store)->name() == "CRAM-MD5");
  CHECK(make_server_mechanism(Mechanism::ScramSha256, store)->name() == "SCRAM-SHA-256");
  CHECK(make_server_mechanism(Mechanism::Apop, store) == nullptr);
  CHECK(make_server_mechanism(Mechanism::UserPass, store) == nullptr);
}

TEST_CASE("CRAM-MD5 challenges from the factory are fresh msg-ids on the configured host") {
  const auto store = tim_store();
  ServerMechanismOptions options;
  options.host = "pop.example.net";
  auto a = make_server_mechanism(Mechanism::CramMd5, store, options);
  auto b = make_server_mechanism(Mechanism::CramMd5, store, options);
  const auto ca = base64_decode(a->start(std::nullopt).challenge);
  const auto cb = base64_decode(b->start(std::nullopt).challenge);
  REQUIRE(ca);
  CHECK(ca->ends_with("@pop.example.net>"));
  CHECK(*ca != *cb);
}
