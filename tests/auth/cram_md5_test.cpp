#include "pop3/auth/cram_md5.hpp"

#include <doctest/doctest.h>

#include "pop3/auth/base64.hpp"
#include "pop3/auth/client_cram_md5.hpp"
#include "pop3/auth/credential_store.hpp"
#include "pop3/auth/server_cram_md5.hpp"

using namespace pop3::auth;
using pop3::Secret;

namespace {
constexpr std::string_view rfc2195_challenge = "<1896.697170952@postoffice.reston.mci.net>";
constexpr std::string_view rfc2195_response = "tim b913a602c7eda7a495b4e6e7334d3890";
}  // namespace

TEST_CASE("cram_md5_response reproduces the RFC 2195 example") {
  CHECK(cram_md5_response("tim", rfc2195_challenge, Secret("tanstaaftanstaaf")) ==
        rfc2195_response);
}

TEST_CASE("CramMd5Client answers the RFC 2195 challenge with the RFC 2195 response") {
  CramMd5Client client("tim", Secret("tanstaaftanstaaf"));
  CHECK(client.name() == "CRAM-MD5");
  CHECK_FALSE(client.initial_response().has_value());
  const auto step = client.respond(base64_encode(rfc2195_challenge));
  REQUIRE(step.ok);
  CHECK(step.response == "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw");
  CHECK(step.exposure == pop3::Exposure::Digest);
  CHECK(step.explanation.find("tanstaaf") == std::string::npos);
  CHECK(step.explanation.find("b913a602c7eda7a495b4e6e7334d3890") == std::string::npos);
  // A second challenge is a protocol error.
  CHECK_FALSE(client.respond(base64_encode(rfc2195_challenge)).ok);
}

TEST_CASE("CramMd5Client gives up on bad base64 or an empty challenge") {
  CramMd5Client a("tim", Secret("x"));
  CHECK_FALSE(a.respond("not base64!").ok);
  CramMd5Client b("tim", Secret("x"));
  CHECK_FALSE(b.respond("").ok);
}

TEST_CASE("CramMd5Server sends its challenge and accepts the RFC 2195 response") {
  MemoryCredentialStore store;
  store.add("tim", StoredCredential::plaintext(Secret("tanstaaftanstaaf")));
  CramMd5Server server(store, std::string(rfc2195_challenge));
  const auto challenge = server.start(std::nullopt);
  REQUIRE(challenge.kind == pop3::SaslStep::Kind::Challenge);
  CHECK(base64_decode(challenge.challenge) == std::string(rfc2195_challenge));
  const auto done = server.step(base64_encode(rfc2195_response));
  CHECK(done.kind == pop3::SaslStep::Kind::Success);
  CHECK(done.user == "tim");
  CHECK(done.client_exposure == pop3::Exposure::Digest);
}

TEST_CASE("CramMd5Server accepts an upper-case digest and refuses a wrong one with AUTH") {
  MemoryCredentialStore store;
  store.add("tim", StoredCredential::plaintext(Secret("tanstaaftanstaaf")));
  {
    CramMd5Server server(store, std::string(rfc2195_challenge));
    (void)server.start(std::nullopt);
    CHECK(server.step(base64_encode("tim B913A602C7EDA7A495B4E6E7334D3890")).kind ==
          pop3::SaslStep::Kind::Success);
  }
  {
    CramMd5Server server(store, std::string(rfc2195_challenge));
    (void)server.start(std::nullopt);
    const auto step = server.step(base64_encode("tim b913a602c7eda7a495b4e6e7334d3891"));
    CHECK(step.kind == pop3::SaslStep::Kind::Failure);
    CHECK(step.response_code == "AUTH");
  }
}

TEST_CASE("CramMd5Server: malformed responses and initial responses are Malformed") {
  MemoryCredentialStore store;
  store.add("tim", StoredCredential::plaintext(Secret("tanstaaftanstaaf")));
  CHECK(CramMd5Server(store, "<a@b>").start("dGlt").kind == pop3::SaslStep::Kind::Malformed);
  for (const char* bad : {"%%%", "dGlt", /* "tim" */ "dGltIGFiYw==" /* "tim abc" */}) {
    CAPTURE(bad);
    CramMd5Server server(store, "<a@b>");
    (void)server.start(std::nullopt);
    CHECK(server.step(bad).kind == pop3::SaslStep::Kind::Malformed);
  }
}

TEST_CASE("parse_cram_md5_response splits at the last space") {
  const auto r = parse_cram_md5_response("user name b913a602c7eda7a495b4e6e7334d3890");
  REQUIRE(r);
  CHECK(r->user == "user name");
  CHECK(r->digest == "b913a602c7eda7a495b4e6e7334d3890");
  CHECK_FALSE(parse_cram_md5_response(" b913a602c7eda7a495b4e6e7334d3890"));
  CHECK_FALSE(parse_cram_md5_response("tim b913a602c7eda7a495b4e6e7334d389g"));
}
