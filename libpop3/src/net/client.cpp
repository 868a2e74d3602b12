#include "pop3/net/client.hpp"

#include <array>
#include <asio/co_spawn.hpp>
#include <asio/connect.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>
#include <charconv>

#include "pop3/core/codec.hpp"

namespace pop3::net {
namespace {

using namespace asio::experimental::awaitable_operators;
constexpr auto kTuple = asio::experimental::as_tuple(asio::use_awaitable);

ClientConfig with_tls(ClientConfig config, TlsMode mode) {
  config.tls_active = mode == TlsMode::Implicit;
  return config;
}

std::string seconds(std::chrono::milliseconds ms) {
  return std::to_string(ms.count() / 1000) + "." + std::to_string(ms.count() % 1000 / 100) + " s";
}

}  // namespace

std::string_view failure_name(FailureKind kind) noexcept {
  switch (kind) {
    case FailureKind::ConnectionRefused:
      return "connection refused";
    case FailureKind::Resolve:
      return "host not found";
    case FailureKind::TlsFailed:
      return "TLS failure";
    case FailureKind::BadCertificate:
      return "bad certificate";
    case FailureKind::StartTlsUnavailable:
      return "STARTTLS unavailable";
    case FailureKind::AuthFailed:
      return "authentication failed";
    case FailureKind::InUse:
      return "maildrop in use";
    case FailureKind::Timeout:
      return "timeout";
    case FailureKind::MalformedReply:
      return "malformed server reply";
    case FailureKind::ConnectionLost:
      return "connection lost";
    case FailureKind::ServerRefused:
      return "refused by the server";
    case FailureKind::Local:
      return "local error";
  }
  return "?";
}

Client::Client(ClientOptions options)
    : options_(std::move(options)), session_(with_tls(options_.session, options_.tls)) {
  if (options_.tls != TlsMode::None) {
    tls_context_.emplace(make_client_tls_context(options_.tls_options));
    if (options_.key_log) enable_key_log(*tls_context_, *options_.key_log);
  }
}

Client::~Client() {
  close();
}

template <class F>
void Client::run(F&& operation) {
  io_.restart();
  std::exception_ptr failure;
  asio::co_spawn(io_, std::forward<F>(operation), [&](std::exception_ptr e) { failure = e; });
  io_.run();
  if (failure) std::rethrow_exception(failure);
}

void Client::pump(std::vector<Reply>* out, bool& start_tls) {
  for (;;) {
    Step step = session_.next();
    if (std::holds_alternative<NeedInput>(step)) return;
    if (on_step) on_step(step);
    if (auto* send = std::get_if<Send>(&step)) {
      pending_output_ += send->bytes;
    } else if (std::holds_alternative<StartTls>(step)) {
      start_tls = true;
    } else if (auto* reply = std::get_if<ReplyEvent>(&step)) {
      if (reply->greeting)
        greeting_ = reply->reply;
      else if (out)
        out->push_back(reply->reply);
    } else if (auto* v = std::get_if<Violation>(&step)) {
      if (v->fatal) {
        const auto e = static_cast<Errc>(v->error.value());
        throw ClientError(
            e == Errc::connection_lost ? FailureKind::ConnectionLost : FailureKind::MalformedReply,
            v->error.message() + ": " + v->detail);
      }
    } else if (std::holds_alternative<Closed>(step)) {
      return;
    }
  }
}

asio::awaitable<void> Client::flush() {
  if (pending_output_.empty()) co_return;
  std::string out = std::move(pending_output_);
  pending_output_.clear();
  if (!connection_) throw ClientError(FailureKind::ConnectionLost, "not connected");
  asio::steady_timer timer(co_await asio::this_coro::executor, options_.timeout);
  auto result = co_await (connection_->write(out) || timer.async_wait(kTuple));
  if (result.index() == 1)
    throw ClientError(FailureKind::Timeout,
                      "the server did not read for " + seconds(options_.timeout));
  if (auto ec = std::get<0>(result)) {
    session_.connection_lost();
    throw ClientError(FailureKind::ConnectionLost, "writing to the server: " + ec.message());
  }
}

asio::awaitable<void> Client::handshake() {
  // A raw "STLS" typed with --tls=none still leads here: make the context on demand,
  // verifying as configured.
  if (!tls_context_) tls_context_.emplace(make_client_tls_context(options_.tls_options));
  asio::steady_timer timer(co_await asio::this_coro::executor, options_.timeout);
  auto result = co_await (
      connection_->start_tls(*tls_context_, asio::ssl::stream_base::client, options_.host) ||
      timer.async_wait(kTuple));
  if (result.index() == 1) throw ClientError(FailureKind::Timeout, "TLS handshake timed out");
  if (auto ec = std::get<0>(result)) {
    const std::string problem = connection_->certificate_problem();
    session_.tls_failed();
    if (!problem.empty())
      throw ClientError(FailureKind::BadCertificate,
                        "the server's certificate was refused: " + problem +
                            " (use --cafile to trust it, or --insecure to skip the check)");
    throw ClientError(FailureKind::TlsFailed,
                      "TLS handshake failed: " + ec.message() + " (is this port speaking TLS?)");
  }
  if (on_tls) on_tls(connection_->tls_description());
}

asio::awaitable<void> Client::wait_replies(std::size_t count, std::vector<Reply>& out) {
  std::array<char, 64 * 1024> buffer{};
  for (;;) {
    bool start_tls = false;
    pump(&out, start_tls);
    co_await flush();
    if (start_tls) {
      co_await handshake();
      session_.tls_established();
      pump(&out, start_tls);
    }
    if (out.size() >= count) co_return;
    if (session_.state() == State::Closed) {
      throw ClientError(FailureKind::ConnectionLost, "the session ended before the server replied");
    }
    asio::steady_timer timer(co_await asio::this_coro::executor, options_.timeout);
    auto result =
        co_await (connection_->read_some(buffer.data(), buffer.size()) || timer.async_wait(kTuple));
    if (result.index() == 1)
      throw ClientError(FailureKind::Timeout,
                        "no reply from the server in " + seconds(options_.timeout));
    auto [ec, n] = std::get<0>(result);
    if (n > 0) session_.feed(std::string_view(buffer.data(), n));
    if (ec) {
      session_.connection_lost();
      bool ignored = false;
      pump(&out, ignored);
      if (out.size() >= count) co_return;
      throw ClientError(FailureKind::ConnectionLost, "the server closed the connection");
    }
  }
}

asio::awaitable<void> Client::do_connect() {
  auto executor = co_await asio::this_coro::executor;
  asio::ip::tcp::resolver resolver(executor);
  auto [rec, endpoints] =
      co_await resolver.async_resolve(options_.host, std::to_string(options_.port), kTuple);
  if (rec)
    throw ClientError(FailureKind::Resolve,
                      "cannot resolve " + options_.host + ": " + rec.message());
  asio::ip::tcp::socket socket(executor);
  asio::steady_timer timer(executor, options_.timeout);
  auto result =
      co_await (asio::async_connect(socket, endpoints, kTuple) || timer.async_wait(kTuple));
  if (result.index() == 1)
    throw ClientError(FailureKind::Timeout, "connecting to " + options_.host + ":" +
                                                std::to_string(options_.port) + " timed out");
  if (auto ec = std::get<0>(std::get<0>(result))) {
    throw ClientError(FailureKind::ConnectionRefused,
                      "cannot connect to " + options_.host + ":" + std::to_string(options_.port) +
                          ": " + ec.message() +
                          " (is the server running, and is this the right port?)");
  }
  socket.set_option(asio::ip::tcp::no_delay(true));
  connection_ = std::make_unique<Connection>(std::move(socket));
  if (options_.tls == TlsMode::Implicit) co_await handshake();
}

Reply Client::connect() {
  std::vector<Reply> none;
  run([this, &none]() -> asio::awaitable<void> {
    co_await do_connect();
    std::array<char, 4096> buffer{};
    while (!session_.greeted()) {
      bool start_tls = false;
      pump(&none, start_tls);
      if (session_.greeted() || session_.state() == State::Closed) break;
      asio::steady_timer timer(co_await asio::this_coro::executor, options_.timeout);
      auto result = co_await (connection_->read_some(buffer.data(), buffer.size()) ||
                              timer.async_wait(kTuple));
      if (result.index() == 1)
        throw ClientError(FailureKind::Timeout,
                          "no greeting in " + seconds(options_.timeout) +
                              " (TLS expected on this port? try --tls=implicit)");
      auto [ec, n] = std::get<0>(result);
      if (n > 0) session_.feed(std::string_view(buffer.data(), n));
      if (ec && n == 0) {
        throw ClientError(options_.tls == TlsMode::Implicit ? FailureKind::TlsFailed
                                                            : FailureKind::ConnectionLost,
                          "the server closed the connection before greeting");
      }
    }
    bool start_tls = false;
    pump(&none, start_tls);
  });
  if (!session_.greeted())
    throw ClientError(FailureKind::MalformedReply, "the server sent no greeting");
  if (session_.state() == State::Closed)
    throw ClientError(FailureKind::ServerRefused,
                      "the server refused the connection: " + greeting_.text);
  return greeting_;
}

Reply Client::command(const Command& command) {
  if (auto ec = session_.send(command))
    throw ClientError(FailureKind::Local,
                      std::string(verb_name(command.verb)) + ": " + ec.message());
  std::vector<Reply> out;
  run([this, &out]() -> asio::awaitable<void> { co_await wait_replies(1, out); });
  return out.front();
}

std::vector<Reply> Client::pipeline(const std::vector<Command>& commands) {
  for (const auto& c : commands)
    if (auto ec = session_.send(c))
      throw ClientError(FailureKind::Local, std::string(verb_name(c.verb)) + ": " + ec.message());
  std::vector<Reply> out;
  run([this, &out, n = commands.size()]() -> asio::awaitable<void> {
    co_await wait_replies(n, out);
  });
  return out;
}

Reply Client::raw(std::string_view line) {
  if (auto ec = session_.send_raw(line)) throw ClientError(FailureKind::Local, ec.message());
  std::vector<Reply> out;
  run([this, &out]() -> asio::awaitable<void> { co_await wait_replies(1, out); });
  return out.front();
}

Capabilities Client::capa() {
  command({Verb::Capa, {}});
  return session_.capabilities();
}

void Client::starttls() {
  if (!tls_context_) tls_context_.emplace(make_client_tls_context(options_.tls_options));
  Reply r = command({Verb::Stls, {}});
  if (!r.ok())
    throw ClientError(FailureKind::StartTlsUnavailable, "the server refused STLS: " + r.text);
}

Reply Client::authenticate(std::unique_ptr<ClientMechanism> mechanism) {
  const std::string name(mechanism->name());
  if (auto ec = session_.authenticate(std::move(mechanism)))
    throw ClientError(FailureKind::Local, "AUTH " + name + ": " + ec.message());
  std::vector<Reply> out;
  run([this, &out]() -> asio::awaitable<void> {
    // Continuations are answered by the session; wait for the final +OK or -ERR.
    for (;;) {
      co_await wait_replies(out.size() + 1, out);
      if (out.back().status != Status::Continue) co_return;
    }
  });
  return out.back();
}

Reply Client::quit() {
  Reply r = command({Verb::Quit, {}});
  close();
  return r;
}

void Client::close() noexcept {
  if (connection_) connection_->abort();
}

bool Client::connected() const noexcept {
  return connection_ && connection_->socket().is_open();
}

std::string Client::tls_description() const {
  return connection_ ? connection_->tls_description() : "";
}

std::optional<Pop3Url> parse_pop3_url(std::string_view url) {
  Pop3Url u;
  if (url.starts_with("pop3://")) {
    url.remove_prefix(7);
  } else if (url.starts_with("pop3s://")) {
    url.remove_prefix(8);
    u.implicit_tls = true;
    u.port = 995;
  } else {
    return std::nullopt;
  }
  if (!url.empty() && url.back() == '/') url.remove_suffix(1);
  if (url.find('/') != std::string_view::npos) return std::nullopt;
  const auto at = url.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view userinfo = url.substr(0, at);
    url.remove_prefix(at + 1);
    if (const auto semi = userinfo.find(";AUTH="); semi != std::string_view::npos) {
      u.auth = std::string(userinfo.substr(semi + 6));
      userinfo = userinfo.substr(0, semi);
    }
    // Percent-decoding: user names with '@' are written %40.
    for (std::size_t i = 0; i < userinfo.size(); ++i) {
      if (userinfo[i] == '%' && i + 2 < userinfo.size()) {
        unsigned v = 0;
        auto [p, ec] = std::from_chars(userinfo.data() + i + 1, userinfo.data() + i + 3, v, 16);
        if (ec == std::errc{} && p == userinfo.data() + i + 3) {
          u.user += static_cast<char>(v);
          i += 2;
          continue;
        }
      }
      u.user += userinfo[i];
    }
  }
  std::string_view hostport = url;
  std::string_view port;
  if (hostport.starts_with('[')) {
    const auto close = hostport.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    u.host = std::string(hostport.substr(1, close - 1));
    if (close + 1 < hostport.size()) {
      if (hostport[close + 1] != ':') return std::nullopt;
      port = hostport.substr(close + 2);
    }
  } else {
    const auto colon = hostport.rfind(':');
    u.host = std::string(hostport.substr(0, colon));
    if (colon != std::string_view::npos) port = hostport.substr(colon + 1);
  }
  if (u.host.empty()) return std::nullopt;
  if (!port.empty()) {
    unsigned v = 0;
    auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), v);
    if (ec != std::errc{} || p != port.data() + port.size() || v == 0 || v > 65535)
      return std::nullopt;
    u.port = static_cast<std::uint16_t>(v);
  }
  return u;
}

}  // namespace pop3::net
