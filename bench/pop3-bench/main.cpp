// pop3-bench: puts load on any POP3 server and prints what it measured (docs/performance.md).
//
//   pop3-bench logins --port P --user 'bench%d' --user-count 64 --password PW --clients 64
//   pop3-bench retr   --port P --user big --password PW --message 1 --seconds 5 [--tls]
//   pop3-bench idle   --port P --sessions 10000 --pid SERVER_PID
//   pop3-bench fetch  --port P --user fetch --password PW [--window 16]
//   pop3-bench tcp    --seconds 3
// Every load accepts --json FILE (an array of result objects, see result.hpp).
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "loads.hpp"

namespace {

using namespace pop3::bench;

// Thousands of idle sessions need as many descriptors: take the hard limit.
void raise_descriptor_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    (void)::setrlimit(RLIMIT_NOFILE, &limit);
  }
}

void add_target_options(CLI::App* app, LoadOptions& o, std::string& cafile) {
  app->add_option("--host", o.target.host, "server address (an IP address)");
  app->add_option("--port", o.target.port, "server port")->required();
  app->add_flag("--tls", o.target.tls, "implicit TLS from the first byte (RFC 8314)");
  app->add_option("--cafile", cafile,
                  "verify the server's certificate against FILE (default: no check)");
  app->add_option("--user", o.target.user,
                  "user name; %d is replaced by the client's number modulo --user-count");
  app->add_option("--user-count", o.target.user_count,
                  "how many users the %d pattern cycles through");
  app->add_option("--password", o.target.password, "the password (the same for every user)");
}

void add_load_options(CLI::App* app, LoadOptions& o) {
  app->add_option("--clients", o.clients, "concurrent clients");
  app->add_option("--threads", o.threads,
                  "client threads (io_contexts) the clients are spread over");
  app->add_option("--seconds", o.seconds, "duration of the timed part");
}

}  // namespace

int main(int argc, char** argv) {
  raise_descriptor_limit();
  CLI::App app{"pop3-bench: load generator for POP3 servers"};
  app.require_subcommand(1);
  std::string json_path, cafile;
  app.add_option("--json", json_path, "also write the results as JSON to FILE");

  LoadOptions o;
  auto* logins =
      app.add_subcommand("logins", "connect, USER, PASS, STAT, QUIT in a loop per client");
  add_target_options(logins, o, cafile);
  add_load_options(logins, o);

  int message = 1;
  auto* retr = app.add_subcommand("retr", "log in once, then RETR one message again and again");
  add_target_options(retr, o, cafile);
  add_load_options(retr, o);
  retr->add_option("--message", message, "message number to retrieve");

  int sessions = 1000;
  bool login = false;
  std::vector<int> pids;
  double hold = 2.0;
  auto* idle =
      app.add_subcommand("idle", "hold many sessions open and measure the server's memory");
  add_target_options(idle, o, cafile);
  idle->add_option("--sessions", sessions, "sessions to open");
  idle->add_flag("--login", login, "log each session in (needs --user-count users)");
  idle->add_option("--pid", pids,
                   "server process whose memory (with its descendants) is measured; repeatable");
  idle->add_option("--hold", hold, "seconds to hold the sessions before closing them");

  int window = 1;
  auto* fetch = app.add_subcommand("fetch", "log in, RETR every message, QUIT (one run)");
  add_target_options(fetch, o, cafile);
  fetch->add_option("--clients", o.clients,
                    "concurrent clients (each fetches its user's maildrop)");
  fetch->add_option("--window", window, "RETRs in flight at once (pipelining when > 1)");

  auto* tcp = app.add_subcommand("tcp", "raw loopback TCP bandwidth (sender and receiver threads)");
  tcp->add_option("--seconds", o.seconds, "duration");

  CLI11_PARSE(app, argc, argv);
  if (!cafile.empty()) o.target.cafile = cafile;
  o.clients = std::max(1, o.clients);
  o.threads = std::max(1, o.threads);

  Result result;
  try {
    if (logins->parsed())
      result = run_logins(o);
    else if (retr->parsed())
      result = run_retr(o, message);
    else if (idle->parsed())
      result = run_idle(o, sessions, login, pids, hold);
    else if (fetch->parsed())
      result = run_fetch(o, window);
    else
      result = run_tcp(o.seconds);
  } catch (const std::exception& e) {
    std::cerr << "pop3-bench: " << e.what() << "\n";
    return 1;
  }
  std::cout << to_table(result) << std::flush;
  if (!json_path.empty()) {
    std::ofstream out(json_path);
    out << nlohmann::json::array({to_json(result)}).dump(2) << "\n";
    if (!out) {
      std::cerr << "pop3-bench: cannot write " << json_path << "\n";
      return 1;
    }
  }
  return result.error_count > 0 ? 3 : 0;
}
