// The online guesser against a real POP3 server on loopback (pop3::net's server driver
// with the login policy, in this process), in real time.
#include <doctest/doctest.h>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/use_awaitable.hpp>
#include <thread>

#include "pop3/auth/apop.hpp"
#include "pop3/auth/store_authenticator.hpp"
#include "pop3/maildrop/memory_maildrop.hpp"
#include "pop3/net/connection.hpp"
#include "pop3/net/server_driver.hpp"
#include "support.hpp"

using namespace attacktest;
using std::chrono::milliseconds;

namespace {

// A POP3 server on 127.0.0.1 (an ephemeral port) whose logins go through the policy, as
// pop3-server's do. One thread; stopped and joined by the destructor.
class LoopbackServer {
 public:
  explicit LoopbackServer(auth::LoginPolicy policy)
      : policy_(policy), state_(policy), acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}) {
    store_.add("alice", auth::StoredCredential::plaintext(Secret(std::string(kWeak))));
    maildrops_.add_user("alice");
    asio::co_spawn(io_, accept(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }
  ~LoopbackServer() {
    io_.stop();
    thread_.join();
  }
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  [[nodiscard]] std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

 private:
  asio::awaitable<void> accept() {
    for (;;) {
      auto [ec, socket] =
          co_await acceptor_.async_accept(asio::experimental::as_tuple(asio::use_awaitable));
      if (ec) co_return;
      asio::co_spawn(io_, serve(std::move(socket)), asio::detached);
    }
  }
  asio::awaitable<void> serve(asio::ip::tcp::socket socket) {
    net::Connection connection(std::move(socket));
    auth::PolicyAuthenticator authenticator(store_authenticator_, state_, "127.0.0.1");
    ServerConfig config;
    config.failed_auth_delay = policy_.failed_login_delay;
    config.apop_timestamp = auth::make_apop_timestamp("localhost");
    ServerSession session(config, authenticator, maildrops_, Clock::now());
    net::SessionControl control(io_.get_executor());
    control.on_abort([&connection] { connection.abort(); });
    co_await net::run_server_session(connection, session, nullptr, control, {});
  }

  auth::LoginPolicy policy_;
  auth::PolicyState state_;
  auth::MemoryCredentialStore store_;
  auth::StoreAuthenticator store_authenticator_{store_};
  maildrop::MemoryMaildropStore maildrops_;
  asio::io_context io_;  // after everything the sessions use: destroyed first
  asio::ip::tcp::acceptor acceptor_;
  std::thread thread_;
};

net::ClientOptions client_for(const LoopbackServer& server) {
  net::ClientOptions o;
  o.host = "127.0.0.1";
  o.port = server.port();
  o.timeout = milliseconds(10000);
  return o;
}

GuessOptions for_alice() {
  GuessOptions o;
  o.user = "alice";
  return o;
}

}  // namespace

TEST_CASE("the network guesser attacks loopback only") {
  CHECK(is_loopback_host("localhost"));
  CHECK(is_loopback_host("127.0.0.1"));
  CHECK(is_loopback_host("127.3.2.1"));
  CHECK(is_loopback_host("::1"));
  CHECK_FALSE(is_loopback_host("192.0.2.1"));
  CHECK_FALSE(is_loopback_host("example.com"));
  net::ClientOptions o;
  o.host = "192.0.2.1";
  CHECK_THROWS_AS(NetworkTarget{o}, std::invalid_argument);
}

TEST_CASE(
    "against a real server on loopback the guesser meets the real delay, penalty and lockout") {
  auth::LoginPolicy p;
  p.failed_login_delay = milliseconds(20);
  p.penalty_step = milliseconds(10);
  p.penalty_max = milliseconds(50);
  p.lockout_after = 3;
  p.lockout_duration = std::chrono::seconds(60);
  LoopbackServer server(p);
  NetworkTarget target(client_for(server));
  const GuessReport r = OnlineGuesser(target, for_alice()).run(wordlist("tiny.txt"));
  MESSAGE(r.summary());
  CHECK_FALSE(r.virtual_time);
  CHECK(r.end == GuessReport::End::LockedOut);
  CHECK(r.attempts == 4);
  CHECK(r.failures_before_lockout == 3);
  REQUIRE(r.time_to_lockout);
  // 3 x 20 ms failure delays + 0, 10, 20 ms penalties, then the locked reply's own delay.
  CHECK(*r.time_to_lockout >= milliseconds(90));
  CHECK(r.attempts_per_second > 0);
  CHECK(r.connections == 4);
  CHECK(contains(r.log.back().reply, "[LOGIN-DELAY]"));
}

TEST_CASE("against a real server without lockout the guesser finds the weak password") {
  auth::LoginPolicy p;
  p.failed_login_delay = milliseconds(5);
  p.penalty_step = milliseconds(0);
  p.lockout_after = 0;
  LoopbackServer server(p);
  NetworkTarget target(client_for(server));
  GuessOptions o = for_alice();
  o.attempts_per_connection = 4;
  const GuessReport r = OnlineGuesser(target, o).run(wordlist("tiny.txt"));
  CHECK(r.end == GuessReport::End::Found);
  REQUIRE(r.password);
  CHECK(*r.password == kWeak);
  CHECK(r.found_at == 10);
  CHECK(r.connections == 3);
  CHECK(r.elapsed >= milliseconds(45));  // nine failures, 5 ms each at least
}
