#pragma once
// The running server: listeners, one coroutine per connection, the users, the
// maildrops, the policies, logs and traces, and graceful shutdown.
//
// Lifecycle: Server(settings) reads the users file and the TLS key (still privileged),
// bind() opens every listener, then the caller may drop privileges, then run() serves
// until SIGINT or SIGTERM. SIGHUP re-reads the users file.
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/signal_set.hpp>
#include <asio/ssl/context.hpp>
#include <cstdint>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pop3/auth/passwd_file.hpp"
#include "pop3/auth/policy.hpp"
#include "pop3/auth/store_authenticator.hpp"
#include "pop3/core/maildrop.hpp"
#include "pop3/net/server_driver.hpp"
#include "pop3/trace/sink.hpp"
#include "settings.hpp"

namespace spdlog {
class logger;
}

namespace pop3::server {

class TraceFeed;

class Server {
 public:
  explicit Server(ServerSettings settings, std::shared_ptr<spdlog::logger> logger);
  ~Server();

  // Opens every listener; throws std::system_error naming the endpoint on failure.
  void bind();
  // Serves until a stop signal, then ends every session politely (no UPDATE), waits up
  // to `grace` for them, and returns.
  void run(std::chrono::seconds grace = std::chrono::seconds(5));

  [[nodiscard]] std::vector<std::string> plain_endpoints() const;
  [[nodiscard]] std::vector<std::string> tls_endpoints() const;
  [[nodiscard]] std::string trace_feed_endpoint() const;
  [[nodiscard]] const ServerSettings& settings() const noexcept { return settings_; }
  [[nodiscard]] std::filesystem::path certificate() const { return cert_path_; }

 private:
  struct Listener {
    asio::ip::tcp::acceptor acceptor;
    bool implicit_tls;
  };
  void load_users();
  void setup_tls();
  void open_listener(const Endpoint& endpoint, bool implicit_tls);
  asio::awaitable<void> accept_loop(Listener& listener);
  asio::awaitable<void> serve(asio::ip::tcp::socket socket, bool implicit_tls, std::uint64_t id);
  ServerConfig session_config(bool implicit_tls) const;
  void begin_shutdown(std::chrono::seconds grace);

  ServerSettings settings_;
  std::shared_ptr<spdlog::logger> log_;
  asio::io_context io_;
  asio::signal_set signals_;
  std::optional<asio::ssl::context> tls_;
  std::filesystem::path cert_path_;
  // The users and the authenticator over them, replaced whole by a reload (SIGHUP); a
  // login in progress keeps the generation it started with alive until it ends.
  struct Users {
    auth::PasswdFile file;
    std::unique_ptr<auth::StoreAuthenticator> authenticator;
  };
  std::shared_ptr<Users> users_;
  std::unique_ptr<MaildropProvider> maildrops_;
  auth::PolicyState policy_state_;
  std::vector<std::unique_ptr<Listener>> listeners_;
  std::map<std::uint64_t, net::SessionControl*> sessions_;
  std::map<std::string, int> per_address_;
  std::uint64_t next_id_ = 1;
  bool stopping_ = false;
  std::optional<asio::steady_timer> grace_timer_;
  std::optional<asio::signal_set> reload_signal_;
  // traces
  std::ofstream trace_stream_;
  std::unique_ptr<trace::Sink> trace_file_;
  std::unique_ptr<TraceFeed> trace_feed_;
  TimePoint trace_start_;
};

}  // namespace pop3::server
