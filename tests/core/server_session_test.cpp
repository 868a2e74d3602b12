#include "pop3/core/server_session.hpp"

#include <doctest/doctest.h>

#include "pop3/core/command_table.hpp"
#include "pop3/maildrop/memory_maildrop.hpp"
#include "pop3test/feeding.hpp"
#include "pop3test/server_driver.hpp"

using namespace pop3;
using pop3test::Feeding;

namespace {

struct Fixture {
  pop3test::FakeAuthenticator auth;
  maildrop::MemoryMaildropStore store;
  pop3test::ServerDriver d;
  ServerConfig config;

  Fixture() {
    auth.passwords["alice"] = "wonderland";
    auth.passwords["bob"] = "builder";
    store.deliver("alice", "Subject: one\r\n\r\nfirst\r\n", "uid-one");
    store.deliver("alice", "Subject: two\n\n.leading dot\nline 2\nline 3\n", "uid-two");
    store.deliver("alice", "Subject: three\r\n\r\nthird\r\n", "uid-three");
    store.add_user("bob");
  }
  std::unique_ptr<ServerSession> open() {
    auto s = std::make_unique<ServerSession>(config, auth, store, d.clock.now);
    d.pump(*s);
    return s;
  }
  std::unique_ptr<ServerSession> logged_in() {
    auto s = open();
    d.say(*s, "USER alice\r\n");
    REQUIRE(d.say(*s, "PASS wonderland\r\n").starts_with("+OK"));
    REQUIRE(s->state() == State::Transaction);
    return s;
  }
};

}  // namespace

TEST_CASE("the greeting is +OK and carries the APOP timestamp only when APOP can work") {
  Fixture f;
  f.config.apop_timestamp = "<1.2@host>";
  auto s = f.open();
  CHECK(f.d.output == "+OK POP3 server ready\r\n");  // no plaintext secrets stored: no APOP
  f.auth.apop_digests["alice"] = "x";
  pop3test::ServerDriver d2;
  ServerSession s2(f.config, f.auth, f.store, d2.clock.now);
  d2.pump(s2);
  CHECK(d2.output == "+OK POP3 server ready <1.2@host>\r\n");
}

TEST_CASE(
    "USER and PASS log in, the whole exchange fed whole, byte by byte and with trailing bytes") {
  for (Feeding feeding : pop3test::kAllFeedings) {
    CAPTURE(pop3test::feeding_name(feeding));
    Fixture f;
    auto s = f.open();
    std::string out;
    for (const auto& chunk : pop3test::chunks("USER alice\r\nPASS wonderland\r\n", feeding))
      out += f.d.say(*s, chunk);
    CHECK(out == "+OK send PASS\r\n+OK alice's maildrop has 3 messages (94 octets)\r\n");
    CHECK(s->state() == State::Transaction);
  }
}

TEST_CASE("a wrong password gets -ERR [AUTH] only after the failure delay, then login works") {
  Fixture f;
  f.config.failed_auth_delay = std::chrono::seconds(2);
  auto s = f.open();
  f.d.say(*s, "USER alice\r\n");
  CHECK(f.d.say(*s, "PASS wrong\r\n").empty());
  CHECK(s->deadline() == f.d.clock.now + std::chrono::seconds(2));
  f.d.clock.advance(std::chrono::milliseconds(1999));
  CHECK(f.d.pump(*s).empty());
  f.d.clock.advance(std::chrono::milliseconds(1));
  CHECK(f.d.pump(*s) == "-ERR [AUTH] authentication failed\r\n");
  CHECK(s->state() == State::Authorization);
  f.d.say(*s, "USER alice\r\n");
  CHECK(f.d.say(*s, "PASS wonderland\r\n").starts_with("+OK"));
}

TEST_CASE("commands pipelined behind a failed login wait for its delayed reply") {
  Fixture f;
  f.config.failed_auth_delay = std::chrono::seconds(1);
  auto s = f.open();
  CHECK(f.d.say(*s, "USER alice\r\nPASS nope\r\nUSER alice\r\nPASS wonderland\r\nSTAT\r\n") ==
        "+OK send PASS\r\n");
  f.d.clock.advance(std::chrono::seconds(1));
  CHECK(f.d.pump(*s) ==
        "-ERR [AUTH] authentication failed\r\n+OK send PASS\r\n"
        "+OK alice's maildrop has 3 messages (94 octets)\r\n+OK 3 94\r\n");
}

TEST_CASE("PASS never appears in an event except as the redacted exposure range") {
  Fixture f;
  auto s = f.open();
  f.d.say(*s, "USER alice\r\nPASS wonderland\r\n");
  auto secrets = f.d.events<SecretSeen>();
  REQUIRE(secrets.size() == 1);
  CHECK(secrets[0].direction == Direction::ClientToServer);
  CHECK(secrets[0].offset == 12 + 5);
  CHECK(secrets[0].length == 10);
  CHECK(secrets[0].exposure == Exposure::Cleartext);
  for (const auto& step : f.d.steps) {
    if (auto* a = std::get_if<AuthStep>(&step))
      CHECK(a->description.find("wonderland") == std::string::npos);
    if (auto* v = std::get_if<Violation>(&step))
      CHECK(v->detail.find("wonderland") == std::string::npos);
  }
  // The SecretSeen comes before the Received that holds the bytes.
  std::size_t secret_at = 0, received_at = 0;
  for (std::size_t i = 0; i < f.d.steps.size(); ++i) {
    if (std::holds_alternative<SecretSeen>(f.d.steps[i])) secret_at = i;
    if (auto* r = std::get_if<Received>(&f.d.steps[i]); r && r->bytes.starts_with("PASS"))
      received_at = i;
  }
  CHECK(secret_at < received_at);
}

TEST_CASE("sizes are wire octets: LF on store becomes CRLF and dots are not counted") {
  Fixture f;
  auto s = f.logged_in();
  CHECK(f.d.say(*s, "LIST\r\n") == "+OK 3 messages (94 octets)\r\n1 23\r\n2 46\r\n3 25\r\n.\r\n");
  const std::string retr = f.d.say(*s, "RETR 2\r\n");
  CHECK(retr == "+OK 46 octets\r\nSubject: two\r\n\r\n..leading dot\r\nline 2\r\nline 3\r\n.\r\n");
}

TEST_CASE("TOP sends the headers, the blank line and n body lines") {
  Fixture f;
  auto s = f.logged_in();
  CHECK(f.d.say(*s, "TOP 2 1\r\n") ==
        "+OK top of message follows\r\nSubject: two\r\n\r\n..leading dot\r\n.\r\n");
  CHECK(f.d.say(*s, "TOP 2 0\r\n") == "+OK top of message follows\r\nSubject: two\r\n\r\n.\r\n");
  CHECK(f.d.say(*s, "TOP 2 99\r\n") ==
        "+OK top of message follows\r\nSubject: two\r\n\r\n..leading dot\r\nline 2\r\nline "
        "3\r\n.\r\n");
}

TEST_CASE("message numbers stay stable after DELE, and deleted messages are refused") {
  Fixture f;
  auto s = f.logged_in();
  CHECK(f.d.say(*s, "DELE 1\r\n") == "+OK message 1 deleted\r\n");
  CHECK(f.d.say(*s, "STAT\r\n") == "+OK 2 71\r\n");
  CHECK(f.d.say(*s, "LIST\r\n") == "+OK 2 messages (71 octets)\r\n2 46\r\n3 25\r\n.\r\n");
  CHECK(f.d.say(*s, "UIDL\r\n") ==
        "+OK unique-id listing follows\r\n2 uid-two\r\n3 uid-three\r\n.\r\n");
  CHECK(f.d.say(*s, "RETR 1\r\n") == "-ERR message 1 already deleted\r\n");
  CHECK(f.d.say(*s, "DELE 1\r\n") == "-ERR message 1 already deleted\r\n");
  CHECK(f.d.say(*s, "LIST 1\r\n") == "-ERR message 1 already deleted\r\n");
  CHECK(f.d.say(*s, "UIDL 3\r\n") == "+OK 3 uid-three\r\n");
  CHECK(f.d.say(*s, "LIST 4\r\n") == "-ERR no such message, only 3 messages in maildrop\r\n");
  CHECK(f.d.say(*s, "RSET\r\n") == "+OK maildrop has 3 messages (94 octets)\r\n");
  CHECK(f.d.say(*s, "RETR 1\r\n").starts_with("+OK 23 octets\r\n"));
}

TEST_CASE("QUIT in TRANSACTION enters UPDATE and removes exactly the marked messages") {
  Fixture f;
  auto s = f.logged_in();
  f.d.say(*s, "DELE 2\r\n");
  CHECK(f.d.say(*s, "QUIT\r\n") == "+OK pop3lab POP3 server signing off (2 messages left)\r\n");
  CHECK(f.d.closed);
  auto closed = f.d.events<Closed>();
  REQUIRE(closed.size() == 1);
  CHECK(closed[0].update_done);
  auto left = f.store.messages("alice");
  REQUIRE(left.size() == 2);
  CHECK(left[0].uidl == "uid-one");
  CHECK(left[1].uidl == "uid-three");
  CHECK_FALSE(f.store.locked("alice"));
  auto changes = f.d.events<StateChange>();
  REQUIRE(changes.size() >= 2);
  CHECK(changes[changes.size() - 2].to == State::Update);
  CHECK(changes.back().to == State::Closed);
}

TEST_CASE("a connection lost in TRANSACTION deletes nothing and releases the lock") {
  Fixture f;
  auto s = f.logged_in();
  f.d.say(*s, "DELE 1\r\nDELE 2\r\n");
  s->connection_lost();
  f.d.pump(*s);
  CHECK(f.store.messages("alice").size() == 3);
  CHECK_FALSE(f.store.locked("alice"));
  CHECK(s->state() == State::Closed);
  CHECK_FALSE(f.d.events<Closed>().at(0).update_done);
}

TEST_CASE("a failed UPDATE answers -ERR [SYS/TEMP] and leaves the messages in place") {
  Fixture f;
  auto s = f.logged_in();
  f.store.fail_commits(true);
  f.d.say(*s, "DELE 1\r\n");
  CHECK(f.d.say(*s, "QUIT\r\n") == "-ERR [SYS/TEMP] some deleted messages were not removed\r\n");
  CHECK(f.store.messages("alice").size() == 3);
}

TEST_CASE("a second login to a locked maildrop gets -ERR [IN-USE]") {
  Fixture f;
  auto first = f.logged_in();
  pop3test::ServerDriver d2;
  ServerSession second(f.config, f.auth, f.store, d2.clock.now);
  d2.pump(second);
  d2.say(second, "USER alice\r\n");
  CHECK(d2.say(second, "PASS wonderland\r\n") ==
        "-ERR [IN-USE] maildrop is locked by another session\r\n");
  CHECK(second.state() == State::Authorization);
}

TEST_CASE(
    "every command in every state: legal ones are served, the rest get -ERR and the session goes "
    "on") {
  const std::vector<std::string>
      lines{"USER alice", "PASS x",  "APOP alice d", "AUTH X-NONE", "STLS",   "CAPA",
            "UTF8",       "STAT",    "LIST",         "RETR 1",      "DELE 1", "NOOP",
            "RSET",       "TOP 1 0", "UIDL"};  // QUIT ends the session: below
  for (State state : {State::Authorization, State::AwaitingPass, State::Transaction}) {
    for (const auto& line : lines) {
      CAPTURE(state_name(state));
      CAPTURE(line);
      Fixture f;
      auto s = state == State::Transaction ? f.logged_in() : f.open();
      if (state == State::AwaitingPass) f.d.say(*s, "USER alice\r\n");
      REQUIRE(s->state() == state);
      const Verb verb = *parse_verb(line.substr(0, line.find(' ')));
      const std::string reply = f.d.say(*s, line + "\r\n");
      const bool legal = spec_of(verb).legal.contains(state);
      if (!legal) {
        CHECK(reply.starts_with("-ERR"));
        CHECK(s->state() == state);
      }
      CHECK_FALSE(f.d.closed);
      CHECK(f.d.say(*s, "CAPA\r\n").starts_with("+OK"));  // still answering
    }
  }
}

TEST_CASE("QUIT is legal in AUTHORIZATION and closes without UPDATE") {
  Fixture f;
  auto s = f.open();
  CHECK(f.d.say(*s, "QUIT\r\n") == "+OK pop3lab POP3 server signing off\r\n");
  CHECK(f.d.closed);
  CHECK_FALSE(f.d.events<Closed>().at(0).update_done);
}

TEST_CASE("a command line over 255 octets gets -ERR and the next command is served") {
  for (Feeding feeding : pop3test::kAllFeedings) {
    CAPTURE(pop3test::feeding_name(feeding));
    Fixture f;
    auto s = f.open();
    std::string out;
    for (const auto& chunk :
         pop3test::chunks("USER " + std::string(300, 'a') + "\r\nCAPA\r\n", feeding))
      out += f.d.say(*s, chunk);
    CHECK(out.starts_with("-ERR line too long"));
    CHECK(out.find("+OK capability list follows") != std::string::npos);
  }
}

TEST_CASE("malformed commands get -ERR with a reason and the session goes on") {
  Fixture f;
  auto s = f.logged_in();
  CHECK(f.d.say(*s, "FROB\r\n") == "-ERR unknown command\r\n");
  CHECK(f.d.say(*s, "RETR\r\n") == "-ERR usage: RETR msg (RFC 1939 §5)\r\n");
  CHECK(f.d.say(*s, "RETR x\r\n").starts_with("-ERR \"x\" is not a message number"));
  CHECK(f.d.say(*s, "\r\n") == "-ERR empty command\r\n");
  CHECK(f.d.say(*s, "STAT\n") == "-ERR lines must end with CRLF, not LF alone\r\n");
  CHECK(f.d.say(*s, "STAT\r\n") == "+OK 3 94\r\n");
  CHECK(f.d.events<Violation>().size() == 5);
}

TEST_CASE("the bare-LF leniency accepts commands that end in LF alone") {
  Fixture f;
  f.config.accept_bare_lf = true;
  auto s = f.open();
  CHECK(f.d.say(*s, "USER alice\nPASS wonderland\n").ends_with("(94 octets)\r\n"));
}

TEST_CASE("after 20 bad commands in a row the server ends the session") {
  Fixture f;
  auto s = f.open();
  for (int i = 0; i < 19; ++i)
    f.d.say(*s, "BOGUS\r\n");
  CHECK_FALSE(f.d.closed);
  CHECK(
      f.d.say(*s, "BOGUS\r\n").ends_with("-ERR too many bad commands, closing the connection\r\n"));
  CHECK(f.d.closed);
}

TEST_CASE("the autologout timer is at least ten minutes and closes without UPDATE") {
  Fixture f;
  f.config.autologout = std::chrono::seconds(30);  // too short: raised to RFC 1939's minimum
  auto s = f.logged_in();
  f.d.say(*s, "DELE 1\r\n");
  CHECK(s->deadline() == f.d.clock.now + std::chrono::minutes(10));
  f.d.clock.advance(std::chrono::minutes(9));
  CHECK(f.d.pump(*s).empty());
  f.d.clock.advance(std::chrono::minutes(1));
  CHECK(f.d.pump(*s) == "-ERR autologout timer expired, closing the connection\r\n");
  CHECK(f.d.closed);
  CHECK(f.store.messages("alice").size() == 3);
}

TEST_CASE("bytes that never end a line do not reset the autologout timer; a command does") {
  Fixture f;
  auto s = f.logged_in();
  f.d.say(*s, "DELE 1\r\n");
  // A line trickled an octet a minute, never ended, over eleven minutes.
  for (int i = 0; i < 11; ++i) {
    f.d.clock.advance(std::chrono::minutes(1));
    s->feed("x", f.d.clock.now);
    f.d.pump(*s);
    if (f.d.closed) break;
  }
  CHECK(f.d.closed);
  CHECK(f.store.messages("alice").size() == 3);  // no UPDATE: the mark is gone with the session
  // A command in time, on the other hand, starts the ten minutes again.
  Fixture g;
  auto t = g.logged_in();
  g.d.clock.advance(std::chrono::minutes(9));
  g.d.say(*t, "NOOP\r\n");
  g.d.clock.advance(std::chrono::minutes(9));
  CHECK(g.d.pump(*t).empty());
  CHECK_FALSE(g.d.closed);
}

TEST_CASE("a lab may ask for a shorter autologout explicitly") {
  Fixture f;
  f.config.autologout = std::chrono::seconds(30);
  f.config.allow_short_autologout = true;
  auto s = f.open();
  CHECK(s->deadline() == f.d.clock.now + std::chrono::seconds(30));
}

TEST_CASE(
    "CAPA lists what this connection allows, and LOGINDISABLED hides USER and PLAIN before TLS") {
  Fixture f;
  f.auth.mechanisms = {"CRAM-MD5", "PLAIN", "LOGIN"};
  f.config.tls_available = true;
  f.config.plaintext_auth_requires_tls = true;
  f.config.expire_days = -1;
  f.config.login_delay_seconds = 0;
  auto s = f.open();
  CHECK(f.d.say(*s, "CAPA\r\n") ==
        "+OK capability list follows\r\nTOP\r\nSASL CRAM-MD5\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\n"
        "PIPELINING\r\nUIDL\r\nSTLS\r\nUTF8\r\nEXPIRE NEVER\r\nLOGIN-DELAY 0\r\n"
        "IMPLEMENTATION pop3lab\r\n.\r\n");
  CHECK(f.d.say(*s, "USER alice\r\n") ==
        "-ERR [AUTH] plaintext login is disabled until TLS is active (use STLS)\r\n");
  CHECK(f.d.say(*s, "AUTH PLAIN\r\n") ==
        "-ERR [AUTH] PLAIN is disabled until TLS is active (use STLS)\r\n");
  CHECK(f.d.say(*s, "STLS\r\n") == "+OK begin TLS negotiation now\r\n");
  CHECK(f.d.start_tls);
  s->tls_established(f.d.clock.now);
  CHECK(f.d.say(*s, "CAPA\r\n").find("USER\r\nSASL CRAM-MD5 PLAIN LOGIN\r\n") != std::string::npos);
  CHECK(f.d.say(*s, "STLS\r\n") == "-ERR the connection is already under TLS\r\n");
}

TEST_CASE("bytes pipelined behind STLS are discarded, never executed after the upgrade") {
  for (Feeding feeding : pop3test::kAllFeedings) {
    if (feeding == Feeding::ByteByByte) continue;  // one byte at a time cannot pipeline
    Fixture f;
    f.config.tls_available = true;
    auto s = f.open();
    f.d.say(*s, "STLS\r\nUSER alice\r\nPASS wonderland\r\n");
    REQUIRE(f.d.start_tls);
    auto discarded = f.d.events<InjectionDiscarded>();
    REQUIRE(discarded.size() == 1);
    CHECK(discarded[0].octets == 29);
    s->tls_established(f.d.clock.now);
    CHECK(s->state() == State::Authorization);
    CHECK(f.d.say(*s, "PASS wonderland\r\n").starts_with("-ERR PASS must follow"));
  }
}

TEST_CASE("STLS is refused where TLS is not offered") {
  Fixture f;
  auto s = f.open();
  CHECK(f.d.say(*s, "STLS\r\n") == "-ERR STLS is not offered by this server\r\n");
  CHECK(f.d.say(*s, "CAPA\r\n").find("STLS") == std::string::npos);
}

TEST_CASE("AUTH frames a SASL exchange: challenge, response, success") {
  Fixture f;
  f.auth.mechanisms = {"X-ECHO"};
  auto s = f.open();
  CHECK(f.d.say(*s, "AUTH\r\n") == "+OK SASL mechanisms follow\r\nX-ECHO\r\n.\r\n");
  CHECK(f.d.say(*s, "AUTH x-echo\r\n") == "+ Y2hhbGxlbmdl\r\n");
  CHECK(s->state() == State::SaslExchange);
  CHECK(f.d.say(*s, "b2s=\r\n") == "+OK alice's maildrop has 3 messages (94 octets)\r\n");
  CHECK(s->state() == State::Transaction);
}

TEST_CASE("AUTH with an initial response logs in without a challenge") {
  Fixture f;
  f.auth.mechanisms = {"X-ECHO"};
  auto s = f.open();
  CHECK(f.d.say(*s, "AUTH X-ECHO b2s=\r\n").starts_with("+OK alice's maildrop"));
  auto secrets = f.d.events<SecretSeen>();
  REQUIRE(secrets.size() == 1);
  CHECK(secrets[0].offset == 12);
  CHECK(secrets[0].length == 4);
  auto commands = f.d.events<CommandEvent>();
  REQUIRE(commands.size() == 1);
}

TEST_CASE("\"*\" cancels an AUTH exchange and bad base64 is refused") {
  Fixture f;
  f.auth.mechanisms = {"X-ECHO"};
  auto s = f.open();
  f.d.say(*s, "AUTH X-ECHO\r\n");
  CHECK(f.d.say(*s, "*\r\n") == "-ERR authentication cancelled by the client\r\n");
  CHECK(s->state() == State::Authorization);
  f.d.say(*s, "AUTH X-ECHO\r\n");
  CHECK(f.d.say(*s, "!!notbase64\r\n") == "-ERR invalid base64\r\n");
  CHECK(s->state() == State::Authorization);
  f.d.say(*s, "AUTH X-ECHO\r\n");
  CHECK(f.d.say(*s, "YmFk\r\n") == "-ERR [AUTH] authentication failed\r\n");
  CHECK(f.d.say(*s, "AUTH X-NOPE\r\n") == "-ERR mechanism X-NOPE is not offered\r\n");
}

TEST_CASE("RETR of a large message streams in pieces without holding the whole body") {
  Fixture f;
  std::string big;
  for (int i = 0; i < 20000; ++i)
    big += (i % 50 == 0 ? ".dotted line " : "line ") + std::to_string(i) + "\r\n";
  f.store.deliver("bob", big, "big");
  auto s = f.open();
  f.d.say(*s, "USER bob\r\nPASS builder\r\n");
  s->feed("RETR 1\r\n", f.d.clock.now);
  std::size_t sends = 0, largest = 0;
  std::string body;
  for (;;) {
    Step step = s->next(f.d.clock.now);
    if (std::holds_alternative<NeedInput>(step)) break;
    if (auto* send = std::get_if<Send>(&step)) {
      ++sends;
      largest = std::max(largest, send->bytes.size());
      body += send->bytes;
    }
  }
  CHECK(sends > 3);
  CHECK(largest <= 70 * 1024);
  CHECK(body.starts_with("+OK " + std::to_string(big.size()) + " octets\r\n"));
  CHECK(body.ends_with("\r\n.\r\n"));
}

TEST_CASE("a message over the size limit is refused with [SYS/PERM]") {
  Fixture f;
  f.config.max_message_octets = 40;
  auto s = f.logged_in();
  CHECK(f.d.say(*s, "RETR 2\r\n") ==
        "-ERR [SYS/PERM] message 2 is larger than this server will send\r\n");
  CHECK(f.d.say(*s, "RETR 1\r\n").starts_with("+OK"));
}

TEST_CASE("shutdown tells the client and closes without UPDATE") {
  Fixture f;
  auto s = f.logged_in();
  f.d.say(*s, "DELE 1\r\n");
  s->shutdown("server shutting down");
  CHECK(f.d.pump(*s) == "-ERR [SYS/TEMP] server shutting down\r\n");
  CHECK(f.d.closed);
  CHECK(f.store.messages("alice").size() == 3);
}

TEST_CASE("UTF8 is accepted in AUTHORIZATION when offered") {
  Fixture f;
  auto s = f.open();
  CHECK(f.d.say(*s, "UTF8\r\n") == "+OK UTF8 enabled\r\n");
  f.config.offer_utf8 = false;
  pop3test::ServerDriver d2;
  ServerSession s2(f.config, f.auth, f.store, d2.clock.now);
  d2.pump(s2);
  CHECK(d2.say(s2, "UTF8\r\n") == "-ERR UTF8 is not offered by this server\r\n");
}
