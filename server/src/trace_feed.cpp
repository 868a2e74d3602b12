#include "trace_feed.hpp"

#include <asio/buffer.hpp>
#include <asio/write.hpp>
#include <stdexcept>

#include "pop3/trace/jsonl.hpp"

namespace pop3::server {
namespace {
constexpr std::size_t kMaxQueued = 8 * 1024 * 1024;
}

TraceFeed::TraceFeed(asio::io_context& io, const Endpoint& endpoint, trace::HeaderRecord header)
    : acceptor_(io) {
  if (!endpoint.is_loopback())
    throw std::runtime_error("the trace feed carries secrets and only listens on loopback");
  const auto address =
      asio::ip::make_address(endpoint.host == "localhost" ? "127.0.0.1" : endpoint.host);
  asio::ip::tcp::endpoint ep(address, endpoint.port);
  acceptor_.open(ep.protocol());
  acceptor_.set_option(asio::ip::tcp::acceptor::reuse_address(true));
  acceptor_.bind(ep);
  acceptor_.listen();
  trace::Record r;
  r.body = std::move(header);
  header_line_ = trace::encode_line(r) + "\n";
  accept();
}

TraceFeed::~TraceFeed() {
  stop();
}

std::string TraceFeed::endpoint() const {
  asio::error_code ec;
  auto ep = acceptor_.local_endpoint(ec);
  return ec ? "?" : ep.address().to_string() + ":" + std::to_string(ep.port());
}

void TraceFeed::stop() {
  asio::error_code ignored;
  acceptor_.close(ignored);
  for (auto& s : subscribers_)
    s->socket.close(ignored);
  subscribers_.clear();
}

void TraceFeed::accept() {
  acceptor_.async_accept([this](asio::error_code ec, asio::ip::tcp::socket socket) {
    if (ec) return;  // closed
    auto s = std::make_shared<Subscriber>(std::move(socket));
    subscribers_.push_back(s);
    enqueue(s, header_line_);
    accept();
  });
}

void TraceFeed::write(const trace::Record& record) {
  if (subscribers_.empty()) return;
  const std::string line = trace::encode_line(record) + "\n";
  for (auto it = subscribers_.begin(); it != subscribers_.end();) {
    if ((*it)->dead) {
      it = subscribers_.erase(it);
      continue;
    }
    enqueue(*it, line);
    ++it;
  }
}

void TraceFeed::enqueue(const std::shared_ptr<Subscriber>& s, std::string line) {
  if (s->queued + line.size() > kMaxQueued) {
    asio::error_code ignored;
    s->socket.close(ignored);  // too slow: dropped
    s->dead = true;
    return;
  }
  s->queued += line.size();
  s->queue.push_back(std::move(line));
  pump(s);
}

void TraceFeed::pump(const std::shared_ptr<Subscriber>& s) {
  if (s->writing || s->queue.empty() || s->dead) return;
  s->writing = true;
  asio::async_write(s->socket, asio::buffer(s->queue.front()),
                    [this, s](asio::error_code ec, std::size_t) {
                      s->writing = false;
                      if (ec) {
                        s->dead = true;
                        return;
                      }
                      s->queued -= s->queue.front().size();
                      s->queue.pop_front();
                      pump(s);
                    });
}

}  // namespace pop3::server
