#include "pop3test/session_pair.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "pop3/core/client_session.hpp"
#include "pop3/core/server_session.hpp"
#include "pop3/maildrop/memory_maildrop.hpp"

using namespace pop3;

namespace {

std::string read_transcript(const std::string& name) {
  std::ifstream in(std::string(POP3LAB_TRANSCRIPTS) + "/" + name);
  REQUIRE_MESSAGE(in, "missing transcript " << name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const std::string kMessage1 =
    "From: mrose@dbc.mtview.ca.us\r\n"
    "Subject: first\r\n"
    "\r\n"
    "The first message of the RFC 1939 example session.\r\n"
    "Pad to 120 octets.\r\n";
const std::string kMessage2 =
    "From: mrose@dbc.mtview.ca.us\r\n"
    "Subject: second\r\n"
    "\r\n"
    "The second message. The next line starts with a dot:\r\n"
    ".signature\r\n"
    "So the server stuffs it on the wire and the client strips it.\r\n"
    "Padded to 200 bytes.\r\n";

// Sends one command, lets the pair talk, returns the reply the client parsed.
Reply exchange(pop3test::SessionPair& pair, const Command& command) {
  REQUIRE_FALSE(pair.client.send(command));
  pair.run();
  return pair.last_reply();
}

}  // namespace

TEST_CASE("the RFC 1939 example session replays byte for byte between our client and server") {
  for (std::size_t chunk : {std::size_t{0}, std::size_t{1}, std::size_t{7}}) {
    CAPTURE(chunk);
    pop3test::FakeAuthenticator auth;
    auth.apop_digests["mrose"] = "c4c9334bac560ecc979e58001b3e22fb";
    maildrop::MemoryMaildropStore store;
    store.deliver("mrose", kMessage1);
    store.deliver("mrose", kMessage2);
    ServerConfig config;
    config.apop_timestamp = "<1896.697170952@dbc.mtview.ca.us>";
    config.server_name = "dewey";
    pop3test::SessionPair pair(config, auth, store);
    pair.run(chunk);
    REQUIRE(pair.client.apop_timestamp() == "<1896.697170952@dbc.mtview.ca.us>");
    for (const auto& command :
         std::vector<Command>{{Verb::Apop, {"mrose", "c4c9334bac560ecc979e58001b3e22fb"}},
                              {Verb::Stat, {}},
                              {Verb::List, {}},
                              {Verb::Retr, {"1"}},
                              {Verb::Dele, {"1"}},
                              {Verb::Retr, {"2"}},
                              {Verb::Dele, {"2"}},
                              {Verb::Quit, {}}}) {
      REQUIRE_FALSE(pair.client.send(command));
      pair.run(chunk);
    }
    CHECK(pair.transcript == read_transcript("rfc1939-example.txt"));
    auto replies = pair.client_events<ReplyEvent>();
    REQUIRE(replies.size() == 9);
    CHECK(replies[4].reply.body == kMessage1);
    CHECK(replies[6].reply.body == kMessage2);  // the stuffed dot is gone again
    CHECK(pair.client.state() == State::Closed);
    CHECK(pair.server.state() == State::Closed);
    CHECK(store.messages("mrose").empty());
  }
}

TEST_CASE("client and server sessions talk every command to each other") {
  pop3test::FakeAuthenticator auth;
  auth.passwords["alice"] = "wonderland";
  auth.mechanisms = {"X-ECHO"};
  maildrop::MemoryMaildropStore store;
  store.deliver("alice", "Subject: a\r\n\r\nline 1\r\nline 2\r\n", "uid-a");
  store.deliver("alice", "Subject: b\r\n\r\n.dot\r\n", "uid-b");
  ServerConfig config;
  config.tls_available = true;
  pop3test::SessionPair pair(config, auth, store);
  pair.run();

  CHECK(exchange(pair, {Verb::Capa, {}}).lines.size() > 5);
  CHECK(pair.client.capabilities().has("STLS"));
  CHECK(exchange(pair, {Verb::Utf8, {}}).ok());
  CHECK(exchange(pair, {Verb::Auth, {}}).lines == std::vector<std::string>{"X-ECHO"});
  // STLS without real TLS: both sides are told the handshake succeeded.
  CHECK(exchange(pair, {Verb::Stls, {}}).ok());
  CHECK(pair.client.state() == State::TlsHandshake);
  CHECK(pair.server.state() == State::TlsHandshake);
  pair.server.tls_established(pair.clock.now);
  pair.client.tls_established();
  CHECK(exchange(pair, {Verb::Capa, {}}).ok());
  CHECK_FALSE(pair.client.capabilities().has("STLS"));
  CHECK(exchange(pair, {Verb::User, {"alice"}}).ok());
  CHECK_FALSE(exchange(pair, {Verb::Pass, {"wrong"}}).ok());
  CHECK(pair.client.state() == State::Authorization);
  CHECK_FALSE(exchange(pair, {Verb::Apop, {"alice", "0123456789abcdef0123456789abcdef"}}).ok());
  REQUIRE_FALSE(pair.client.authenticate(std::make_unique<pop3test::EchoClient>("b2s=")));
  pair.run();
  CHECK(pair.last_reply().ok());
  CHECK(pair.client.state() == State::Transaction);
  CHECK(pair.server.state() == State::Transaction);
  CHECK(exchange(pair, {Verb::Stat, {}}).text == "2 50");
  CHECK(exchange(pair, {Verb::List, {}}).lines == std::vector<std::string>{"1 30", "2 20"});
  CHECK(exchange(pair, {Verb::List, {"2"}}).text == "2 20");
  CHECK(exchange(pair, {Verb::Uidl, {}}).lines == std::vector<std::string>{"1 uid-a", "2 uid-b"});
  CHECK(exchange(pair, {Verb::Uidl, {"1"}}).text == "1 uid-a");
  CHECK(exchange(pair, {Verb::Top, {"1", "1"}}).body == "Subject: a\r\n\r\nline 1\r\n");
  CHECK(exchange(pair, {Verb::Retr, {"2"}}).body == "Subject: b\r\n\r\n.dot\r\n");
  CHECK(exchange(pair, {Verb::Noop, {}}).ok());
  CHECK(exchange(pair, {Verb::Dele, {"1"}}).ok());
  CHECK(exchange(pair, {Verb::Rset, {}}).ok());
  CHECK(exchange(pair, {Verb::Dele, {"2"}}).ok());
  CHECK(exchange(pair, {Verb::Quit, {}}).ok());
  CHECK(pair.client_closed);
  CHECK(pair.server_closed);
  auto left = store.messages("alice");
  REQUIRE(left.size() == 1);
  CHECK(left[0].uidl == "uid-a");
}

TEST_CASE("pipelined commands crossing one byte at a time get their replies in order") {
  pop3test::FakeAuthenticator auth;
  auth.passwords["alice"] = "wonderland";
  maildrop::MemoryMaildropStore store;
  for (int i = 0; i < 5; ++i)
    store.deliver("alice", "Subject: " + std::to_string(i) + "\r\n\r\n.\r\n");
  pop3test::SessionPair pair(ServerConfig{}, auth, store);
  pair.run(1);
  pair.client.send({Verb::User, {"alice"}});
  pair.client.send({Verb::Pass, {"wonderland"}});
  for (int i = 1; i <= 5; ++i)
    pair.client.send({Verb::Retr, {std::to_string(i)}});
  pair.client.send({Verb::Quit, {}});
  pair.run(1);
  auto replies = pair.client_events<ReplyEvent>();
  REQUIRE(replies.size() == 9);
  for (int i = 1; i <= 5; ++i) {
    CHECK(replies[static_cast<std::size_t>(2 + i)].verb == Verb::Retr);
    CHECK(replies[static_cast<std::size_t>(2 + i)].reply.body ==
          "Subject: " + std::to_string(i - 1) + "\r\n\r\n.\r\n");
  }
  CHECK(pair.client.state() == State::Closed);
}
