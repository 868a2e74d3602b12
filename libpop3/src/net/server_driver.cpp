#include "pop3/net/server_driver.hpp"

#include <array>
#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/use_awaitable.hpp>
#include <variant>

namespace pop3::net {
namespace {
using namespace asio::experimental::awaitable_operators;
constexpr auto kTuple = asio::experimental::as_tuple(asio::use_awaitable);
}  // namespace

void SessionControl::request_shutdown(std::string reason) {
  shutdown_ = true;
  reason_ = std::move(reason);
  wakeup_.cancel();
}

asio::awaitable<void> run_server_session(Connection& connection, ServerSession& session,
                                         asio::ssl::context* stls_context,
                                         SessionControl& control, const ServerDriverHooks& hooks) {
  std::array<char, 16 * 1024> buffer{};
  bool shutdown_sent = false;
  for (;;) {
    if (control.shutdown_requested() && !shutdown_sent) {
      shutdown_sent = true;
      session.shutdown(control.reason());
    }
    Step step = session.next(Clock::now());
    if (hooks.on_step) hooks.on_step(step);

    if (auto* send = std::get_if<Send>(&step)) {
      if (co_await connection.write(send->bytes)) session.connection_lost();
      continue;
    }
    if (std::holds_alternative<StartTls>(step)) {
      std::error_code ec;
      if (stls_context) {
        ec = co_await connection.start_tls(*stls_context, asio::ssl::stream_base::server);
      } else {
        ec = std::make_error_code(std::errc::operation_not_supported);
      }
      if (ec) {
        if (hooks.on_tls_failed) hooks.on_tls_failed(ec.message());
        session.tls_failed();
      } else {
        if (hooks.on_tls_up) hooks.on_tls_up(connection.tls_description());
        session.tls_established(Clock::now());
      }
      continue;
    }
    if (std::holds_alternative<Closed>(step)) {
      co_await connection.close();
      co_return;
    }
    if (!std::holds_alternative<NeedInput>(step)) continue;  // an event: already reported

    // Wait for bytes, the session's deadline, or a shutdown request, whichever is first.
    control.wakeup().expires_at(session.deadline());
    auto result = co_await (connection.read_some(buffer.data(), buffer.size()) ||
                            control.wakeup().async_wait(kTuple));
    if (result.index() == 0) {
      auto [ec, n] = std::get<0>(result);
      if (n > 0) session.feed(std::string_view(buffer.data(), n), Clock::now());
      if (ec) session.connection_lost();
    }
  }
}

}  // namespace pop3::net
