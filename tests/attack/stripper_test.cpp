// STLS stripping: an opportunistic client is downgraded to plaintext and sends its
// password where the eavesdropper reads it; a client that requires TLS refuses.
#include <doctest/doctest.h>

#include "support.hpp"

using namespace attacktest;

namespace {

StlsStripper* install(Simulation& sim, StlsStripperOptions options = {}) {
  auto m = std::make_unique<StlsStripper>(std::move(options));
  StlsStripper* raw = m.get();
  sim.set_middlebox(std::move(m));
  return raw;
}

VictimConfig victim(StartTlsPolicy policy, bool ask_capa = true) {
  VictimConfig v;
  v.policy = policy;
  v.ask_capa = ask_capa;
  v.user = "alice";
  v.password = std::string(kWeak);
  return v;
}

}  // namespace

TEST_CASE("without an attacker both clients get TLS and the password never crosses in clear") {
  for (StartTlsPolicy p : {StartTlsPolicy::Opportunistic, StartTlsPolicy::Required}) {
    Simulation sim(stls_scenario());
    const VictimReport r = run_victim(sim, victim(p));
    CHECK(r.stls_offered);
    CHECK(r.tls_established);
    CHECK(r.logged_in);
    CHECK_FALSE(r.credentials_in_clear);
    CHECK_FALSE(sim.eavesdropper().saw_in_clear(kWeak));
  }
}

TEST_CASE(
    "STLS stripped from CAPA: the opportunistic client logs in in clear, whatever the chunking") {
  for (const Chunking& c : chunkings()) {
    CAPTURE(c.describe());
    Scenario s = stls_scenario();
    s.link.chunking = c;
    Simulation sim(s);
    StlsStripper* stripper = install(sim);
    const VictimReport r = run_victim(sim, victim(StartTlsPolicy::Opportunistic));
    CHECK_FALSE(r.stls_offered);
    CHECK_FALSE(r.stls_sent);
    CHECK_FALSE(r.tls_established);
    CHECK(r.credentials_sent);
    CHECK(r.credentials_in_clear);
    CHECK(r.logged_in);
    CHECK(stripper->stls_removed_from_capa() == 1);
    CHECK(sim.eavesdropper().saw_in_clear(Exposure::Cleartext));
    CHECK(sim.eavesdropper().saw_in_clear("PASS sunshine"));
    CHECK(has_note(sim, "removed \"STLS\" from the CAPA reply"));
    // The server did offer STLS: the client never saw it.
    CHECK(contains(sim.eavesdropper().plaintext(Direction::ServerToClient), "STLS\r\n"));
    CHECK_FALSE(sim.client_session().capabilities().has("STLS"));
    CHECK(sim.client_session().capabilities().has("USER"));  // the rest of CAPA went through
  }
}

TEST_CASE("STLS stripped from CAPA: the client that requires TLS refuses and sends no password") {
  for (const Chunking& c : chunkings()) {
    CAPTURE(c.describe());
    Scenario s = stls_scenario();
    s.link.chunking = c;
    Simulation sim(s);
    install(sim);
    const VictimReport r = run_victim(sim, victim(StartTlsPolicy::Required));
    CHECK(r.gave_up);
    CHECK_FALSE(r.credentials_sent);
    CHECK_FALSE(r.logged_in);
    CHECK(steps_of<SecretSeen>(sim, Side::Client).empty());
    CHECK_FALSE(sim.eavesdropper().saw_in_clear(kWeak));
  }
}

TEST_CASE("the stripper answers STLS with -ERR itself: the server never sees it") {
  for (const Chunking& c : chunkings()) {
    CAPTURE(c.describe());
    Scenario s = stls_scenario();
    s.link.chunking = c;
    Simulation sim(s);
    StlsStripper* stripper = install(sim);

    SUBCASE("a client that sends STLS without asking, opportunistic: falls back to clear") {
      const VictimReport r = run_victim(sim, victim(StartTlsPolicy::Opportunistic, false));
      CHECK(r.stls_sent);
      CHECK(r.stls_refused);
      CHECK(r.credentials_in_clear);
      CHECK(r.logged_in);
      CHECK(sim.eavesdropper().saw_in_clear("sunshine"));
    }
    SUBCASE("a client that sends STLS without asking, required: gives up") {
      const VictimReport r = run_victim(sim, victim(StartTlsPolicy::Required, false));
      CHECK(r.stls_refused);
      CHECK(r.gave_up);
      CHECK_FALSE(r.credentials_sent);
      CHECK_FALSE(sim.eavesdropper().saw_in_clear("sunshine"));
    }
    CHECK(stripper->stls_answered() == 1);
    CHECK(has_note(sim, "kept the client's STLS from the server"));
    // The server session never received STLS.
    for (const auto& c2 : steps_of<CommandEvent>(sim, Side::Server))
      CHECK(c2.command.verb != Verb::Stls);
    // The -ERR came from the attacker: not in what the server sent, only in what the
    // eavesdropper saw injected.
    CHECK_FALSE(contains(sim.eavesdropper().stream(Direction::ServerToClient),
                         "-ERR command not available"));
    CHECK(contains(sim.eavesdropper().plaintext(Direction::ServerToClient),
                   "-ERR command not available"));
  }
}

TEST_CASE("the stripper answers a pipelined STLS after the replies before it") {
  Simulation sim(stls_scenario());
  install(sim);
  sim.connect();
  REQUIRE_FALSE(sim.queue({Verb::Capa, {}}));
  REQUIRE_FALSE(sim.queue({Verb::Capa, {}}));
  REQUIRE_FALSE(sim.queue({Verb::Stls, {}}));
  const Exchange ex = sim.run();
  REQUIRE(ex.replies.size() == 3);
  CHECK(ex.replies[0].verb == Verb::Capa);
  CHECK(ex.replies[0].reply.ok());
  CHECK(ex.replies[1].verb == Verb::Capa);
  CHECK(ex.replies[2].verb == Verb::Stls);
  CHECK(ex.replies[2].reply.status == Status::Err);
  CHECK(ex.client_violations.empty());
}

TEST_CASE(
    "a server that refuses plaintext logins does not save a password the client sends anyway") {
  Scenario s = stls_scenario();
  s.server.plaintext_auth_requires_tls = true;
  Simulation sim(s);
  install(sim);
  sim.connect();
  REQUIRE(sim.starttls().last_reply()->status == Status::Err);  // the stripper's -ERR
  // A client that pipelines USER and PASS (as PIPELINING allows) has sent the password
  // before it learns that the server refuses logins without TLS.
  REQUIRE_FALSE(sim.queue({Verb::User, {"alice"}}));
  REQUIRE_FALSE(sim.queue({Verb::Pass, {std::string(kWeak)}}));
  const Exchange ex = sim.run();
  REQUIRE(ex.replies.size() == 2);
  CHECK(ex.replies[0].reply.status == Status::Err);
  CHECK(ex.replies[1].reply.status == Status::Err);
  CHECK(sim.eavesdropper().saw_in_clear("PASS sunshine"));
}
