#include <doctest/doctest.h>

#include "support.hpp"

using namespace simtest;

namespace {

Scenario with_drop(DropPoint drop) {
  Scenario s = basic();
  s.link.drop = drop;
  return s;
}

// Logs alice in and marks message 1 deleted.
void login_and_dele(Simulation& sim) {
  sim.connect();
  REQUIRE(sim.login_user_pass("alice", "wonderland").ok());
  REQUIRE(sim.send({Verb::Dele, {"1"}}).ok());
}

}  // namespace

TEST_CASE(
    "drop after QUIT reached the server: the server ran UPDATE though the client never got the "
    "reply") {
  for (const Chunking c : {Chunking::whole(), Chunking::fixed(1)}) {
    CAPTURE(c.describe());
    Scenario s = with_drop(DropPoint::after_command(Verb::Quit));
    s.link.chunking = c;
    Simulation sim(s);
    login_and_dele(sim);
    const Exchange quit = sim.quit();
    // The client: no reply, the connection is gone.
    CHECK(quit.replies.empty());
    CHECK(quit.connection_lost);
    CHECK(sim.client_session().state() == State::Closed);
    // The server: QUIT in TRANSACTION -> UPDATE -> the deletion is committed. Its
    // "+OK ... signing off" left the server but was lost on the way.
    CHECK(quit.server_update_done);
    REQUIRE(quit.server_states.size() >= 2);
    CHECK(quit.server_states[0].to == State::Update);
    CHECK(uidls(sim, "alice") == std::vector<std::string>{"mem-2"});
    CHECK(contains(sim.eavesdropper().stream(Direction::ServerToClient), "signing off"));
    CHECK_FALSE(contains(received_by(sim, Side::Client), "signing off"));
    // Exactly the QUIT line got through, nothing after it.
    CHECK(received_by(sim, Side::Server).ends_with("QUIT\r\n"));
  }
}

TEST_CASE("drop while QUIT is on its way: the server never sees it, no UPDATE, nothing deleted") {
  Simulation sim(with_drop(DropPoint::before_command(Verb::Quit)));
  login_and_dele(sim);
  const Exchange quit = sim.quit();
  CHECK(quit.replies.empty());
  CHECK(quit.connection_lost);
  CHECK_FALSE(quit.server_update_done);
  CHECK_FALSE(contains(received_by(sim, Side::Server), "QUIT"));
  CHECK(contains(sim.eavesdropper().stream(Direction::ClientToServer), "QUIT\r\n"));  // it was sent
  CHECK(quit.server_states.back().to == State::Closed);
  CHECK(quit.server_states.back().from == State::Transaction);
  CHECK(uidls(sim, "alice").size() == 2);
  CHECK_FALSE(sim.maildrops().locked("alice"));
}

TEST_CASE(
    "drop mid-RETR: the client loses the connection inside the body and no message is deleted") {
  for (const TlsMode mode : {TlsMode::None, TlsMode::Implicit}) {
    CAPTURE(tls_mode_name(mode));
    Scenario s = with_drop(DropPoint::mid_reply(Verb::Retr));
    s.tls.mode = mode;
    Simulation sim(s);
    login_and_dele(sim);
    const Exchange retr = sim.send({Verb::Retr, {"2"}});
    CHECK(retr.connection_lost);
    CHECK(retr.replies.empty());  // the reply never completed
    REQUIRE_FALSE(retr.client_violations.empty());
    CHECK(retr.client_violations.back().error == make_error_code(Errc::connection_lost));
    CHECK(retr.client_violations.back().fatal);
    CHECK(sim.client_session().state() == State::Closed);
    CHECK_FALSE(retr.server_update_done);
    CHECK(uidls(sim, "alice").size() == 2);
    const std::string got = received_by(sim, Side::Client);
    if (mode == TlsMode::None) {
      // The status line and part of the body arrived, not the end of it.
      CHECK(contains(got, "+OK"));
      CHECK(contains(got, "Subject: two"));
      CHECK_FALSE(contains(got, "second message"));
    }
  }
}

TEST_CASE(
    "drop after N octets: exactly N octets reach the receiver, then both sides see the loss") {
  Simulation sim(with_drop(DropPoint::after_octets(Direction::ClientToServer, 14)));
  sim.connect();
  const Exchange ex = sim.login_user_pass("alice", "wonderland");  // "USER alice\r\n" is 12 octets
  CHECK(sim.link().delivered(Direction::ClientToServer) == 14);
  CHECK(received_by(sim, Side::Server) == "USER alice\r\n");  // "PA" is not a line yet
  CHECK(sim.closed(Side::Client));
  CHECK(sim.closed(Side::Server));
  CHECK(ex.connection_lost);
}

TEST_CASE("drop_connection() in TRANSACTION: both sessions close without UPDATE") {
  Simulation sim(basic());
  login_and_dele(sim);
  const Exchange ex = sim.drop_connection("cable pulled");
  CHECK(ex.connection_lost);
  REQUIRE_FALSE(ex.events.empty());
  CHECK(ex.events.front().kind == SimEvent::Kind::LinkCut);
  CHECK(ex.events.front().detail == "cable pulled");
  CHECK_FALSE(ex.server_update_done);
  CHECK(sim.finished());
  CHECK(uidls(sim, "alice").size() == 2);
  // Nothing more crosses a broken link.
  CHECK(sim.send({Verb::Noop, {}}).refused == make_error_code(Errc::session_closed));
}

TEST_CASE("a timed drop breaks the link at that virtual time: the reply in flight is lost") {
  Scenario s = with_drop(DropPoint::at_time(std::chrono::milliseconds(200)));
  s.link.latency = std::chrono::milliseconds(50);
  Simulation sim(s);
  sim.connect();                                  // the greeting arrives at 50 ms
  CHECK(sim.send({Verb::User, {"alice"}}).ok());  // USER at 100 ms, its reply at 150 ms
  CHECK(sim.clock().elapsed_ms().count() == 150);
  // PASS would arrive at 200 ms: the link breaks at 200 ms, before it is delivered.
  const Exchange pass = sim.send({Verb::Pass, {"wonderland"}});
  CHECK(pass.replies.empty());
  CHECK(pass.connection_lost);
  CHECK(sim.clock().elapsed_ms().count() == 200);
  CHECK_FALSE(contains(received_by(sim, Side::Server), "PASS"));
}
