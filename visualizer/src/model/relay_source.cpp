#include "model/relay_source.hpp"

#include <array>
#include <asio/connect.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/write.hpp>
#include <chrono>
#include <deque>
#include <list>
#include <stdexcept>

#include "model/text.hpp"
#include "pop3/core/client_session.hpp"
#include "pop3/trace/recorder.hpp"
#include "pop3/trace/sink.hpp"

namespace pop3::viz {

namespace {

using asio::ip::tcp;

struct HostPort {
  std::string host;
  std::string port;
};

HostPort split_address(const std::string& address, const std::string& default_host) {
  HostPort hp{default_host, address};
  if (const auto colon = address.rfind(':'); colon != std::string::npos) {
    hp.host = address.substr(0, colon);
    hp.port = address.substr(colon + 1);
    if (hp.host.size() >= 2 && hp.host.front() == '[' && hp.host.back() == ']')
      hp.host = hp.host.substr(1, hp.host.size() - 2);
  }
  const auto n = parse_number(hp.port);
  if (!n || *n > 65535) throw std::invalid_argument("not a port: " + address);
  return hp;
}

}  // namespace

struct RelaySource::Impl {
  // One relayed connection: the two sockets, what waits to be written each way, and the
  // recorders of its two trace sessions.
  struct Conn {
    Conn(Impl& impl, tcp::socket c, std::size_t n)
        : relay(impl),
          client(std::move(c)),
          upstream(impl.io),
          number(n),
          suffix(n == 1 ? std::string() : "-" + std::to_string(n)),
          observer(ClientConfig{.enforce_states = false, .tls_active = impl.upstream_tls}),
          meaning(impl.sink, "client" + suffix, trace::Role::Client, options(impl)),
          wire(impl.sink, "link" + suffix, trace::Role::Simulator, options(impl)),
          channel(impl.upstream_tls ? trace::Channel::Tls : trace::Channel::Plain) {}

    static trace::RecorderOptions options(const Impl& impl) {
      trace::RecorderOptions o;
      o.trace_start = impl.start;
      o.expose_secrets = true;  // the relay shows what crossed; its user typed the password
      return o;
    }

    Impl& relay;
    tcp::socket client;
    tcp::socket upstream;
    std::size_t number;
    std::string suffix;
    ClientSession observer;
    trace::Recorder meaning;
    trace::Recorder wire;
    trace::Channel channel;
    std::array<char, 16 * 1024> from_client{}, from_upstream{};
    std::deque<std::string> to_client, to_upstream;
    bool writing_client = false, writing_upstream = false;
    std::string partial;  // a client line not ended yet
    bool open = true;
  };

  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::string upstream_host, upstream_port;
  bool upstream_tls = false;
  TimePoint start = Clock::now();
  trace::MemorySink sink;
  std::list<std::shared_ptr<Conn>> conns;
  std::size_t accepted = 0;
  std::string listen_text, upstream_text;
  std::string last_error;

  void accept() {
    acceptor.async_accept([this](const asio::error_code& ec, tcp::socket socket) {
      if (ec) {
        if (ec != asio::error::operation_aborted) last_error = "accept: " + ec.message();
        return;
      }
      auto conn = std::make_shared<Conn>(*this, std::move(socket), ++accepted);
      conns.push_back(conn);
      begin(conn);
      accept();
    });
  }

  void begin(const std::shared_ptr<Conn>& c) {
    const TimePoint now = Clock::now();
    c->meaning.session_start(now, upstream_text, "pop3-viz relay " + listen_text, c->channel);
    c->wire.session_start(now, "relay " + listen_text + " -> " + upstream_text, "pop3-viz relay",
                          c->channel);
    auto resolver = std::make_shared<tcp::resolver>(io);
    resolver->async_resolve(
        upstream_host, upstream_port,
        [this, c, resolver](const asio::error_code& ec, tcp::resolver::results_type results) {
          if (ec) return fail(c, "cannot resolve " + upstream_text + ": " + ec.message());
          asio::async_connect(
              c->upstream, results, [this, c](const asio::error_code& e, const tcp::endpoint&) {
                if (e) return fail(c, "cannot connect to " + upstream_text + ": " + e.message());
                read_client(c);
                read_upstream(c);
              });
        });
  }

  void fail(const std::shared_ptr<Conn>& c, std::string why) {
    last_error = why;
    if (c->open) c->wire.note(why, Clock::now());
    close(c);
  }

  void close(const std::shared_ptr<Conn>& c) {
    if (!c->open) return;
    c->open = false;
    asio::error_code ignored;
    c->client.close(ignored);
    c->upstream.close(ignored);
    const TimePoint now = Clock::now();
    c->observer.connection_lost();
    drain(c, now);
    c->meaning.session_end(now, "the connection through the relay ended");
    c->wire.session_end(now, "the connection through the relay ended");
  }

  // Records what the observer session made of the bytes so far.
  void drain(const std::shared_ptr<Conn>& c, TimePoint now) {
    for (Step step = c->observer.next(); !std::holds_alternative<NeedInput>(step);
         step = c->observer.next()) {
      if (std::holds_alternative<Send>(step) && c->channel == trace::Channel::Tls) continue;
      c->meaning.step(step, now);
      // Where secrets cross, the link says so too (with the channel they crossed on).
      if (std::holds_alternative<SecretSeen>(step)) c->wire.step(step, now);
      if (std::holds_alternative<Closed>(step)) break;  // a closed session says so forever
      if (std::holds_alternative<StartTls>(step)) {
        c->channel = trace::Channel::Tls;
        c->wire.note("STLS accepted: from here the relay forwards TLS records it cannot read", now);
      }
    }
  }

  void read_client(const std::shared_ptr<Conn>& c) {
    c->client.async_read_some(asio::buffer(c->from_client), [this, c](const asio::error_code& ec,
                                                                      std::size_t n) {
      if (!c->open) return;  // closed while this read was on its way
      if (ec) return close(c);
      const std::string_view bytes(c->from_client.data(), n);
      const TimePoint now = Clock::now();
      const trace::Channel channel = c->channel;
      if (channel == trace::Channel::Plain) {
        // The observer is told each line as the client sent it; it announces the
        // secrets in it before the bytes, so the link records exposures first.
        c->partial.append(bytes);
        for (auto nl = c->partial.find('\n'); nl != std::string::npos; nl = c->partial.find('\n')) {
          std::string line = c->partial.substr(0, nl);
          c->partial.erase(0, nl + 1);
          if (!line.empty() && line.back() == '\r') line.pop_back();
          if (c->observer.send_raw(line))
            c->wire.note("the relay's reading could not follow: " + printable(line), now);
          drain(c, now);
        }
      }
      c->wire.wire(Direction::ClientToServer, channel, bytes, now);
      c->to_upstream.emplace_back(bytes);
      write_upstream(c);
      read_client(c);
    });
  }

  void read_upstream(const std::shared_ptr<Conn>& c) {
    c->upstream.async_read_some(asio::buffer(c->from_upstream),
                                [this, c](const asio::error_code& ec, std::size_t n) {
                                  if (!c->open) return;  // closed while this read was on its way
                                  if (ec) return close(c);
                                  const std::string_view bytes(c->from_upstream.data(), n);
                                  const TimePoint now = Clock::now();
                                  const trace::Channel channel = c->channel;
                                  c->wire.wire(Direction::ServerToClient, channel, bytes, now);
                                  if (channel == trace::Channel::Plain) {
                                    c->observer.feed(bytes);
                                    drain(c, now);
                                  }
                                  c->to_client.emplace_back(bytes);
                                  write_client(c);
                                  read_upstream(c);
                                });
  }

  void write_upstream(const std::shared_ptr<Conn>& c) {
    if (c->writing_upstream || c->to_upstream.empty() || !c->open) return;
    c->writing_upstream = true;
    asio::async_write(c->upstream, asio::buffer(c->to_upstream.front()),
                      [this, c](const asio::error_code& ec, std::size_t) {
                        c->writing_upstream = false;
                        if (ec) return close(c);
                        c->to_upstream.pop_front();
                        write_upstream(c);
                      });
  }

  void write_client(const std::shared_ptr<Conn>& c) {
    if (c->writing_client || c->to_client.empty() || !c->open) return;
    c->writing_client = true;
    asio::async_write(c->client, asio::buffer(c->to_client.front()),
                      [this, c](const asio::error_code& ec, std::size_t) {
                        c->writing_client = false;
                        if (ec) return close(c);
                        c->to_client.pop_front();
                        write_client(c);
                      });
  }
};

RelaySource::RelaySource(const std::string& listen, const std::string& upstream, bool upstream_tls)
    : impl_(std::make_unique<Impl>()) {
  Impl& im = *impl_;
  const HostPort l = split_address(listen, "127.0.0.1");
  asio::error_code ec;
  const auto ip = asio::ip::make_address(l.host, ec);
  if (ec) throw std::invalid_argument("not an IP address: " + l.host);
  // The relay records passwords in clear: it serves this machine only.
  if (!ip.is_loopback())
    throw std::invalid_argument("the relay listens on loopback only, not " + l.host);
  const HostPort u = split_address(upstream, "");
  if (u.host.empty() || u.port == "0")
    throw std::invalid_argument("the upstream server needs HOST:PORT, not " + upstream);
  im.upstream_host = u.host;
  im.upstream_port = u.port;
  im.upstream_tls = upstream_tls;
  const tcp::endpoint at(ip, static_cast<std::uint16_t>(*parse_number(l.port)));
  im.acceptor.open(at.protocol());
  im.acceptor.set_option(tcp::acceptor::reuse_address(true));
  im.acceptor.bind(at);  // throws std::system_error (port in use, ...)
  im.acceptor.listen();
  const auto bound = im.acceptor.local_endpoint();
  im.listen_text =
      (ip.is_v6() ? "[" + bound.address().to_string() + "]" : bound.address().to_string()) + ":" +
      std::to_string(bound.port());
  im.upstream_text = (u.host.find(':') != std::string::npos ? "[" + u.host + "]" : u.host) + ":" +
                     u.port + (upstream_tls ? " (TLS)" : "");
  im.accept();
}

RelaySource::~RelaySource() = default;

std::string RelaySource::title() const {
  return "relay " + impl_->listen_text + " -> " + impl_->upstream_text;
}

std::uint16_t RelaySource::port() const noexcept {
  asio::error_code ec;
  const auto ep = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

std::size_t RelaySource::connections() const noexcept {
  return impl_->accepted;
}

std::size_t RelaySource::open_connections() const noexcept {
  std::size_t n = 0;
  for (const auto& c : impl_->conns)
    if (c->open) ++n;
  return n;
}

void RelaySource::poll(TraceModel& model, double) {
  Impl& im = *impl_;
  if (im.io.stopped()) im.io.restart();
  im.io.poll();
  for (auto& r : im.sink.records)
    model.append(std::move(r));
  im.sink.records.clear();
  im.conns.remove_if([](const std::shared_ptr<Impl::Conn>& c) { return !c->open; });
  error_ = im.last_error;
}

std::string RelaySource::status() const {
  const Impl& im = *impl_;
  std::string s = title() + ": " + std::to_string(im.accepted) + " connection(s)";
  const std::size_t open = open_connections();
  if (open) s += ", " + std::to_string(open) + " open";
  if (!im.last_error.empty()) s += "; " + im.last_error;
  return s;
}

}  // namespace pop3::viz
