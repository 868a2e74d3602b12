#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <chrono>
#include <thread>

#include "link.hpp"
#include "loads.hpp"
#include "proc_memory.hpp"

namespace pop3::bench {
namespace {

constexpr int kParallelConnects = 64;  // well inside any listen backlog

struct Idle {
  const LoadOptions& o;
  bool login;
  asio::ssl::context* tls;
  std::vector<std::unique_ptr<Link>> links;
  int next = 0;
  int alive = 0;
  Result& r;
};

asio::awaitable<void> opener(Idle& idle) {
  while (idle.next < static_cast<int>(idle.links.size())) {
    const int i = idle.next++;
    std::unique_ptr<Link> link;
    std::error_code ec = co_await Link::open(idle.o.target, idle.tls, link, 512);
    if (!ec && idle.login)
      ec = co_await link->login(idle.o.target.user_for(i), idle.o.target.password);
    if (ec) {
      idle.r.error("open: " + (link ? link->last_reply() + " " : std::string()) + ec.message());
      if (link) link->abort();
      continue;
    }
    idle.links[static_cast<std::size_t>(i)] = std::move(link);
  }
}

asio::awaitable<void> closer(Idle& idle) {
  while (idle.next < static_cast<int>(idle.links.size())) {
    auto& link = idle.links[static_cast<std::size_t>(idle.next++)];
    if (!link) continue;
    // A session the server dropped while idle fails here.
    if (auto ec = co_await link->quit()) {
      idle.r.error("QUIT after holding: " + link->last_reply() + " " + ec.message());
    } else {
      ++idle.alive;
    }
    link.reset();
  }
}

void run_all(asio::io_context& io, Idle& idle, asio::awaitable<void> (*f)(Idle&)) {
  idle.next = 0;
  for (int i = 0; i < kParallelConnects; ++i)
    asio::co_spawn(io, f(idle), asio::detached);
  io.run();
  io.restart();
}

}  // namespace

Result run_idle(const LoadOptions& o, int sessions, bool login, const std::vector<int>& pids,
                double hold_seconds) {
  using Clock = std::chrono::steady_clock;
  Result r;
  r.load = "idle";
  r.param("tls", o.target.tls ? "implicit" : "none");
  r.param("sessions", std::to_string(sessions));
  r.param("state", login ? "TRANSACTION" : "AUTHORIZATION");
  auto tls = o.target.tls ? o.target.tls_context() : nullptr;
  asio::io_context io(1);
  Idle idle{o, login, tls.get(), {}, 0, 0, r};
  idle.links.resize(static_cast<std::size_t>(std::max(0, sessions)));

  const TreeMemory before = tree_memory(pids);
  const auto start = Clock::now();
  run_all(io, idle, opener);
  const double open_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  int opened = 0;
  for (const auto& l : idle.links)
    opened += l ? 1 : 0;
  // Let the server finish whatever it does after the greeting before measuring.
  std::this_thread::sleep_for(std::chrono::duration<double>(std::min(hold_seconds, 1.0)));
  const TreeMemory after = tree_memory(pids);
  std::this_thread::sleep_for(std::chrono::duration<double>(std::max(0.0, hold_seconds - 1.0)));
  run_all(io, idle, closer);

  constexpr double kMiB = 1024.0 * 1024.0;
  r.metric("opened", opened, "");
  r.metric("alive_after_hold", idle.alive, "");
  r.metric("open_seconds", open_seconds, "s");
  if (!pids.empty()) {
    r.metric("processes", after.processes, "");
    r.metric("rss_before_mib", static_cast<double>(before.rss) / kMiB, "MiB");
    r.metric("rss_after_mib", static_cast<double>(after.rss) / kMiB, "MiB");
    r.metric("pss_after_mib", static_cast<double>(after.pss) / kMiB, "MiB");
    if (opened > 0) {
      const double grown = static_cast<double>(after.rss) - static_cast<double>(before.rss);
      r.metric("rss_per_session", grown / opened, "B");
    }
  }
  return r;
}

}  // namespace pop3::bench
