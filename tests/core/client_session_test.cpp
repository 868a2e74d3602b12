#include "pop3/core/client_session.hpp"

#include <doctest/doctest.h>

#include "pop3/core/command_table.hpp"
#include "pop3test/fakes.hpp"
#include "pop3test/feeding.hpp"

using namespace pop3;
using pop3test::Feeding;

namespace {

// Runs next() until NeedInput, collecting steps and what the client wrote.
struct Pump {
  std::vector<Step> steps;
  std::string written;
  void operator()(ClientSession& c) {
    for (;;) {
      Step s = c.next();
      if (std::holds_alternative<NeedInput>(s)) return;
      if (auto* send = std::get_if<Send>(&s)) written += send->bytes;
      const bool closed = std::holds_alternative<Closed>(s);
      steps.push_back(std::move(s));
      if (closed) return;
    }
  }
  template <class T>
  std::vector<T> events() const {
    std::vector<T> out;
    for (const auto& s : steps)
      if (auto* e = std::get_if<T>(&s)) out.push_back(*e);
    return out;
  }
};

void feed(ClientSession& c, Pump& pump, std::string_view bytes, Feeding f = Feeding::Whole) {
  for (const auto& chunk : pop3test::chunks(bytes, f)) {
    c.feed(chunk);
    pump(c);
  }
}

ClientSession greeted(Pump& pump, ClientConfig config = {}) {
  ClientSession c(config);
  feed(c, pump, "+OK ready <1.2@host>\r\n");
  return c;
}

}  // namespace

TEST_CASE("the greeting gives the APOP timestamp, and a -ERR greeting closes the session") {
  Pump p;
  ClientSession c = greeted(p);
  CHECK(c.greeted());
  CHECK(c.apop_timestamp() == "<1.2@host>");
  Pump p2;
  ClientSession refused;
  feed(refused, p2, "-ERR [SYS/TEMP] too busy\r\n");
  CHECK(refused.state() == State::Closed);
  CHECK(p2.events<Closed>().size() == 1);
}

TEST_CASE("LIST without an argument reads a body and LIST n does not, however the bytes arrive") {
  for (Feeding f : pop3test::kAllFeedings) {
    CAPTURE(pop3test::feeding_name(f));
    Pump p;
    ClientSession c = greeted(p, ClientConfig{false});
    REQUIRE_FALSE(c.send({Verb::List, {}}));
    REQUIRE_FALSE(c.send({Verb::List, {"2"}}));
    feed(c, p, "+OK 2 messages\r\n1 120\r\n2 200\r\n.\r\n+OK 2 200\r\n", f);
    auto replies = p.events<ReplyEvent>();
    REQUIRE(replies.size() == 3);
    CHECK(replies[1].verb == Verb::List);
    CHECK(replies[1].reply.multiline);
    CHECK(replies[1].reply.lines == std::vector<std::string>{"1 120", "2 200"});
    CHECK_FALSE(replies[2].reply.multiline);
    CHECK(replies[2].reply.text == "2 200");
    CHECK(c.pending() == 0);
  }
}

TEST_CASE("a RETR body is unstuffed and trailing bytes start the next reply") {
  for (Feeding f : pop3test::kAllFeedings) {
    CAPTURE(pop3test::feeding_name(f));
    Pump p;
    ClientSession c = greeted(p, ClientConfig{false});
    REQUIRE_FALSE(c.send({Verb::Retr, {"1"}}));
    REQUIRE_FALSE(c.send({Verb::Noop, {}}));
    feed(c, p, "+OK 18 octets\r\n..dot\r\n\r\nbody\r\n.\r\n+OK\r\n", f);
    auto replies = p.events<ReplyEvent>();
    REQUIRE(replies.size() == 3);
    CHECK(replies[1].reply.body == ".dot\r\n\r\nbody\r\n");
    CHECK(replies[2].verb == Verb::Noop);
  }
}

TEST_CASE("streaming mode delivers RETR data as BodyChunk events") {
  Pump p;
  ClientConfig config;
  config.enforce_states = false;
  config.stream_message_bodies = true;
  ClientSession c = greeted(p, config);
  REQUIRE_FALSE(c.send({Verb::Retr, {"1"}}));
  feed(c, p, "+OK\r\nabc\r\n..d\r\n.\r\n", Feeding::ByteByByte);
  std::string data;
  for (const auto& chunk : p.events<BodyChunk>())
    data += chunk.data;
  CHECK(data == "abc\r\n.d\r\n");
  CHECK(p.events<ReplyEvent>().back().reply.body.empty());
}

TEST_CASE("-ERR to a multi-line command has no body") {
  Pump p;
  ClientSession c = greeted(p, ClientConfig{false});
  REQUIRE_FALSE(c.send({Verb::Retr, {"9"}}));
  REQUIRE_FALSE(c.send({Verb::Stat, {}}));
  feed(c, p, "-ERR no such message\r\n+OK 1 2\r\n");
  auto replies = p.events<ReplyEvent>();
  REQUIRE(replies.size() == 3);
  CHECK_FALSE(replies[1].reply.ok());
  CHECK(replies[2].reply.text == "1 2");
}

TEST_CASE("send refuses CR, LF or NUL in an argument and nothing is written") {
  Pump p;
  ClientSession c = greeted(p);
  CHECK(c.send({Verb::User, {"alice\r\nDELE 1"}}) == Errc::crlf_injection);
  CHECK(c.send_raw("USER alice\r\nDELE 1") == Errc::crlf_injection);
  p(c);
  CHECK(p.written.empty());
}

TEST_CASE("with enforce_states, commands are checked against the state pipelining leads to") {
  Pump p;
  ClientSession c = greeted(p);
  CHECK(c.send({Verb::Stat, {}}) == Errc::command_not_allowed_now);
  CHECK_FALSE(c.send({Verb::User, {"alice"}}));
  CHECK_FALSE(c.send({Verb::Pass, {"pw"}}));
  CHECK_FALSE(c.send({Verb::Stat, {}}));  // legal once USER and PASS succeed
  p(c);
  CHECK(p.written == "USER alice\r\nPASS pw\r\nSTAT\r\n");
}

TEST_CASE("replies to pipelined commands are matched in order and move the state") {
  Pump p;
  ClientSession c = greeted(p);
  c.send({Verb::User, {"alice"}});
  c.send({Verb::Pass, {"pw"}});
  c.send({Verb::Stat, {}});
  feed(c, p, "+OK\r\n+OK logged in\r\n+OK 0 0\r\n");
  CHECK(c.state() == State::Transaction);
  auto changes = p.events<StateChange>();
  REQUIRE(changes.size() == 2);
  CHECK(changes[0].to == State::AwaitingPass);
  CHECK(changes[1].to == State::Transaction);
}

TEST_CASE("the PASS argument is announced as a secret before the bytes that carry it") {
  Pump p;
  ClientSession c = greeted(p);
  c.send({Verb::User, {"alice"}});
  c.send({Verb::Pass, {"open sesame"}});
  p(c);
  std::optional<std::size_t> secret_at, send_at;
  for (std::size_t i = 0; i < p.steps.size(); ++i) {
    if (auto* s = std::get_if<SecretSeen>(&p.steps[i])) {
      secret_at = i;
      CHECK(s->offset == 12 + 5);
      CHECK(s->length == 11);
    }
    if (auto* s = std::get_if<Send>(&p.steps[i]); s && s->bytes.starts_with("PASS")) send_at = i;
  }
  REQUIRE(secret_at);
  REQUIRE(send_at);
  CHECK(*secret_at < *send_at);
}

TEST_CASE("CAPA is parsed, and after +OK to STLS it is forgotten and injected bytes are dropped") {
  Pump p;
  ClientSession c = greeted(p);
  c.send({Verb::Capa, {}});
  feed(c, p, "+OK\r\nSTLS\r\nSASL PLAIN\r\nUSER\r\n.\r\n");
  CHECK(c.capabilities().has("STLS"));
  CHECK(c.capabilities().has_sasl("plain"));
  c.send({Verb::Stls, {}});
  CHECK(c.send({Verb::Capa, {}}) == Errc::command_not_allowed_now);  // STLS ends a pipeline
  feed(c, p, "+OK begin TLS\r\n+OK fake reply injected by an attacker\r\n");
  CHECK(p.events<StartTls>().size() == 1);
  auto dropped = p.events<InjectionDiscarded>();
  REQUIRE(dropped.size() == 1);
  CHECK(dropped[0].octets == 40);
  CHECK_FALSE(c.capabilities_known());
  CHECK(c.capabilities().empty());
  CHECK(c.apop_timestamp() == "<1.2@host>");  // the greeting's, still valid under TLS
  CHECK(c.state() == State::TlsHandshake);
  c.tls_established();
  CHECK(c.state() == State::Authorization);
  CHECK_FALSE(c.send({Verb::Capa, {}}));
}

TEST_CASE("a reply that answers no command ends the session as a peer violation") {
  Pump p;
  ClientSession c = greeted(p);
  feed(c, p, "+OK surprise\r\n");
  auto v = p.events<Violation>();
  REQUIRE(v.size() == 1);
  CHECK(v[0].error == Errc::unexpected_reply);
  CHECK(v[0].fatal);
  CHECK(c.state() == State::Closed);
}

TEST_CASE(
    "an -ERR to no command (autologout, shutdown) is reported as a reply and the session goes on") {
  Pump p;
  ClientSession c = greeted(p);
  feed(c, p, "-ERR autologout timer expired, closing the connection\r\n");
  auto replies = p.events<ReplyEvent>();
  REQUIRE(replies.size() == 2);
  CHECK_FALSE(replies[1].verb);
  CHECK(replies[1].reply.text.starts_with("autologout"));
  CHECK_FALSE(p.events<Violation>().at(0).fatal);
  CHECK(c.state() == State::Authorization);
  c.connection_lost();
  p(c);
  CHECK(c.state() == State::Closed);
}

TEST_CASE("a reply line over 512 octets is a fatal peer violation") {
  Pump p;
  ClientSession c = greeted(p);
  c.send({Verb::User, {"alice"}});
  feed(c, p, "+OK " + std::string(600, 'x') + "\r\n");
  CHECK(p.events<Violation>().at(0).error == Errc::line_too_long);
  CHECK(c.state() == State::Closed);
}

TEST_CASE("authenticate runs the mechanism through challenges until +OK") {
  Pump p;
  ClientSession c = greeted(p);
  REQUIRE_FALSE(c.authenticate(std::make_unique<pop3test::EchoClient>("b2s=")));
  CHECK(c.send({Verb::Stat, {}}) == Errc::auth_in_progress);
  p(c);
  CHECK(p.written == "AUTH X-ECHO\r\n");
  feed(c, p, "+ Y2hhbGxlbmdl\r\n");
  CHECK(p.written == "AUTH X-ECHO\r\nb2s=\r\n");
  CHECK(c.state() == State::SaslExchange);
  feed(c, p, "+OK logged in\r\n");
  CHECK(c.state() == State::Transaction);
  CHECK(p.events<AuthStep>().size() >= 3);
  CHECK(p.events<SecretSeen>().size() == 1);
}

TEST_CASE("an initial response too long for the AUTH line is sent after the empty challenge") {
  Pump p;
  ClientSession c = greeted(p);
  const std::string long_ir(300, 'A');
  REQUIRE_FALSE(c.authenticate(std::make_unique<pop3test::EchoClient>(long_ir, true)));
  p(c);
  CHECK(p.written == "AUTH X-ECHO\r\n");
  feed(c, p, "+ \r\n");
  CHECK(p.written == "AUTH X-ECHO\r\n" + long_ir + "\r\n");
}

TEST_CASE("QUIT in TRANSACTION passes through UPDATE to CLOSED") {
  Pump p;
  ClientSession c = greeted(p);
  c.send({Verb::User, {"a"}});
  c.send({Verb::Pass, {"b"}});
  c.send({Verb::Quit, {}});
  feed(c, p, "+OK\r\n+OK\r\n+OK bye\r\n");
  auto changes = p.events<StateChange>();
  REQUIRE(changes.size() == 4);
  CHECK(changes[2].to == State::Update);
  CHECK(changes[3].to == State::Closed);
  CHECK(p.events<Closed>().at(0).update_done);
}

TEST_CASE("a connection lost mid-body is reported and nothing is taken as complete") {
  Pump p;
  ClientSession c = greeted(p, ClientConfig{false});
  c.send({Verb::Retr, {"1"}});
  feed(c, p, "+OK\r\nhalf a mess");
  c.connection_lost();
  p(c);
  CHECK(p.events<Violation>().at(0).error == Errc::connection_lost);
  CHECK(p.events<ReplyEvent>().size() == 1);  // only the greeting
  CHECK(c.state() == State::Closed);
}

TEST_CASE("send_raw sends a line as typed and still knows the reply's shape") {
  Pump p;
  ClientSession c = greeted(p, ClientConfig{false});
  REQUIRE_FALSE(c.send_raw("list"));
  REQUIRE_FALSE(c.send_raw("XYZZY"));
  p(c);
  CHECK(p.written == "list\r\nXYZZY\r\n");
  feed(c, p, "+OK\r\n1 10\r\n.\r\n-ERR unknown command\r\n");
  auto replies = p.events<ReplyEvent>();
  REQUIRE(replies.size() == 3);
  CHECK(replies[1].reply.lines.size() == 1);
  CHECK_FALSE(replies[2].verb);
}
