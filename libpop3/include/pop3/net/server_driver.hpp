#pragma once
// The server's connection loop: one coroutine per connection whose only job is moving
// bytes between the socket and the ServerSession. Everything POP3 happens in the
// session; this file knows sockets, TLS and clocks, and nothing of the protocol.
#include <asio/awaitable.hpp>
#include <asio/ssl/context.hpp>
#include <asio/steady_timer.hpp>
#include <functional>
#include <string>

#include "pop3/core/events.hpp"
#include "pop3/core/server_session.hpp"
#include "pop3/net/connection.hpp"

namespace pop3::net {

// Lets the owner of a running session ask it, from outside its coroutine, to end.
class SessionControl {
 public:
  explicit SessionControl(asio::any_io_executor executor) : wakeup_(executor) {}
  // Graceful: the session tells its client and closes without UPDATE.
  void request_shutdown(std::string reason);
  [[nodiscard]] bool shutdown_requested() const noexcept { return shutdown_; }
  // Firm: closes the connection at once (the owner sets how with on_abort).
  void on_abort(std::function<void()> abort) { abort_ = std::move(abort); }
  void abort() {
    if (abort_) abort_();
    wakeup_.cancel();
  }
  [[nodiscard]] const std::string& reason() const noexcept { return reason_; }
  asio::steady_timer& wakeup() noexcept { return wakeup_; }

 private:
  asio::steady_timer wakeup_;
  std::function<void()> abort_;
  bool shutdown_ = false;
  std::string reason_;
};

struct ServerDriverHooks {
  std::function<void(const Step&)> on_step;               // every step the session returns
  std::function<void(const std::string&)> on_tls_up;      // "TLSv1.3 TLS_AES_..."
  std::function<void(const std::string&)> on_tls_failed;  // the handshake's error
};

// Runs the session to its end. `stls_context` is used when the session asks for TLS
// (STLS); it may be null when TLS is not offered on this connection.
asio::awaitable<void> run_server_session(Connection& connection, ServerSession& session,
                                         asio::ssl::context* stls_context, SessionControl& control,
                                         const ServerDriverHooks& hooks);

}  // namespace pop3::net
