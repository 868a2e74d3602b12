#pragma once
// The loads pop3-bench puts on a POP3 server; each returns what it measured.
// Every load is bounded in time (or in count) and stops by itself.
#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <functional>
#include <vector>

#include "result.hpp"
#include "target.hpp"

namespace pop3::bench {

struct LoadOptions {
  Target target;
  int clients = 1;
  int threads = 1;       // io_contexts in threads; clients are spread over them
  double seconds = 5.0;  // how long the timed part runs
};

// Clients loop: connect (+ TLS handshake), greeting, USER, PASS, STAT, QUIT.
Result run_logins(const LoadOptions& o);
// Clients log in once, then RETR `message` again and again.
Result run_retr(const LoadOptions& o, int message);
// Opens `sessions` connections (reading each greeting, logging in if asked), measures the
// memory of the processes `pids` and their descendants before and after, holds them
// `hold_seconds`, then checks each is still alive with QUIT.
Result run_idle(const LoadOptions& o, int sessions, bool login, const std::vector<int>& pids,
                double hold_seconds);
// One client: log in, STAT, RETR every message (pipelined up to `window` at once), QUIT.
Result run_fetch(const LoadOptions& o, int window);
// Raw loopback TCP: a sender and a receiver thread on 127.0.0.1, the upper bound for any
// server on this machine.
Result run_tcp(double seconds);

// Runs make(i) for clients 0..clients-1, spread over `threads` io_contexts each on its own
// thread (client i on context i % threads); returns when every coroutine has finished.
void run_spread(int clients, int threads,
                const std::function<asio::awaitable<void>(int client, int thread)>& make);

}  // namespace pop3::bench
