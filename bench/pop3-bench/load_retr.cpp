#include <chrono>

#include "link.hpp"
#include "loads.hpp"

namespace pop3::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct Tally {
  std::uint64_t octets = 0;
  std::uint64_t retrs = 0;
  Result errors;
};

asio::awaitable<void> one_client(const LoadOptions& o, int client, int message,
                                 asio::ssl::context* tls, Clock::time_point end, Tally& tally) {
  std::unique_ptr<Link> link;
  std::error_code ec = co_await Link::open(o.target, tls, link, 256 * 1024);
  if (!ec) ec = co_await link->login(o.target.user_for(client), o.target.password);
  const std::string retr = "RETR " + std::to_string(message);
  while (!ec && Clock::now() < end) {
    std::uint64_t octets = 0;
    ec = co_await link->command(retr);
    if (!ec) ec = co_await link->read_body(octets);
    if (ec) break;
    tally.octets += octets;
    ++tally.retrs;
  }
  if (!ec) ec = co_await link->quit();
  if (ec) {
    tally.errors.error((link ? link->last_reply() + " " : std::string()) + ec.message());
    if (link) link->abort();
  }
}

}  // namespace

Result run_retr(const LoadOptions& o, int message) {
  auto tls = o.target.tls ? o.target.tls_context() : nullptr;
  std::vector<Tally> tallies(static_cast<std::size_t>(o.threads));
  const auto start = Clock::now();
  const auto end =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.seconds));
  run_spread(o.clients, o.threads, [&](int client, int thread) {
    return one_client(o, client, message, tls.get(), end,
                      tallies[static_cast<std::size_t>(thread)]);
  });
  const double took = std::chrono::duration<double>(Clock::now() - start).count();

  Result r;
  r.load = "retr";
  r.param("tls", o.target.tls ? "implicit" : "none");
  r.param("clients", std::to_string(o.clients));
  r.param("message", std::to_string(message));
  r.param("seconds", std::to_string(o.seconds));
  std::uint64_t octets = 0, retrs = 0;
  for (auto& t : tallies) {
    octets += t.octets;
    retrs += t.retrs;
    if (t.errors.error_count > 0) {
      if (r.error_count == 0) r.first_error = t.errors.first_error;
      r.error_count += t.errors.error_count;
    }
  }
  r.metric("retrs", static_cast<double>(retrs), "");
  r.metric("octets", static_cast<double>(octets), "B");
  r.metric("mib_per_second", static_cast<double>(octets) / took / (1024.0 * 1024.0), "MiB/s");
  return r;
}

}  // namespace pop3::bench
