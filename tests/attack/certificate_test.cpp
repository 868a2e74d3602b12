// Certificate substitution: a self-signed, wrong-name or expired certificate fails the
// client's verification; with verification off it is accepted, and an interceptor then
// reads the password under TLS.
#include <doctest/doctest.h>

#include "pop3/auth/base64.hpp"
#include "support.hpp"

using namespace attacktest;

namespace {

const CertificateFault kFaults[] = {CertificateFault::Untrusted, CertificateFault::WrongHost,
                                    CertificateFault::Expired};

}  // namespace

TEST_CASE("the substitutes are what they claim to be") {
  const CertificateSubstitution untrusted = make_substitution(CertificateFault::Untrusted);
  CHECK(untrusted.presented->fingerprint_sha256() != untrusted.genuine->fingerprint_sha256());
  CHECK(untrusted.trusted == untrusted.genuine);
  CHECK(untrusted.presented->dns_names() == std::vector<std::string>{"localhost"});
  const CertificateSubstitution wrong = make_substitution(CertificateFault::WrongHost);
  CHECK(wrong.presented->dns_names() == std::vector<std::string>{"attacker.example"});
  CHECK(wrong.trusted == wrong.presented);
  const CertificateSubstitution expired = make_substitution(CertificateFault::Expired);
  CHECK(expired.presented->options().not_after < std::chrono::seconds(0));
  CHECK(contains(expired.presented->certificate_pem(), "-----BEGIN CERTIFICATE-----"));
  CHECK_THROWS_AS(
      sim::TlsIdentity::make({{"x"}, std::chrono::hours(1), std::chrono::hours(-1), "o"}),
      std::invalid_argument);
}

TEST_CASE(
    "a substituted certificate fails the handshake when the client verifies, and passes when it "
    "does not") {
  for (CertificateFault fault : kFaults) {
    CAPTURE(certificate_fault_name(fault));
    const CertificateSubstitution sub = make_substitution(fault);
    for (bool verify : {true, false}) {
      CAPTURE(verify);
      Scenario s = stls_scenario();
      s.tls.verify_peer = verify;
      substitute_server_certificate(s, sub);
      Simulation sim(s);
      sim.connect();
      const Exchange stls = sim.starttls();
      if (verify) {
        CHECK_FALSE(stls.tls_established);
        CHECK(contains(stls.tls_failure, sub.expected_failure));
        CHECK(records_of<trace::TlsFailedRecord>(sim, "client").size() == 1);
      } else {
        CHECK(stls.tls_established);
        CHECK(sim.login_user_pass("alice", kWeak).ok());
      }
    }
  }
}

TEST_CASE(
    "an interceptor with a substitute certificate: refused by a verifying client, reads everything "
    "otherwise") {
  for (CertificateFault fault : kFaults) {
    CAPTURE(certificate_fault_name(fault));
    const CertificateSubstitution sub = make_substitution(fault);

    SUBCASE("verification on: the handshake fails, no password is sent") {
      Scenario s = stls_scenario();
      intercept_with_certificate(s, sub);
      Simulation sim(s);
      VictimConfig v{StartTlsPolicy::Required, true, "alice", std::string(kWeak)};
      const VictimReport r = run_victim(sim, v);
      CHECK(r.stls_offered);  // the interceptor leaves plaintext alone
      CHECK_FALSE(r.tls_established);
      CHECK(contains(r.tls_failure, sub.expected_failure));
      CHECK_FALSE(r.credentials_sent);
      CHECK(has_note(sim, "answering the client's TLS handshake itself"));
      CHECK(has_note(sim, "the client refused the substitute certificate"));
    }
    SUBCASE(
        "verification off: the client logs in through the interceptor, which reads the password") {
      for (const Chunking& c : chunkings()) {
        CAPTURE(c.describe());
        Scenario s = stls_scenario();
        s.link.chunking = c;
        s.tls.verify_peer = false;
        auto log = std::make_shared<Interception>();
        s.tls.server_identity = sub.genuine;
        s.middlebox = [&] { return std::make_unique<TlsInterceptor>(sub.presented, log); };
        Simulation sim(s);
        VictimConfig v{StartTlsPolicy::Required, true, "alice", std::string(kWeak)};
        const VictimReport r = run_victim(sim, v);
        CHECK(r.tls_established);
        CHECK(r.logged_in);
        CHECK(log->client_accepted);
        CHECK(log->server_connected);
        CHECK(contains(log->from_client, "PASS sunshine\r\n"));
        CHECK(contains(log->from_server, "+OK"));
        // On the wire it was TLS all along: the eavesdropper learned nothing.
        CHECK_FALSE(sim.eavesdropper().saw_in_clear("sunshine"));
        CHECK(has_note(sim, "the client accepted the substitute certificate"));
        CHECK(has_note(sim, "read under TLS from the client: PASS <redacted>"));
        CHECK(has_note(sim, "read under TLS from the client: QUIT"));
        REQUIRE(sim.tls(Side::Client));
        CHECK(sim.tls(Side::Client)->version() == "TLSv1.3");
      }
    }
  }
}

TEST_CASE("the interceptor works on an implicit-TLS port too, and follows a SASL exchange") {
  Scenario s = stls_scenario();
  s.tls.mode = TlsMode::Implicit;
  s.tls.verify_peer = false;
  const CertificateSubstitution sub = make_substitution(CertificateFault::Untrusted);
  auto log = std::make_shared<Interception>();
  s.tls.server_identity = sub.genuine;
  s.middlebox = [&] { return std::make_unique<TlsInterceptor>(sub.presented, log); };
  Simulation sim(s);
  const Exchange greeting = sim.connect();
  REQUIRE(greeting.replies.size() == 1);
  CHECK(greeting.replies[0].greeting);
  CHECK(sim.authenticate("PLAIN", "alice", kWeak).ok());
  CHECK(sim.send({Verb::Retr, {"1"}}).ok());
  sim.quit();
  CHECK(contains(log->from_client,
                 "AUTH PLAIN " + auth::base64_encode(std::string("\0alice\0sunshine", 15))));
  CHECK(contains(log->from_server, "Subject: hi"));
  CHECK(has_note(sim, "read under TLS from the client: RETR 1"));
}
