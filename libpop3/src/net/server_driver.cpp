#include "pop3/net/server_driver.hpp"

#include <array>
#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>
#include <variant>
#include <vector>

namespace pop3::net {
namespace {
using namespace asio::experimental::awaitable_operators;
constexpr auto kTuple = asio::experimental::as_tuple(asio::use_awaitable);
// A gathered write is cut at this size (four of the session's 64 KiB body pieces) or at
// this many pieces (writev's limit is far above it).
constexpr std::size_t kCoalesceOctets = 256 * 1024;
constexpr std::size_t kCoalescePieces = 64;
}  // namespace

void SessionControl::request_shutdown(std::string reason) {
  shutdown_ = true;
  reason_ = std::move(reason);
  wakeup_.cancel();
}

asio::awaitable<void> run_server_session(Connection& connection, ServerSession& session,
                                         asio::ssl::context* stls_context, SessionControl& control,
                                         const ServerDriverHooks& hooks) {
  // Client commands are short (255 octets a line); a pipelined burst takes a few reads.
  // Small, because every idle session holds one (docs/performance.md).
  std::array<char, 4 * 1024> buffer{};
  // Sends the session produces back to back (a status line, body pieces, the terminating
  // dot; the replies to a pipelined burst) leave in one gathered write, not one each.
  std::vector<std::string> pending;
  std::size_t pending_octets = 0;
  // A write that makes no progress for an autologout period is given up: the socket is
  // closed under it, the write fails, and the session ends as a lost connection (no
  // UPDATE, the maildrop lock released). Without this a client that asks for a message
  // and never reads would hold its maildrop for as long as it keeps the connection.
  asio::steady_timer watchdog(co_await asio::this_coro::executor);
  // Returns false when the write failed (the session is then told the connection is lost).
  auto flush = [&]() -> asio::awaitable<bool> {
    if (pending.empty()) co_return true;
    watchdog.expires_after(session.autologout_period());
    // On cancellation (ec set) the handler touches nothing: it may run after this frame.
    watchdog.async_wait([&connection](const asio::error_code& ec) {
      if (!ec) connection.abort();
    });
    const auto ec = co_await connection.write(pending);
    watchdog.cancel();
    pending.clear();
    pending_octets = 0;
    if (ec) session.connection_lost();
    co_return !ec;
  };
  bool shutdown_sent = false;
  for (;;) {
    if (control.shutdown_requested() && !shutdown_sent) {
      shutdown_sent = true;
      session.shutdown(control.reason());
    }
    Step step = session.next(Clock::now());
    if (hooks.on_step) hooks.on_step(step);

    if (auto* send = std::get_if<Send>(&step)) {
      pending_octets += send->bytes.size();
      pending.push_back(std::move(send->bytes));
      if (pending_octets >= kCoalesceOctets || pending.size() >= kCoalescePieces)
        (void)co_await flush();
      continue;
    }
    if (!std::holds_alternative<StartTls>(step) && !std::holds_alternative<Closed>(step) &&
        !std::holds_alternative<NeedInput>(step))
      continue;  // an event: already reported
    // Every instruction but Send waits for what was sent before it to be written; after a
    // failed write the session has been told, and its next step is Closed.
    if (!co_await flush() && !std::holds_alternative<Closed>(step)) continue;

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
