// LiveSource against a feed served here, the way pop3-server --trace-feed serves it: the
// header, then records, one JSON object a line, cut anywhere by TCP.
#include <doctest/doctest.h>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/write.hpp>
#include <chrono>
#include <sstream>
#include <thread>

#include "model/live_source.hpp"
#include "viz_support.hpp"

using namespace pop3;
using namespace pop3::viz;

namespace {

// Polls both ends until `done` or about two seconds have passed.
template <class Done>
bool pump(asio::io_context& io, LiveSource& source, TraceModel& model, double& now, Done done) {
  for (int i = 0; i < 400; ++i) {
    source.poll(model, now);
    io.poll();
    io.restart();
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    now += 0.005;
  }
  return false;
}

}  // namespace

TEST_CASE("LiveSource reads a live feed and follows it") {
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  const auto port = acceptor.local_endpoint().port();
  LiveSource source(std::to_string(port));  // a bare port means loopback
  CHECK(source.title() == "live feed 127.0.0.1:" + std::to_string(port));
  TraceModel model;
  double now = 0;
  asio::ip::tcp::socket peer(io);
  bool accepted = false;
  acceptor.async_accept(peer, [&](const asio::error_code& ec) { accepted = !ec; });
  REQUIRE(pump(io, source, model, now, [&] { return accepted && source.connected(); }));

  labs::LabRun run(viztest::lab_number(1));
  run.run_all();
  std::ostringstream out;
  run.write_trace(out);
  const std::string text = out.str();
  // Two writes, the first ending in the middle of a line.
  asio::write(peer, asio::buffer(text.substr(0, 1000)));
  REQUIRE(pump(io, source, model, now, [&] { return model.size() > 2; }));
  CHECK(model.header());
  asio::write(peer, asio::buffer(text.substr(1000)));
  REQUIRE(pump(io, source, model, now, [&] { return model.size() == run.records().size(); }));
  CHECK(model.records() == run.records());
  CHECK(source.status().find(std::to_string(run.records().size()) + " records") !=
        std::string::npos);

  // The server goes away: the source says so and tries again later.
  peer.close();
  REQUIRE(pump(io, source, model, now, [&] { return !source.connected(); }));
  CHECK(source.status().find("trying again") != std::string::npos);
  CHECK(model.size() == run.records().size());  // what came stays until a new connection
  // It comes back: a new connection, a new model.
  asio::ip::tcp::socket again(io);
  accepted = false;
  acceptor.async_accept(again, [&](const asio::error_code& ec) { accepted = !ec; });
  now += LiveSource::kRetry;
  REQUIRE(pump(io, source, model, now, [&] { return accepted && source.connected(); }));
  const std::string header = text.substr(0, text.find('\n') + 1);
  asio::write(again, asio::buffer(header));
  REQUIRE(pump(io, source, model, now, [&] { return model.header().has_value(); }));
  CHECK(model.size() == 0);
}

TEST_CASE("LiveSource refuses addresses off loopback, and bad ones") {
  CHECK_THROWS_AS(LiveSource("192.0.2.1:7110"), std::invalid_argument);
  CHECK_THROWS_AS(LiveSource("localhost:7110"), std::invalid_argument);  // an IP address, please
  CHECK_THROWS_AS(LiveSource("127.0.0.1:0"), std::invalid_argument);
  CHECK_THROWS_AS(LiveSource("127.0.0.1:99999"), std::invalid_argument);
  CHECK_NOTHROW(LiveSource("[::1]:7110"));
}

TEST_CASE("LiveSource skips lines it cannot read and refuses a newer format") {
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  LiveSource source("127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()));
  TraceModel model;
  double now = 0;
  asio::ip::tcp::socket peer(io);
  bool accepted = false;
  acceptor.async_accept(peer, [&](const asio::error_code& ec) { accepted = !ec; });
  REQUIRE(pump(io, source, model, now, [&] { return accepted && source.connected(); }));
  asio::write(
      peer,
      asio::buffer(std::string(
          "{\"type\":\"header\",\"session\":\"\",\"seq\":0,\"t\":0,\"format\":\"pop3lab-trace\","
          "\"version\":1,\"minor\":3,\"producer\":\"test\",\"created\":\"2024-01-01T00:00:00Z\"}\n"
          "not json\n"
          "{\"type\":\"from_the_future\",\"session\":\"s\",\"seq\":0,\"t\":0}\n"
          "{\"type\":\"note\",\"session\":\"s\",\"seq\":0,\"t\":5,\"text\":\"hello\"}\n")));
  REQUIRE(pump(io, source, model, now, [&] { return model.size() == 1; }));
  CHECK(source.status().find("2 skipped") != std::string::npos);
  CHECK(source.error().find("skipped") != std::string::npos);
}
