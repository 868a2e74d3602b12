#pragma once
// The live trace feed: a loopback TCP port where the visualizer (or `nc`) subscribes and
// receives the server's trace as JSON Lines, from the moment it connects: the header,
// then every record of every session. Off by default; it carries lab secrets, so it
// refuses to listen anywhere but loopback.
//
// A subscriber that reads too slowly is dropped (it would otherwise make the server's
// memory grow without bound); the sessions never wait for subscribers.
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <deque>
#include <list>
#include <memory>
#include <string>

#include "endpoint.hpp"
#include "pop3/trace/record.hpp"
#include "pop3/trace/sink.hpp"

namespace pop3::server {

class TraceFeed final : public trace::Sink {
 public:
  TraceFeed(asio::io_context& io, const Endpoint& endpoint, trace::HeaderRecord header);
  ~TraceFeed() override;
  void write(const trace::Record& record) override;
  void stop();
  [[nodiscard]] std::string endpoint() const;
  [[nodiscard]] std::size_t subscribers() const noexcept { return subscribers_.size(); }

 private:
  struct Subscriber {
    explicit Subscriber(asio::ip::tcp::socket s) : socket(std::move(s)) {}
    asio::ip::tcp::socket socket;
    std::deque<std::string> queue;
    std::size_t queued = 0;
    bool writing = false;
    bool dead = false;
  };
  void accept();
  void enqueue(const std::shared_ptr<Subscriber>& s, std::string line);
  void pump(const std::shared_ptr<Subscriber>& s);

  asio::ip::tcp::acceptor acceptor_;
  std::string header_line_;
  std::list<std::shared_ptr<Subscriber>> subscribers_;
};

}  // namespace pop3::server
