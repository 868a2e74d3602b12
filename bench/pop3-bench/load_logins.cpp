#include <asio/steady_timer.hpp>
#include <chrono>
#include <mutex>

#include "link.hpp"
#include "loads.hpp"

namespace pop3::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct Tally {
  std::uint64_t logins = 0;
  std::vector<double> latency;
  Result errors;  // only its error fields are used
};

asio::awaitable<void> one_client(const LoadOptions& o, int client, asio::ssl::context* tls,
                                 Clock::time_point end, Tally& tally) {
  const std::string user = o.target.user_for(client);
  while (Clock::now() < end) {
    const auto t0 = Clock::now();
    std::unique_ptr<Link> link;
    std::error_code ec = co_await Link::open(o.target, tls, link, 1024);
    std::string step = "greeting";
    if (!ec) {
      step = "login";
      ec = co_await link->login(user, o.target.password);
    }
    if (!ec) {
      step = "STAT";
      ec = co_await link->command("STAT");
    }
    if (!ec) {
      step = "QUIT";
      ec = co_await link->quit();
    }
    if (ec) {
      tally.errors.error(step + ": " + (link ? link->last_reply() + " " : "") + ec.message());
      if (link) link->abort();
      continue;
    }
    ++tally.logins;
    tally.latency.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
  }
}

}  // namespace

Result run_logins(const LoadOptions& o) {
  auto tls = o.target.tls ? o.target.tls_context() : nullptr;
  std::vector<Tally> tallies(static_cast<std::size_t>(o.threads));
  const auto start = Clock::now();
  const auto end =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.seconds));
  run_spread(o.clients, o.threads, [&](int client, int thread) {
    return one_client(o, client, tls.get(), end, tallies[static_cast<std::size_t>(thread)]);
  });
  const double took = std::chrono::duration<double>(Clock::now() - start).count();

  Result r;
  r.load = "logins";
  r.param("tls", o.target.tls ? "implicit" : "none");
  r.param("clients", std::to_string(o.clients));
  r.param("threads", std::to_string(o.threads));
  r.param("seconds", std::to_string(o.seconds));
  std::uint64_t logins = 0;
  std::vector<double> latency;
  for (auto& t : tallies) {
    logins += t.logins;
    latency.insert(latency.end(), t.latency.begin(), t.latency.end());
    if (t.errors.error_count > 0) {
      if (r.error_count == 0) r.first_error = t.errors.first_error;
      r.error_count += t.errors.error_count;
    }
  }
  r.metric("logins", static_cast<double>(logins), "");
  r.metric("logins_per_second", static_cast<double>(logins) / took, "1/s");
  add_latency(r, latency);
  return r;
}

}  // namespace pop3::bench
