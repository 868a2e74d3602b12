#include "pop3/net/connection.hpp"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <asio/buffer.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include "pop3/net/tls.hpp"

namespace pop3::net {
namespace {
constexpr auto kTuple = asio::experimental::as_tuple(asio::use_awaitable);
using namespace asio::experimental::awaitable_operators;
// asio's default completion condition hands the kernel at most 64 KiB per write(2); a
// gathered reply of up to 256 KiB goes in one writev instead (docs/performance.md).
constexpr auto kWholeWrites = [](const asio::error_code& ec, std::size_t) -> std::size_t {
  return ec ? 0 : std::size_t{4} << 20;
};
}  // namespace

asio::awaitable<std::error_code> Connection::start_tls(asio::ssl::context& context,
                                                       asio::ssl::stream_base::handshake_type role,
                                                       const std::string& host) {
  tls_.emplace(socket_, context);
  if (role == asio::ssl::stream_base::client && !host.empty()) {
    SSL* ssl = tls_->native_handle();
    asio::error_code not_an_address;
    (void)asio::ip::make_address(host, not_an_address);
    if (not_an_address) {
      // SSL_set_tlsext_host_name is a macro with a C cast; this is what it expands to.
      SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
               const_cast<char*>(host.c_str()));
      SSL_set1_host(ssl, host.c_str());
    } else {
      X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str());
    }
  }
  auto [ec] = co_await tls_->async_handshake(role, kTuple);
  co_return ec;
}

asio::awaitable<std::pair<std::error_code, std::size_t>> Connection::read_some(char* data,
                                                                               std::size_t size) {
  if (tls_) {
    auto [ec, n] = co_await tls_->async_read_some(asio::buffer(data, size), kTuple);
    co_return std::pair<std::error_code, std::size_t>{ec, n};
  }
  auto [ec, n] = co_await socket_.async_read_some(asio::buffer(data, size), kTuple);
  co_return std::pair<std::error_code, std::size_t>{ec, n};
}

asio::awaitable<std::error_code> Connection::write(std::string_view bytes) {
  if (tls_) {
    auto [ec, n] = co_await asio::async_write(*tls_, asio::buffer(bytes), kTuple);
    co_return ec;
  }
  auto [ec, n] = co_await asio::async_write(socket_, asio::buffer(bytes), kWholeWrites, kTuple);
  co_return ec;
}

asio::awaitable<std::error_code> Connection::write(const std::vector<std::string>& pieces) {
  std::vector<asio::const_buffer> buffers;
  buffers.reserve(pieces.size());
  for (const auto& p : pieces)
    buffers.emplace_back(p.data(), p.size());
  if (tls_) {
    auto [ec, n] = co_await asio::async_write(*tls_, buffers, kTuple);
    co_return ec;
  }
  auto [ec, n] = co_await asio::async_write(socket_, buffers, kWholeWrites, kTuple);
  co_return ec;
}

asio::awaitable<void> Connection::close() {
  if (tls_ && socket_.is_open()) {
    // Send close_notify; wait at most a second for the peer's, which may never come.
    asio::steady_timer timer(socket_.get_executor(), std::chrono::seconds(1));
    co_await (tls_->async_shutdown(kTuple) || timer.async_wait(kTuple));
  }
  abort();
}

void Connection::abort() noexcept {
  asio::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

std::string Connection::tls_description() const {
  return tls_ ? describe_tls(
                    const_cast<asio::ssl::stream<asio::ip::tcp::socket&>&>(*tls_).native_handle())
              : std::string();
}

std::string Connection::peer_certificate_subject() const {
  if (!tls_) return {};
  SSL* ssl = const_cast<asio::ssl::stream<asio::ip::tcp::socket&>&>(*tls_).native_handle();
  X509* cert = SSL_get1_peer_certificate(ssl);
  if (!cert) return {};
  char buf[512];
  X509_NAME_oneline(X509_get_subject_name(cert), buf, sizeof buf);
  X509_free(cert);
  return buf;
}

std::string Connection::certificate_problem() const {
  if (!tls_) return {};
  SSL* ssl = const_cast<asio::ssl::stream<asio::ip::tcp::socket&>&>(*tls_).native_handle();
  const long result = SSL_get_verify_result(ssl);
  if (result == X509_V_OK) return {};
  return X509_verify_cert_error_string(result);
}

std::string Connection::remote_address() const {
  asio::error_code ec;
  auto ep = socket_.remote_endpoint(ec);
  return ec ? std::string("?") : ep.address().to_string();
}

std::string Connection::local_endpoint() const {
  asio::error_code ec;
  auto ep = socket_.local_endpoint(ec);
  if (ec) return "?";
  return ep.address().is_v6() ? "[" + ep.address().to_string() + "]:" + std::to_string(ep.port())
                              : ep.address().to_string() + ":" + std::to_string(ep.port());
}

}  // namespace pop3::net
