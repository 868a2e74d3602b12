#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <memory>
#include <thread>

#include "loads.hpp"

namespace pop3::bench {

void run_spread(int clients, int threads,
                const std::function<asio::awaitable<void>(int client, int thread)>& make) {
  threads = std::max(1, threads);
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  for (int t = 0; t < threads; ++t)
    contexts.push_back(std::make_unique<asio::io_context>(1));
  for (int c = 0; c < clients; ++c) {
    const int t = c % threads;
    asio::co_spawn(*contexts[static_cast<std::size_t>(t)], make(c, t), asio::detached);
  }
  std::vector<std::thread> workers;
  for (int t = 1; t < threads; ++t)
    workers.emplace_back([&, t] { contexts[static_cast<std::size_t>(t)]->run(); });
  contexts[0]->run();
  for (auto& w : workers)
    w.join();
}

}  // namespace pop3::bench
