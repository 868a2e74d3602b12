#include "link.hpp"

#include <asio/experimental/as_tuple.hpp>
#include <asio/use_awaitable.hpp>
#include <cstring>

namespace pop3::bench {
namespace {
constexpr auto kTuple = asio::experimental::as_tuple(asio::use_awaitable);

std::error_code refused() {
  return std::make_error_code(std::errc::protocol_error);
}
}  // namespace

Link::Link(asio::ip::tcp::socket socket, std::size_t buffer_size)
    : connection_(std::move(socket)), buffer_(buffer_size) {}

asio::awaitable<std::error_code> Link::open(const Target& target, asio::ssl::context* tls,
                                            std::unique_ptr<Link>& out, std::size_t buffer_size) {
  asio::ip::tcp::socket socket(co_await asio::this_coro::executor);
  auto [ec] = co_await socket.async_connect(target.endpoint(), kTuple);
  if (ec) co_return ec;
  socket.set_option(asio::ip::tcp::no_delay(true), ec);
  out = std::make_unique<Link>(std::move(socket), buffer_size);
  if (tls) {
    if (auto e =
            co_await out->connection_.start_tls(*tls, asio::ssl::stream_base::client, target.host))
      co_return e;
  }
  co_return co_await out->read_status();
}

asio::awaitable<std::error_code> Link::fill() {
  if (begin_ == end_) begin_ = end_ = 0;
  if (end_ == buffer_.size()) {
    if (begin_ == 0) buffer_.resize(buffer_.size() * 2);  // a line longer than the buffer
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  auto [ec, n] = co_await connection_.read_some(buffer_.data() + end_, buffer_.size() - end_);
  end_ += n;
  if (n > 0) co_return std::error_code{};
  co_return ec ? ec : std::make_error_code(std::errc::connection_reset);
}

asio::awaitable<std::error_code> Link::read_status() {
  std::size_t scanned = begin_;
  for (;;) {
    const void* lf = std::memchr(buffer_.data() + scanned, '\n', end_ - scanned);
    if (lf) {
      const auto at = static_cast<std::size_t>(static_cast<const char*>(lf) - buffer_.data());
      std::size_t stop = at;
      if (stop > begin_ && buffer_[stop - 1] == '\r') --stop;
      reply_.assign(buffer_.data() + begin_, stop - begin_);
      begin_ = at + 1;
      co_return reply_.starts_with("+OK") ? std::error_code{} : refused();
    }
    const std::size_t offset = end_ - begin_;
    if (auto ec = co_await fill()) co_return ec;
    scanned = begin_ + offset;
  }
}

asio::awaitable<std::error_code> Link::read_body(std::uint64_t& octets) {
  // States: 0 inside a line, 1 at the start of a line, 2 after ".", 3 after ".\r".
  // The body starts at the start of a line (right after the status line).
  int state = 1;
  octets = 0;
  for (;;) {
    const char* p = buffer_.data() + begin_;
    const char* e = buffer_.data() + end_;
    const char* start = p;
    bool done = false;
    while (p < e) {
      if (state == 0) {
        const void* lf = std::memchr(p, '\n', static_cast<std::size_t>(e - p));
        if (!lf) {
          p = e;
          break;
        }
        p = static_cast<const char*>(lf) + 1;
        state = 1;
        continue;
      }
      const char c = *p++;
      if (state == 1) {
        state = c == '.' ? 2 : (c == '\n' ? 1 : 0);
      } else if (state == 2) {
        state = c == '\r' ? 3 : (c == '\n' ? 1 : 0);
      } else if (c == '\n') {
        done = true;
        break;
      } else {
        state = 0;
      }
    }
    const auto used = static_cast<std::size_t>(p - start);
    octets += used;
    begin_ += used;
    if (done) co_return std::error_code{};
    if (auto ec = co_await fill()) co_return ec;
  }
}

asio::awaitable<std::error_code> Link::command(std::string_view line) {
  std::string out;
  out.reserve(line.size() + 2);
  out.append(line).append("\r\n");
  if (auto ec = co_await connection_.write(out)) co_return ec;
  co_return co_await read_status();
}

asio::awaitable<std::error_code> Link::login(const std::string& user, const std::string& password) {
  if (auto ec = co_await command("USER " + user)) co_return ec;
  co_return co_await command("PASS " + password);
}

asio::awaitable<std::error_code> Link::quit() {
  auto ec = co_await command("QUIT");
  // The server closes after its reply to QUIT; waiting for its TLS close_notify would
  // measure the client's patience, not the server.
  connection_.abort();
  co_return ec;
}

}  // namespace pop3::bench
