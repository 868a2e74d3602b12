#include <doctest/doctest.h>

#include <numeric>

#include "support.hpp"

using namespace simtest;

namespace {

std::size_t total(const std::vector<std::string>& chunks) {
  return std::accumulate(chunks.begin(), chunks.end(), std::size_t{0},
                         [](std::size_t n, const std::string& c) { return n + c.size(); });
}

}  // namespace

TEST_CASE(
    "chunking cuts a write into pieces that add up to it: whole, fixed and random from the seed") {
  const std::string bytes(100, 'x');
  LinkSettings settings;
  {
    Link link(settings, 1);
    CHECK(link.chunk(Direction::ClientToServer, bytes) == std::vector<std::string>{bytes});
    CHECK(link.chunk(Direction::ClientToServer, "").empty());
  }
  settings.chunking = Chunking::fixed(1);
  {
    Link link(settings, 1);
    const auto chunks = link.chunk(Direction::ServerToClient, bytes);
    CHECK(chunks.size() == 100);
    CHECK(total(chunks) == 100);
  }
  settings.chunking = Chunking::fixed(30);
  {
    Link link(settings, 1);
    const auto chunks = link.chunk(Direction::ServerToClient, bytes);
    REQUIRE(chunks.size() == 4);
    CHECK(chunks.back().size() == 10);
  }
  settings.chunking = Chunking::random(2, 9);
  Link a(settings, 5);
  Link b(settings, 5);
  Link c(settings, 6);
  const auto ca = a.chunk(Direction::ClientToServer, bytes);
  CHECK(total(ca) == 100);
  for (std::size_t i = 0; i + 1 < ca.size(); ++i) {
    CHECK(ca[i].size() >= 2);
    CHECK(ca[i].size() <= 9);
  }
  CHECK(b.chunk(Direction::ClientToServer, bytes) == ca);
  CHECK(c.chunk(Direction::ClientToServer, bytes) != ca);
  // Each direction has its own stream: server writes do not shift the client's sizes.
  Link d(settings, 5);
  (void)d.chunk(Direction::ServerToClient, bytes);
  CHECK(d.chunk(Direction::ClientToServer, bytes) == ca);
}

TEST_CASE(
    "the link delivers in order after the latency, and a limit truncates the delivery that reaches "
    "it") {
  LinkSettings settings;
  settings.latency = std::chrono::milliseconds(10);
  Link link(settings, 1);
  const TimePoint t0{};
  link.schedule(Direction::ClientToServer, trace::Channel::Plain, "USER alice\r\n", t0);
  link.schedule(Direction::ServerToClient, trace::Channel::Plain, "+OK\r\n",
                t0 + std::chrono::milliseconds(1));
  link.limit(Direction::ClientToServer, 4);
  CHECK(link.next_due() == t0 + std::chrono::milliseconds(10));
  CHECK_FALSE(link.pop_due(t0 + std::chrono::milliseconds(9)));
  auto first = link.pop_due(t0 + std::chrono::milliseconds(10));
  REQUIRE(first);
  CHECK(first->bytes == "USER");
  CHECK(first->cut_after);
  CHECK(link.limit_reached(Direction::ClientToServer));
  CHECK(link.delivered(Direction::ClientToServer) == 4);
  CHECK_FALSE(link.pop_due(t0 + std::chrono::milliseconds(10)));  // the other is due at 11 ms
  link.cut();
  CHECK(link.is_cut());
  CHECK(link.idle());
  link.schedule(Direction::ClientToServer, trace::Channel::Plain, "more", t0);
  CHECK(link.idle());
}

TEST_CASE("drop points describe themselves for the trace") {
  CHECK(DropPoint::after_command(Verb::Quit).describe() ==
        "after the client's QUIT reaches the server");
  CHECK(DropPoint::mid_reply(Verb::Retr).describe() ==
        "in the middle of the server's reply to RETR");
  CHECK(DropPoint::after_octets(Direction::ServerToClient, 7).describe() == "after 7 octets s2c");
  CHECK(Chunking::fixed(1).describe() == "one octet per delivery");
}
