// STARTTLS command injection (CVE-2011-0411): bytes behind the STLS exchange, in the same
// segment, are discarded and reported by our server and by our client.
#include <doctest/doctest.h>

#include "support.hpp"

using namespace attacktest;

namespace {

StartTlsInjector* install(Simulation& sim, StartTlsInjector::Target target, std::string bytes,
                          bool same_segment = true) {
  auto m = std::make_unique<StartTlsInjector>(target, std::move(bytes), same_segment);
  StartTlsInjector* raw = m.get();
  sim.set_middlebox(std::move(m));
  return raw;
}

}  // namespace

TEST_CASE(
    "commands injected behind the client's STLS are discarded by the server, and TLS goes on") {
  const std::string injected = "USER mallory\r\nPASS stolen\r\n";
  for (const Chunking& c : chunkings()) {
    CAPTURE(c.describe());
    Scenario s = stls_scenario();
    s.link.chunking = c;
    Simulation sim(s);
    StartTlsInjector* injector = install(sim, StartTlsInjector::Target::Server, injected);
    sim.connect();
    const Exchange stls = sim.starttls();
    CHECK(injector->injected());
    CHECK(stls.tls_established);
    // Reported as a (non-fatal) violation too: the client broke RFC 2595 §4, or someone did.
    REQUIRE(stls.server_violations.size() == 1);
    CHECK(stls.server_violations[0].error == make_error_code(Errc::tls_injection));
    CHECK_FALSE(stls.server_violations[0].fatal);

    const auto discarded = steps_of<InjectionDiscarded>(sim, Side::Server);
    REQUIRE(discarded.size() == 1);
    CHECK(discarded[0].direction == Direction::ClientToServer);
    CHECK(discarded[0].octets == injected.size());
    const auto recorded = records_of<trace::InjectionDiscardedRecord>(sim, "server");
    REQUIRE(recorded.size() == 1);
    CHECK(recorded[0].octets == injected.size());
    CHECK(has_note(
        sim, "appended " + std::to_string(injected.size()) + " octets behind the client's STLS"));

    // The injected USER never ran; the real login under TLS works.
    CHECK(sim.login_user_pass("alice", kWeak).ok());
    for (const auto& e : steps_of<CommandEvent>(sim, Side::Server))
      CHECK_FALSE((e.command.verb == Verb::User && e.command.args[0] == "mallory"));
  }
}

TEST_CASE("a reply forged behind the server's +OK to STLS is discarded by the client") {
  const std::string forged = "+OK\r\n";  // e.g. the answer to a CAPA the client will send under TLS
  for (const Chunking& c : chunkings()) {
    CAPTURE(c.describe());
    Scenario s = stls_scenario();
    s.link.chunking = c;
    Simulation sim(s);
    install(sim, StartTlsInjector::Target::Client, forged);
    sim.connect();
    const Exchange stls = sim.starttls();
    CHECK(stls.tls_established);
    REQUIRE(stls.client_violations.size() == 1);
    CHECK(stls.client_violations[0].error == make_error_code(Errc::tls_injection));
    CHECK_FALSE(stls.client_violations[0].fatal);
    const auto discarded = steps_of<InjectionDiscarded>(sim, Side::Client);
    REQUIRE(discarded.size() == 1);
    CHECK(discarded[0].direction == Direction::ServerToClient);
    CHECK(discarded[0].octets == forged.size());
    CHECK(records_of<trace::InjectionDiscardedRecord>(sim, "client").size() == 1);
    // The client's next command gets the server's real reply, not the forged one.
    const Exchange capa = sim.capa();
    REQUIRE(capa.ok());
    CHECK(sim.client_session().capabilities().has("USER"));
  }
}

TEST_CASE(
    "bytes injected as a separate segment reach the server after its switch and break the "
    "handshake") {
  Simulation sim(stls_scenario());
  install(sim, StartTlsInjector::Target::Server, "CAPA\r\n", false);
  sim.connect();
  const Exchange stls = sim.starttls();
  CHECK_FALSE(stls.tls_established);
  CHECK_FALSE(stls.tls_failure.empty());
  CHECK(steps_of<InjectionDiscarded>(sim, Side::Server).empty());
  CHECK(has_note(sim, "as a separate segment"));
  CHECK(has_note(sim, "starttls-injector injected 6 octets c2s"));
}
