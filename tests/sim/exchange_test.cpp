#include <doctest/doctest.h>

#include <algorithm>

#include "support.hpp"

using namespace simtest;

namespace {

struct SessionRun {
  std::vector<std::string> replies;
  std::string c2s;  // what the client sent
  std::string s2c;  // what the server sent
  std::string client_took;
  std::string server_took;
  std::string body;
  std::vector<std::string> left;
};

// Greeting, CAPA, USER/PASS, STAT, LIST, RETR 2, DELE 1, QUIT.
SessionRun full_session(Chunking chunking, std::chrono::milliseconds latency = {}) {
  Scenario s = basic();
  s.link.chunking = chunking;
  s.link.latency = latency;
  Simulation sim(s);
  SessionRun out;
  auto add = [&](const Exchange& ex) {
    CHECK_FALSE(ex.refused);
    for (auto& l : reply_lines(ex))
      out.replies.push_back(l);
    for (const auto& r : ex.replies)
      if (r.verb == Verb::Retr) out.body = r.reply.body;
  };
  add(sim.connect());
  add(sim.capa());
  add(sim.login_user_pass("alice", "wonderland"));
  CHECK(sim.client_session().state() == State::Transaction);
  CHECK(sim.server_session().state() == State::Transaction);
  add(sim.send({Verb::Stat, {}}));
  add(sim.send({Verb::List, {}}));
  add(sim.send({Verb::Retr, {"2"}}));
  add(sim.send({Verb::Dele, {"1"}}));
  const Exchange quit = sim.quit();
  add(quit);
  CHECK(quit.server_update_done);
  CHECK(sim.finished());
  out.c2s = sent_by(sim, Side::Client);
  out.s2c = sent_by(sim, Side::Server);
  out.client_took = received_by(sim, Side::Client);
  out.server_took = received_by(sim, Side::Server);
  out.left = uidls(sim, "alice");
  return out;
}

}  // namespace

TEST_CASE(
    "a full session over the link gives the same application bytes and replies whole, byte by byte "
    "and in random chunks") {
  const SessionRun whole = full_session(Chunking::whole());
  REQUIRE(whole.replies.size() == 9);
  CHECK(whole.replies.front().starts_with("+OK POP3 server ready <"));
  CHECK(whole.body == maildrop::to_wire_form(kMessage2));
  CHECK(whole.left == std::vector<std::string>{"mem-2"});
  // What one side sent is exactly what the other took in.
  CHECK(whole.c2s == whole.server_took);
  CHECK(whole.s2c == whole.client_took);
  for (const Chunking c : {Chunking::fixed(1), Chunking::fixed(3), Chunking::random(1, 9)}) {
    CAPTURE(c.describe());
    const SessionRun other = full_session(c, std::chrono::milliseconds(5));
    CHECK(other.replies == whole.replies);
    CHECK(other.c2s == whole.c2s);
    CHECK(other.s2c == whole.s2c);
    CHECK(other.client_took == whole.client_took);
    CHECK(other.server_took == whole.server_took);
    CHECK(other.body == whole.body);
    CHECK(other.left == whole.left);
  }
}

TEST_CASE("with 1-byte chunks every delivery carries exactly one octet") {
  Scenario s = basic();
  s.link.chunking = Chunking::fixed(1);
  Simulation sim(s);
  sim.connect();
  sim.login_user_pass("alice", "wonderland");
  std::size_t deliveries = 0;
  for (const SimEvent& e : sim.history()) {
    if (e.kind != SimEvent::Kind::Delivered) continue;
    ++deliveries;
    CHECK(e.bytes.size() == 1);
  }
  CHECK(deliveries == sim.link().delivered(Direction::ClientToServer) +
                          sim.link().delivered(Direction::ServerToClient));
}

TEST_CASE(
    "latency: each write arrives L virtual ms after it was sent, so a command's round trip takes "
    "2L") {
  Scenario s = basic();
  s.link.latency = std::chrono::milliseconds(40);
  Simulation sim(s);
  CHECK(sim.clock().elapsed_ms().count() == 0);
  const Exchange greeting = sim.connect();
  REQUIRE(greeting.replies.size() == 1);
  CHECK(sim.clock().elapsed_ms().count() == 40);
  const Exchange user = sim.send({Verb::User, {"alice"}});
  CHECK(user.ok());
  CHECK(sim.clock().elapsed_ms().count() == 120);
  // The greeting was delivered at 40 ms, the USER line at 80 ms, its reply at 120 ms.
  std::vector<std::chrono::milliseconds> at;
  for (const SimEvent& e : sim.history())
    if (e.kind == SimEvent::Kind::Delivered)
      at.push_back(
          std::chrono::duration_cast<std::chrono::milliseconds>(e.at - sim.clock().start()));
  CHECK(at == std::vector<std::chrono::milliseconds>{std::chrono::milliseconds(40),
                                                     std::chrono::milliseconds(80),
                                                     std::chrono::milliseconds(120)});
  // Pipelined commands share the trip: USER and PASS sent together, both replies after 2L.
  Simulation piped(s);
  piped.connect();
  REQUIRE_FALSE(piped.queue({Verb::User, {"alice"}}));
  REQUIRE_FALSE(piped.queue({Verb::Pass, {"wonderland"}}));
  const Exchange both = piped.run();
  CHECK(reply_lines(both).size() == 2);
  CHECK(both.ok());
  CHECK(piped.clock().elapsed_ms().count() == 120);
}

TEST_CASE("a failed login's -ERR is held back by the server's failure delay, in virtual time") {
  Scenario s = basic();
  s.server.failed_auth_delay = std::chrono::milliseconds(2000);
  Simulation sim(s);
  sim.connect();
  const Exchange ex = sim.login_user_pass("alice", "wrong");
  REQUIRE(ex.last_reply());
  CHECK_FALSE(ex.ok());
  CHECK(ex.last_reply()->code == ResponseCode::auth());
  CHECK(sim.clock().elapsed_ms().count() == 2000);
  CHECK(sim.client_session().state() == State::Authorization);
  // Right password afterwards: logged in, no delay.
  CHECK(sim.login_user_pass("alice", "wonderland").ok());
  CHECK(sim.clock().elapsed_ms().count() == 2000);
}

TEST_CASE("step() does one thing at a time and queue()+step() until Idle equals the action") {
  Simulation a(basic());
  a.connect();
  const Exchange by_action = a.login_user_pass("alice", "wonderland");

  Simulation b(basic());
  std::vector<SimEvent::Kind> kinds;
  for (SimEvent e = b.step(); e.kind != SimEvent::Kind::Idle; e = b.step())
    kinds.push_back(e.kind);
  REQUIRE(kinds.size() >= 3);
  CHECK(kinds.front() == SimEvent::Kind::SessionStep);  // the server's greeting Send
  CHECK(std::count(kinds.begin(), kinds.end(), SimEvent::Kind::Delivered) == 1);
  CHECK(b.idle());
  REQUIRE_FALSE(b.queue({Verb::User, {"alice"}}));
  CHECK_FALSE(b.idle());
  REQUIRE_FALSE(b.queue({Verb::Pass, {"wonderland"}}));
  while (b.step().kind != SimEvent::Kind::Idle) {
  }
  CHECK(b.client_session().state() == State::Transaction);
  CHECK(sent_by(b, Side::Client) == sent_by(a, Side::Client));
  CHECK(received_by(b, Side::Client) == received_by(a, Side::Client));
  CHECK(by_action.client_states.back().to == State::Transaction);
  CHECK(by_action.server_states.back().to == State::Transaction);
  // Every event can be shown to a person.
  for (const SimEvent& e : b.history())
    CHECK_FALSE(describe(e, b.clock().start()).empty());
}

TEST_CASE(
    "QUIT after DELE runs UPDATE: the message is gone from the store and both sides are closed") {
  Simulation sim(basic());
  sim.connect();
  REQUIRE(sim.login_user_pass("alice", "wonderland").ok());
  REQUIRE(sim.send({Verb::Dele, {"1"}}).ok());
  CHECK(uidls(sim, "alice").size() == 2);  // marked, not yet removed
  const Exchange quit = sim.quit();
  CHECK(quit.ok());
  CHECK(quit.server_update_done);
  CHECK(uidls(sim, "alice") == std::vector<std::string>{"mem-2"});
  CHECK(sim.closed(Side::Client));
  CHECK(sim.closed(Side::Server));
  CHECK(sim.finished());
  CHECK_FALSE(sim.maildrops().locked("alice"));
}

TEST_CASE("a command the client session refuses is reported as refused and nothing crosses") {
  Simulation sim(basic());
  sim.connect();
  const auto before = sim.link().delivered(Direction::ClientToServer);
  const Exchange ex = sim.send({Verb::User, {"alice\r\nDELE 1"}});
  CHECK(ex.refused == make_error_code(Errc::crlf_injection));
  CHECK(ex.events.empty());
  CHECK_FALSE(ex.ok());
  CHECK(sim.link().delivered(Direction::ClientToServer) == before);
  CHECK(sim.apop("alice", "wonderland").ok());  // the session goes on
}

TEST_CASE("run_for lets virtual time pass: the autologout timer fires and nothing is deleted") {
  Scenario s = basic();
  s.server.autologout = std::chrono::seconds(30);
  s.server.allow_short_autologout = true;
  Simulation sim(s);
  sim.connect();
  REQUIRE(sim.login_user_pass("alice", "wonderland").ok());
  REQUIRE(sim.send({Verb::Dele, {"1"}}).ok());
  // run() does not wait for the autologout timer.
  CHECK(sim.run().events.empty());
  CHECK(sim.server_session().state() == State::Transaction);
  const Exchange early = sim.run_for(std::chrono::seconds(10));
  CHECK(early.events.empty());
  CHECK(sim.clock().elapsed_ms().count() == 10000);
  const Exchange later = sim.run_for(std::chrono::seconds(60));
  // The server says why before it closes; the client session takes that -ERR, which
  // answers no command, as a violation and closes too.
  CHECK(contains(received_by(sim, Side::Client), "-ERR autologout timer expired"));
  REQUIRE_FALSE(later.server_violations.empty());
  CHECK(later.server_violations[0].error == make_error_code(Errc::autologout));
  CHECK(later.server_states.back().to == State::Closed);
  CHECK_FALSE(later.server_update_done);
  CHECK(sim.closed(Side::Client));
  CHECK(sim.finished());
  CHECK(uidls(sim, "alice").size() == 2);
  CHECK(sim.clock().elapsed_ms().count() == 70000);
}

TEST_CASE("accounts stored as SHA512-CRYPT or SCRAM keys log in with what their storage allows") {
  Scenario s;
  s.add_account("carol", "hash-me", auth::PasswordScheme::Sha512Crypt);
  s.add_account("dave", "salt-me", auth::PasswordScheme::ScramSha256);
  s.add_account("erin", "from-a-file").stored = "{PLAIN}from-a-file";
  Simulation sim(s);
  const Exchange greeting = sim.connect();
  REQUIRE(greeting.replies.size() == 1);
  CHECK_FALSE(contains(greeting.replies[0].reply.text, "<"));  // no APOP for a crypt hash
  sim.capa();
  CHECK_FALSE(sim.client_session().capabilities().has_sasl("CRAM-MD5"));
  CHECK(sim.login_user_pass("carol", "hash-me").ok());

  Scenario t;
  t.add_account("dave", "salt-me", auth::PasswordScheme::ScramSha256);
  Simulation scram(t);
  scram.connect();
  scram.capa();
  CHECK(scram.client_session().capabilities().has_sasl("SCRAM-SHA-256"));
  CHECK(scram.authenticate("SCRAM-SHA-256", "dave", "salt-me").ok());

  Scenario bad;
  bad.add_account("x", "y").stored = "{NOPE}y";
  CHECK_THROWS_AS(Simulation{bad}, std::invalid_argument);
}

TEST_CASE(
    "two runs given one maildrop store share it: [IN-USE] while one holds the lock, its deletions "
    "seen by the other") {
  Scenario s = basic();
  s.maildrops = std::make_shared<maildrop::MemoryMaildropStore>();
  fill_maildrops(s, *s.maildrops);
  Simulation first(s);
  Simulation second(s);
  first.connect();
  second.connect();
  REQUIRE(first.login_user_pass("alice", "wonderland").ok());
  CHECK(s.maildrops->locked("alice"));
  // The second session's password is right; the maildrop is busy.
  const Exchange refused = second.login_user_pass("alice", "wonderland");
  REQUIRE(refused.last_reply() != nullptr);
  CHECK(refused.last_reply()->status == Status::Err);
  REQUIRE(refused.last_reply()->code.has_value());
  CHECK(refused.last_reply()->code->text == "IN-USE");
  REQUIRE(first.send({Verb::Dele, {"1"}}).ok());
  REQUIRE(first.quit().server_update_done);
  CHECK_FALSE(s.maildrops->locked("alice"));
  // Now the second gets in and finds what UPDATE left.
  REQUIRE(second.login_user_pass("alice", "wonderland").ok());
  const Exchange stat = second.send({Verb::Stat, {}});
  REQUIRE(stat.last_reply() != nullptr);
  CHECK(stat.last_reply()->text.starts_with("1 "));
  CHECK(uidls(second, "alice") == std::vector<std::string>{"mem-2"});
  // A store given is not filled again by the next run.
  Simulation third(s);
  CHECK(uidls(third, "alice") == std::vector<std::string>{"mem-2"});
}
