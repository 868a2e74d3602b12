#include <chrono>
#include <cstdlib>
#include <deque>

#include "link.hpp"
#include "loads.hpp"

namespace pop3::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct Tally {
  std::uint64_t messages = 0;
  std::uint64_t octets = 0;
  Result errors;
};

asio::awaitable<std::error_code> fetch_all(Link& link, int window, Tally& tally) {
  if (auto ec = co_await link.command("STAT")) co_return ec;
  // "+OK nn mm"
  const long count = std::strtol(link.last_reply().c_str() + 3, nullptr, 10);
  long sent = 0, received = 0;
  while (received < count) {
    // Keep up to `window` RETRs in flight (RFC 2449 PIPELINING when window > 1).
    std::string batch;
    while (sent < count && sent - received < window)
      batch += "RETR " + std::to_string(++sent) + "\r\n";
    if (!batch.empty())
      if (auto ec = co_await link.connection().write(batch)) co_return ec;
    if (auto ec = co_await link.read_status()) co_return ec;
    std::uint64_t octets = 0;
    if (auto ec = co_await link.read_body(octets)) co_return ec;
    ++received;
    ++tally.messages;
    tally.octets += octets;
  }
  co_return std::error_code{};
}

asio::awaitable<void> one_client(const LoadOptions& o, int client, int window,
                                 asio::ssl::context* tls, Tally& tally) {
  std::unique_ptr<Link> link;
  std::error_code ec = co_await Link::open(o.target, tls, link, 256 * 1024);
  if (!ec) ec = co_await link->login(o.target.user_for(client), o.target.password);
  if (!ec) ec = co_await fetch_all(*link, window, tally);
  if (!ec) ec = co_await link->quit();
  if (ec) {
    tally.errors.error((link ? link->last_reply() + " " : std::string()) + ec.message());
    if (link) link->abort();
  }
}

}  // namespace

Result run_fetch(const LoadOptions& o, int window) {
  auto tls = o.target.tls ? o.target.tls_context() : nullptr;
  std::vector<Tally> tallies(static_cast<std::size_t>(o.threads));
  const auto start = Clock::now();
  run_spread(o.clients, o.threads, [&](int client, int thread) {
    return one_client(o, client, std::max(1, window), tls.get(),
                      tallies[static_cast<std::size_t>(thread)]);
  });
  const double took = std::chrono::duration<double>(Clock::now() - start).count();

  Result r;
  r.load = "fetch";
  r.param("tls", o.target.tls ? "implicit" : "none");
  r.param("clients", std::to_string(o.clients));
  r.param("window", std::to_string(window));
  std::uint64_t messages = 0, octets = 0;
  for (auto& t : tallies) {
    messages += t.messages;
    octets += t.octets;
    if (t.errors.error_count > 0) {
      if (r.error_count == 0) r.first_error = t.errors.first_error;
      r.error_count += t.errors.error_count;
    }
  }
  r.metric("messages", static_cast<double>(messages), "");
  r.metric("octets", static_cast<double>(octets), "B");
  r.metric("seconds", took, "s");
  r.metric("messages_per_second", static_cast<double>(messages) / took, "1/s");
  r.metric("mib_per_second", static_cast<double>(octets) / took / (1024.0 * 1024.0), "MiB/s");
  return r;
}

}  // namespace pop3::bench
