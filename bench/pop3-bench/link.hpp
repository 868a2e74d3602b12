#pragma once
// Link: a lean POP3 client connection for load generation: reply lines and multi-line
// bodies are framed with as little work as possible (no parsing beyond +OK/-ERR, bodies
// are counted, not kept), so that the client costs little next to the server it measures.
//
// Contract: every call returns an error code; a -ERR reply is reported as
// std::errc::protocol_error with the reply kept in last_reply(). Bytes that arrive behind
// a reply stay buffered for the next call.
#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/ssl/context.hpp>
#include <cstdint>
#include <string>
#include <system_error>
#include <vector>

#include "pop3/net/connection.hpp"
#include "target.hpp"

namespace pop3::bench {

class Link {
 public:
  Link(asio::ip::tcp::socket socket, std::size_t buffer_size);

  // Connects to the target (TCP, then the TLS handshake if the target uses TLS) and reads
  // the greeting.
  static asio::awaitable<std::error_code> open(const Target& target, asio::ssl::context* tls,
                                               std::unique_ptr<Link>& out, std::size_t buffer_size);

  // Sends `line` + CRLF and reads the status line of the reply.
  asio::awaitable<std::error_code> command(std::string_view line);
  // Reads one status line (CRLF removed) into last_reply().
  asio::awaitable<std::error_code> read_status();
  // Reads the body of a multi-line reply up to and including the terminating ".CRLF";
  // `octets` gets the body's size as sent (dot-stuffed, terminator included).
  asio::awaitable<std::error_code> read_body(std::uint64_t& octets);
  // USER, PASS.
  asio::awaitable<std::error_code> login(const std::string& user, const std::string& password);
  // QUIT, then close the socket (no TLS close_notify).
  asio::awaitable<std::error_code> quit();
  void abort() noexcept { connection_.abort(); }

  [[nodiscard]] const std::string& last_reply() const noexcept { return reply_; }
  [[nodiscard]] net::Connection& connection() noexcept { return connection_; }

 private:
  asio::awaitable<std::error_code> fill();

  net::Connection connection_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0, end_ = 0;
  std::string reply_;
};

}  // namespace pop3::bench
