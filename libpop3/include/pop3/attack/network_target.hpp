#pragma once
// NetworkTarget: a GuessTarget that is a real POP3 server on this machine, reached with
// pop3::net::Client, in real time: what the guesser measures is the server's actual
// failure delay, penalty and lockout (pop3-server --profile lab, or Dovecot).
//
// Contract:
// - Loopback only: the host must be "localhost" or a loopback address (127.0.0.0/8,
//   ::1); anything else is refused with std::invalid_argument at construction. This is a
//   lab tool for one's own server, not for other people's.
// - ClientOptions::tls StartTls does STLS before each login; the certificate is checked
//   as the options say (tls_options.insecure to skip it).
// - Network and protocol failures become Error attempts, and the connection is dropped
//   (the next attempt reconnects). wait() sleeps.
#include <memory>
#include <string>

#include "pop3/attack/guess_target.hpp"
#include "pop3/net/client.hpp"

namespace pop3::attack {

// "localhost", 127.0.0.0/8 or ::1.
[[nodiscard]] bool is_loopback_host(const std::string& host);

class NetworkTarget final : public GuessTarget {
 public:
  explicit NetworkTarget(net::ClientOptions options);
  ~NetworkTarget() override;
  NetworkTarget(const NetworkTarget&) = delete;
  NetworkTarget& operator=(const NetworkTarget&) = delete;

  [[nodiscard]] std::string describe() const override;
  [[nodiscard]] bool virtual_time() const noexcept override { return false; }
  Attempt attempt(std::string_view user, std::string_view password, LoginMethod method) override;
  void disconnect() override;
  [[nodiscard]] Duration elapsed() const override { return Clock::now() - start_; }
  void wait(Duration d) override;
  [[nodiscard]] std::size_t connections() const noexcept override { return connections_; }

 private:
  Reply login(std::string_view user, std::string_view password, LoginMethod method);

  net::ClientOptions options_;
  std::unique_ptr<net::Client> client_;
  TimePoint start_;
  std::size_t connections_ = 0;
};

}  // namespace pop3::attack
