#pragma once
// A lab exercise as pop3lab runs it: text that teaches, a scenario for the simulator (or
// a real server), steps to go through, and checks evaluated on the trace of what happened.
// docs/lab-format.md describes the file these come from.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace pop3::labs {

struct Account {
  std::string user;
  std::string password;
  std::string scheme = "PLAIN";  // how the server stores it: PLAIN, SHA512-CRYPT, SCRAM-SHA-256
};

struct MessageSpec {
  std::string user;
  std::string text;  // RFC 5322 text as stored (LF or CRLF line ends)
};

struct Scenario {
  std::uint64_t seed = 1;
  std::string tls = "none";           // none | stls | implicit
  bool plaintext_auth = true;         // USER/PASS and PLAIN/LOGIN before TLS
  std::uint32_t failed_login_delay_ms = 0;
  std::uint32_t chunk = 0;            // link: octets per delivery, 0 = whole writes
  std::uint32_t latency_ms = 0;
  bool expose_secrets = true;         // keep secrets in the trace (labs that teach sniffing)
  bool allow_real_server = true;      // can `run N --server URL` play it against a real server
  std::vector<Account> accounts;
  std::vector<MessageSpec> messages;
};

// One thing to do. `action` is one of:
//   connect                      open the connection and read the greeting
//   send        line             send one line as typed (any command)
//   pipeline    lines            send several lines at once (RFC 2449 PIPELINING)
//   login       mechanism, user  log in as `user` (an account of the scenario) with USER,
//                                APOP, PLAIN, LOGIN, CRAM-MD5 or SCRAM-SHA-256
//   starttls                     STLS and the TLS handshake
//   quit                         QUIT
//   drop                         the connection breaks (no QUIT)
//   wait        seconds          let time pass
struct Step {
  std::string action;
  std::string line;
  std::vector<std::string> lines;
  std::string mechanism = "USER";
  std::string user;
  double seconds = 0;
  std::string title;     // a few words for the step list
  std::string look;      // what to look at once it is done
  std::string question;  // asked after the step
  std::string answer;    // the answer, revealed after the student's attempt
};

// A condition on the trace. `kind` is one of (docs/lab-format.md has the details):
//   state, command, reply, exposure, secret_in_clear, wire_contains, tls, tls_failed,
//   injection_discarded, violation, deleted, update
struct Check {
  std::string id;
  std::string description;  // what holding means, in a sentence: "the eavesdropper saw ..."
  std::string hint;         // shown when it does not hold
  std::string kind;
  bool expect = true;       // false: the condition must NOT hold
  std::string role;         // "client", "server" or "" for any session
  // parameters (which ones apply depends on the kind)
  std::string state;
  std::string verb;
  std::string status;       // ok | err | continue
  std::string code;
  std::string exposure;     // cleartext | base64 | digest | salted-proof
  std::string channel;      // plain | tls
  std::string text;
  std::string error;
  std::optional<std::int64_t> count;
  std::optional<bool> done;
};

struct Lab {
  int number = 0;
  std::string slug;
  std::string title;
  std::vector<std::string> objectives;
  std::string background;
  Scenario scenario;
  std::vector<Step> steps;
  std::vector<Check> checks;
  std::filesystem::path directory;  // where the lab file is
};

}  // namespace pop3::labs
