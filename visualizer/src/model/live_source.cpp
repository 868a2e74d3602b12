#include "model/live_source.hpp"

#include <asio/connect.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read_until.hpp>
#include <asio/streambuf.hpp>
#include <deque>
#include <istream>
#include <stdexcept>

#include "model/text.hpp"
#include "pop3/trace/jsonl.hpp"

namespace pop3::viz {

namespace {
constexpr std::size_t kMaxLine = 16 * 1024 * 1024;  // a record line, at most
}

struct LiveSource::Impl {
  enum class State { Idle, Connecting, Connected, Closed };
  asio::io_context io;
  asio::ip::tcp::socket socket{io};
  asio::streambuf buffer{kMaxLine};
  std::deque<std::string> lines;
  State state = State::Idle;
  std::string reason;  // why the last connection ended
  bool fresh = false;  // connected since the last poll: a new model

  void connect(const asio::ip::tcp::endpoint& to) {
    socket = asio::ip::tcp::socket(io);
    buffer.consume(buffer.size());
    state = State::Connecting;
    socket.async_connect(to, [this](const asio::error_code& ec) {
      if (ec) {
        close(ec.message());
        return;
      }
      state = State::Connected;
      fresh = true;
      read();
    });
  }
  void read() {
    asio::async_read_until(socket, buffer, '\n', [this](const asio::error_code& ec, std::size_t) {
      if (ec) {
        close(ec == asio::error::eof ? "the server closed the feed" : ec.message());
        return;
      }
      std::istream in(&buffer);
      std::string line;
      std::getline(in, line);
      lines.push_back(std::move(line));
      read();
    });
  }
  void close(std::string why) {
    asio::error_code ignored;
    socket.close(ignored);
    state = State::Closed;
    reason = std::move(why);
  }
};

LiveSource::LiveSource(const std::string& address) : impl_(std::make_unique<Impl>()) {
  std::string host = "127.0.0.1";
  std::string port = address;
  if (const auto colon = address.rfind(':'); colon != std::string::npos) {
    host = address.substr(0, colon);
    port = address.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
      host = host.substr(1, host.size() - 2);
  }
  const auto n = parse_number(port);
  if (!n || *n == 0 || *n > 65535) throw std::invalid_argument("not a port: " + address);
  asio::error_code ec;
  const auto ip = asio::ip::make_address(host, ec);
  if (ec) throw std::invalid_argument("not an IP address: " + host);
  // The feed carries secrets and only ever listens on loopback.
  if (!ip.is_loopback())
    throw std::invalid_argument("the live feed is on loopback only, not " + host);
  host_ = host;
  port_ = static_cast<std::uint16_t>(*n);
}

LiveSource::~LiveSource() = default;

std::string LiveSource::title() const {
  return "live feed " + (host_.find(':') != std::string::npos ? "[" + host_ + "]" : host_) + ":" +
         std::to_string(port_);
}

bool LiveSource::connected() const noexcept {
  return impl_->state == Impl::State::Connected;
}

void LiveSource::poll(TraceModel& model, double now) {
  Impl& im = *impl_;
  if ((im.state == Impl::State::Idle || im.state == Impl::State::Closed) && now >= retry_at_) {
    retry_at_ = now + kRetry;
    im.io.restart();
    im.connect(asio::ip::tcp::endpoint(asio::ip::make_address(host_), port_));
  }
  if (im.io.stopped()) im.io.restart();
  im.io.poll();
  if (im.fresh) {
    im.fresh = false;
    model.clear();
    count_ = skipped_ = 0;
    error_.clear();
  }
  // A frame takes what has come, up to a budget (the rest waits for the next frame).
  for (std::size_t budget = 50'000; budget > 0 && !im.lines.empty(); --budget) {
    std::string line = std::move(im.lines.front());
    im.lines.pop_front();
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    auto decoded = trace::decode_line(line);
    if (auto* record = std::get_if<trace::Record>(&decoded)) {
      if (const auto* h = std::get_if<trace::HeaderRecord>(&record->body);
          h && h->version > trace::kFormatVersion) {
        error_ = "the feed speaks trace format version " + std::to_string(h->version) +
                 "; this pop3-viz reads " + std::to_string(trace::kFormatVersion);
        im.close(error_);
        im.lines.clear();
        break;
      }
      if (!std::holds_alternative<trace::HeaderRecord>(record->body)) ++count_;
      model.append(std::move(*record));
    } else if (auto* bad = std::get_if<trace::DecodeError>(&decoded)) {
      ++skipped_;
      error_ = "a line of the feed was skipped: " + bad->message;
    } else {
      ++skipped_;  // a record type this build does not know (a newer server)
    }
  }
}

std::string LiveSource::status() const {
  const Impl& im = *impl_;
  const std::string where = title();
  switch (im.state) {
    case Impl::State::Idle:
    case Impl::State::Connecting:
      return where + ": connecting...";
    case Impl::State::Connected:
      return where + ": " + std::to_string(count_) + " records" +
             (skipped_ ? ", " + std::to_string(skipped_) + " skipped" : std::string());
    case Impl::State::Closed:
      return where + ": " + im.reason + " (trying again)";
  }
  return where;
}

}  // namespace pop3::viz
