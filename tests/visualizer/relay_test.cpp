// RelaySource between a client and an upstream server, both played here over loopback:
// the bytes pass unchanged, the link records them (ciphertext after STLS), and the core's
// client session, fed the same bytes, records what they meant.
#include <doctest/doctest.h>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read.hpp>
#include <asio/read_until.hpp>
#include <asio/streambuf.hpp>
#include <asio/write.hpp>
#include <chrono>
#include <thread>

#include "model/exposure_view.hpp"
#include "model/relay_source.hpp"
#include "viz_support.hpp"

using namespace pop3;
using namespace pop3::viz;
using asio::ip::tcp;

namespace {

struct Rig {
  asio::io_context io;
  tcp::acceptor upstream{io, {asio::ip::make_address("127.0.0.1"), 0}};
  std::unique_ptr<RelaySource> relay;
  TraceModel model;
  tcp::socket server{io};  // the upstream end of the relayed connection
  tcp::socket client{io};  // the client's end

  explicit Rig(bool tls = false) {
    relay = std::make_unique<RelaySource>(
        "127.0.0.1:0", "127.0.0.1:" + std::to_string(upstream.local_endpoint().port()), tls);
  }
  template <class Done>
  bool pump(Done done) {
    for (int i = 0; i < 400; ++i) {
      relay->poll(model, 0);
      io.poll();
      io.restart();
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
  }
  void connect() {
    bool accepted = false, connected = false;
    upstream.async_accept(server, [&](const asio::error_code& ec) { accepted = !ec; });
    client.async_connect({asio::ip::make_address("127.0.0.1"), relay->port()},
                         [&](const asio::error_code& ec) { connected = !ec; });
    REQUIRE(pump([&] { return accepted && connected; }));
  }
  // Writes on one end and waits until the other end has read exactly these bytes.
  void pass(tcp::socket& from, tcp::socket& to, const std::string& bytes) {
    asio::write(from, asio::buffer(bytes));
    std::string got(bytes.size(), '\0');
    bool done = false;
    asio::async_read(to, asio::buffer(got),
                     [&](const asio::error_code& ec, std::size_t) { done = !ec; });
    REQUIRE(pump([&] { return done; }));
    CHECK(got == bytes);
  }
};

std::vector<std::string> said(const TraceModel& model, const std::string& session) {
  std::vector<std::string> out;
  for (const auto& r : model.session(*model.find_session(session)).transcript.rows())
    if (r.kind != RowKind::Event)
      out.push_back((r.dir == Direction::ClientToServer ? "C: " : "S: ") + r.text);
  return out;
}

}  // namespace

TEST_CASE("the relay passes the bytes through and records what they meant") {
  Rig rig;
  rig.connect();
  CHECK(rig.relay->connections() == 1);
  rig.pass(rig.server, rig.client, "+OK ready <1.2@example>\r\n");
  rig.pass(rig.client, rig.server, "USER alice\r\nPASS wonderland\r\n");  // pipelined
  rig.pass(rig.server, rig.client, "+OK\r\n+OK 1 message\r\n");
  rig.pass(rig.client, rig.server, "LIST\r\n");
  rig.pass(rig.server, rig.client, "+OK\r\n1 120\r\n.\r\n");
  rig.pass(rig.client, rig.server, "STLS\r\n");
  rig.pass(rig.server, rig.client, "+OK begin TLS\r\n");
  // From here the bytes are TLS records, which the relay forwards without reading.
  const std::string hello("\x16\x03\x01\x00\x05hello", 10);
  const std::string reply("\x16\x03\x03\x00\x02hi", 7);
  rig.pass(rig.client, rig.server, hello);
  rig.pass(rig.server, rig.client, reply);
  rig.client.close();
  REQUIRE(rig.pump([&] { return rig.relay->open_connections() == 0; }));

  const TraceModel& m = rig.model;
  REQUIRE(m.find_session("client"));
  REQUIRE(m.find_session("link"));
  CHECK(said(m, "client") == std::vector<std::string>{"S: +OK ready <1.2@example>", "C: USER alice",
                                                      "C: PASS wonderland", "S: +OK",
                                                      "S: +OK 1 message", "C: LIST", "S: +OK",
                                                      "C: STLS", "S: +OK begin TLS"});
  const std::size_t client = *m.find_session("client");
  CHECK(m.state_at(client, m.size()) == "CLOSED");
  CHECK(m.tls_at(client, m.size()).status == TlsStatus::Requested);
  const Session& c = m.session(client);
  // Pipelined: both commands went first, the replies pair with them in order.
  for (const auto& r : c.transcript.rows())
    if (r.text == "+OK 1 message") {
      REQUIRE(r.partner >= 0);
      CHECK(c.transcript.rows()[static_cast<std::size_t>(r.partner)].text == "PASS wonderland");
    }
  int listings = 0;
  for (const auto& r : c.transcript.rows())
    if (r.text == "+OK" && r.multiline) {
      ++listings;
      const auto body = c.transcript.body(r, c.app);
      REQUIRE(body.size() == 1);
      CHECK(body[0].text == "1 120");
    }
  CHECK(listings == 1);
  // The link: the plain bytes exactly, then the TLS records as records.
  const Session& link = m.session(*m.find_session("link"));
  CHECK(link.wire.stream(Direction::ClientToServer) ==
        "USER alice\r\nPASS wonderland\r\nLIST\r\nSTLS\r\n" + hello);
  const ByteRow& tls = link.wire.rows()[link.wire.rows_of(Direction::ClientToServer).back()];
  CHECK(tls.channel == trace::Channel::Tls);
  CHECK(tls.tls_type == 22);
  CHECK(tls.complete);
  // The password crossed in the clear, and the observer view says where.
  const auto seen = observer_exposures(m, m.size());
  REQUIRE(seen.size() == 1);
  const ExposureView v = describe(m, *seen[0], m.size());
  CHECK(v.observed == "cleartext");
  CHECK(v.seen == "wonderland");
}

TEST_CASE("each connection through the relay is a session pair of its own") {
  Rig rig;
  rig.connect();
  rig.pass(rig.server, rig.client, "+OK one\r\n");
  rig.client.close();
  rig.server.close();
  REQUIRE(rig.pump([&] { return rig.relay->open_connections() == 0; }));
  rig.server = tcp::socket(rig.io);
  rig.client = tcp::socket(rig.io);
  rig.connect();
  rig.pass(rig.server, rig.client, "+OK two\r\n");
  CHECK(rig.relay->connections() == 2);
  REQUIRE(rig.model.find_session("client-2"));
  CHECK(said(rig.model, "client-2") == std::vector<std::string>{"S: +OK two"});
  // The panels follow the newest connection, and its link.
  CHECK(rig.model.session(*rig.model.focus()).id == "client-2");
  CHECK(rig.model.session(*rig.model.wire_session()).id == "link-2");
}

TEST_CASE("an upstream on implicit TLS is all ciphertext") {
  Rig rig(true);
  rig.connect();
  const std::string record("\x17\x03\x03\x00\x03\x01\x02\x03", 8);
  rig.pass(rig.server, rig.client, record);
  rig.pass(rig.client, rig.server, record);
  const Session& link = rig.model.session(*rig.model.find_session("link"));
  CHECK(link.wire.rows().size() == 2);
  CHECK(link.wire.rows()[0].channel == trace::Channel::Tls);
  CHECK(rig.model.session(*rig.model.find_session("client")).transcript.rows().size() ==
        1);  // its start
}

TEST_CASE("the relay listens on loopback only and says when the server is not there") {
  CHECK_THROWS_AS(RelaySource("0.0.0.0:1100", "127.0.0.1:110"), std::invalid_argument);
  CHECK_THROWS_AS(RelaySource("127.0.0.1:1100", "no-port"), std::invalid_argument);
  asio::io_context io;
  std::uint16_t dead_port = 0;
  {
    tcp::acceptor a(io, {asio::ip::make_address("127.0.0.1"), 0});
    dead_port = a.local_endpoint().port();
  }  // closed: nobody listens there now
  RelaySource relay("127.0.0.1:0", "127.0.0.1:" + std::to_string(dead_port));
  TraceModel model;
  tcp::socket client(io);
  client.connect({asio::ip::make_address("127.0.0.1"), relay.port()});
  for (int i = 0; i < 400 && relay.error().empty(); ++i) {
    relay.poll(model, 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  CHECK(relay.error().find("cannot connect") != std::string::npos);
  CHECK(relay.status().find("cannot connect") != std::string::npos);
}
