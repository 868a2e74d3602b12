#pragma once
// Target: the POP3 server under load and how to reach it, shared by every load.
//
// Contract: `user_for(i)` gives client i its user: with a "%d" in `user` and
// `user_count` > 1 it is the pattern with i modulo user_count (so concurrent clients do not
// contend for one maildrop lock); otherwise `user` itself.
#include <asio/ip/tcp.hpp>
#include <asio/ssl/context.hpp>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace pop3::bench {

struct Target {
  std::string host = "127.0.0.1";
  unsigned short port = 110;
  bool tls = false;                             // implicit TLS (RFC 8314) from the first byte
  std::optional<std::filesystem::path> cafile;  // else the certificate is not verified
  std::string user = "bench%d";
  int user_count = 1;
  std::string password;

  [[nodiscard]] std::string user_for(int client) const;
  [[nodiscard]] asio::ip::tcp::endpoint endpoint() const;
  // A client context: verifying against `cafile` when given, else not verifying (the
  // benchmark measures the server, not the trust decision).
  [[nodiscard]] std::shared_ptr<asio::ssl::context> tls_context() const;
};

}  // namespace pop3::bench
