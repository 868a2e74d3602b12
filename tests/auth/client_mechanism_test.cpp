#include <doctest/doctest.h>

#include "pop3/auth/base64.hpp"
#include "pop3/auth/client_login.hpp"
#include "pop3/auth/client_mechanisms.hpp"
#include "pop3/auth/client_plain.hpp"

using namespace pop3::auth;
using pop3::Exposure;
using pop3::Secret;

TEST_CASE("PlainClient sends authzid NUL authcid NUL password as its initial response") {
  PlainClient client("tim", Secret("tanstaaf"));
  CHECK(client.name() == "PLAIN");
  const auto step = client.initial_response();
  REQUIRE(step);
  CHECK(step->ok);
  CHECK(base64_decode(step->response) == std::string("\0tim\0tanstaaf", 13));
  CHECK(step->exposure == Exposure::Base64);
  CHECK(step->explanation.find("tanstaaf") == std::string::npos);
  CHECK(step->explanation.find(step->response) == std::string::npos);
  // One message only.
  CHECK_FALSE(client.respond("").ok);
}

TEST_CASE("PlainClient carries an authorization identity when given one") {
  PlainClient client("tim", Secret("tanstaaf"), "admin");
  CHECK(base64_decode(client.initial_response()->response) ==
        std::string("admin\0tim\0tanstaaf", 18));
}

TEST_CASE("PlainClient answers an empty challenge when no initial response was sent") {
  PlainClient client("tim", Secret("tanstaaf"));
  const auto step = client.respond("");
  REQUIRE(step.ok);
  CHECK(base64_decode(step.response) == std::string("\0tim\0tanstaaf", 13));
}

TEST_CASE("PlainClient refuses NUL in user name or password") {
  PlainClient client(std::string("t\0m", 3), Secret("x"));
  CHECK_FALSE(client.initial_response()->ok);
  PlainClient empty("tim", Secret(""));
  CHECK_FALSE(empty.initial_response()->ok);
}

TEST_CASE("LoginClient answers the prompts in order: user name (None), password (Base64)") {
  LoginClient client("tim", Secret("tanstaaf"));
  CHECK_FALSE(client.initial_response());
  const auto user = client.respond(base64_encode("Username:"));
  REQUIRE(user.ok);
  CHECK(base64_decode(user.response) == "tim");
  CHECK(user.exposure == Exposure::None);
  CHECK(user.explanation.find("Username:") != std::string::npos);
  // Servers word the prompts differently; the order is what counts.
  const auto pass = client.respond(base64_encode("Passwort"));
  REQUIRE(pass.ok);
  CHECK(base64_decode(pass.response) == "tanstaaf");
  CHECK(pass.exposure == Exposure::Base64);
  CHECK(pass.explanation.find("tanstaaf") == std::string::npos);
  CHECK_FALSE(client.respond(base64_encode("More:")).ok);
}

TEST_CASE("LoginClient shows a hostile prompt escaped and gives up on bad base64") {
  LoginClient client("tim", Secret("x"));
  const auto step = client.respond(base64_encode("\x1b[2JUser"));
  CHECK(step.explanation.find('\x1b') == std::string::npos);
  CHECK(step.explanation.find("\\x1b") != std::string::npos);
  LoginClient bad("tim", Secret("x"));
  CHECK_FALSE(bad.respond("VXNlcm5hbWU6=").ok);
}

TEST_CASE("make_client_mechanism knows the four mechanisms, case-insensitively") {
  for (const char* name : {"PLAIN", "login", "Cram-Md5", "SCRAM-SHA-256"}) {
    CAPTURE(name);
    const auto m = make_client_mechanism(name, "tim", Secret("x"));
    REQUIRE(m);
    CHECK(parse_sasl_mechanism(m->name()) == parse_sasl_mechanism(name));
  }
  CHECK(make_client_mechanism("GSSAPI", "tim", Secret("x")) == nullptr);
  CHECK(make_client_mechanism("SCRAM-SHA-1", "tim", Secret("x")) == nullptr);
  CHECK(make_client_mechanism("APOP", "tim", Secret("x")) == nullptr);
}

TEST_CASE("choose_client_mechanism prefers SCRAM-SHA-256 > CRAM-MD5 > PLAIN > LOGIN") {
  auto chosen = [](std::vector<std::string> offered) {
    return choose_client_mechanism(offered).name;
  };
  CHECK(chosen({"LOGIN", "PLAIN", "CRAM-MD5", "SCRAM-SHA-256"}) == "SCRAM-SHA-256");
  CHECK(chosen({"LOGIN", "PLAIN", "CRAM-MD5"}) == "CRAM-MD5");
  CHECK(chosen({"LOGIN", "plain", "GSSAPI"}) == "PLAIN");
  CHECK(chosen({"LOGIN", "XOAUTH2"}) == "LOGIN");

  const auto none = choose_client_mechanism({"GSSAPI", "XOAUTH2"});
  CHECK_FALSE(none.mechanism);
  CHECK(none.name.empty());
  CHECK(none.reason.find("GSSAPI") != std::string::npos);

  const auto scram = choose_client_mechanism({"PLAIN", "SCRAM-SHA-256"});
  CHECK(scram.mechanism == Mechanism::ScramSha256);
  CHECK(scram.reason.find("strongest") != std::string::npos);
}
