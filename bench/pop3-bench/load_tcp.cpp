#include <asio/connect.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read.hpp>
#include <asio/write.hpp>
#include <atomic>
#include <chrono>
#include <thread>

#include "loads.hpp"

namespace pop3::bench {

Result run_tcp(double seconds) {
  using Clock = std::chrono::steady_clock;
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  asio::ip::tcp::socket sender(io);
  sender.connect(acceptor.local_endpoint());
  asio::ip::tcp::socket receiver = acceptor.accept();

  // The same chunk size a server would hand to the kernel for a large body.
  constexpr std::size_t kChunk = 64 * 1024;
  std::atomic<std::uint64_t> received{0};
  std::thread reader([&] {
    std::vector<char> buffer(kChunk * 4);
    asio::error_code ec;
    for (;;) {
      const std::size_t n = receiver.read_some(asio::buffer(buffer), ec);
      if (ec || n == 0) break;
      received.fetch_add(n, std::memory_order_relaxed);
    }
  });
  std::vector<char> chunk(kChunk, 'x');
  const auto start = Clock::now();
  const auto end =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  asio::error_code ec;
  while (Clock::now() < end && !ec)
    asio::write(sender, asio::buffer(chunk), ec);
  const std::uint64_t at_end = received.load();
  const double took = std::chrono::duration<double>(Clock::now() - start).count();
  sender.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  reader.join();

  Result r;
  r.load = "tcp";
  r.param("chunk", std::to_string(kChunk));
  r.param("seconds", std::to_string(seconds));
  r.metric("octets", static_cast<double>(at_end), "B");
  r.metric("mib_per_second", static_cast<double>(at_end) / took / (1024.0 * 1024.0), "MiB/s");
  return r;
}

}  // namespace pop3::bench
