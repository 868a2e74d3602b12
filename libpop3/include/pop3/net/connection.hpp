#pragma once
// Connection: one TCP connection that starts in plaintext and can be upgraded to TLS in
// place (STLS), or is upgraded right away (implicit TLS, RFC 8314). The session drivers
// read and write through it without caring which it is at the moment.
#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/ssl/context.hpp>
#include <asio/ssl/stream.hpp>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

namespace pop3::net {

class Connection {
 public:
  explicit Connection(asio::ip::tcp::socket socket) : socket_(std::move(socket)) {}
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs the TLS handshake over the connection as it stands. As a client, `host` is
  // sent as SNI and, unless the context skips verification, checked against the
  // certificate (a name or an IP address). Returns the error, if any.
  asio::awaitable<std::error_code> start_tls(asio::ssl::context& context,
                                             asio::ssl::stream_base::handshake_type role,
                                             const std::string& host = {});

  // One read; 0 bytes with an error at the end of the stream.
  asio::awaitable<std::pair<std::error_code, std::size_t>> read_some(char* data, std::size_t size);
  asio::awaitable<std::error_code> write(std::string_view bytes);
  // Writes the pieces in order as one gathered write (writev in plaintext).
  asio::awaitable<std::error_code> write(const std::vector<std::string>& pieces);
  // TLS close_notify when under TLS, then the TCP shutdown and close. Never throws.
  asio::awaitable<void> close();
  // Closes at once, for use from outside the connection's coroutine.
  void abort() noexcept;

  [[nodiscard]] bool tls_active() const noexcept { return tls_.has_value(); }
  [[nodiscard]] std::string tls_description() const;
  [[nodiscard]] std::string peer_certificate_subject() const;
  // After a failed client handshake: why the certificate was refused ("self-signed
  // certificate", "Hostname mismatch", ...), or "" if it was not a certificate problem.
  [[nodiscard]] std::string certificate_problem() const;
  [[nodiscard]] asio::ip::tcp::socket& socket() noexcept { return socket_; }
  [[nodiscard]] std::string remote_address() const;
  [[nodiscard]] std::string local_endpoint() const;

 private:
  asio::ip::tcp::socket socket_;
  std::optional<asio::ssl::stream<asio::ip::tcp::socket&>> tls_;
};

}  // namespace pop3::net
