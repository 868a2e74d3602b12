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
  // With randomize: the per-student password is a word of this wordlist (a weak password
  // the cracking labs must find), else a made-up one such as "maple-4821".
  std::string random_from;
};

struct MessageSpec {
  std::string user;
  std::string text;  // RFC 5322 text as stored (LF or CRLF line ends)
};

struct Scenario {
  std::uint64_t seed = 1;
  std::string tls = "none";    // none | stls | implicit
  bool plaintext_auth = true;  // USER/PASS and PLAIN/LOGIN before TLS
  std::uint32_t failed_login_delay_ms = 0;
  std::uint32_t chunk = 0;  // link: octets per delivery, 0 = whole writes
  std::uint32_t latency_ms = 0;
  bool expose_secrets = true;     // keep secrets in the trace (labs that teach sniffing)
  bool allow_real_server = true;  // can `run N --server URL` play it against a real server
  // TLS verification by the client: the certificate must chain to the one it trusts and
  // name expected_host. Off: any certificate is accepted (the lesson of lab 12).
  bool verify_certificate = true;
  std::string expected_host = "localhost";
  // Who is on the link besides the eavesdropper (docs/attacks.md): "" (nobody),
  // strip-stls (STLS removed from CAPA), strip-stls-and-refuse (also the client's STLS
  // answered -ERR by the attacker), inject-behind-stls (`inject` appended behind STLS,
  // toward `inject_toward`), substitute-certificate (a TLS interceptor presenting the
  // `certificate`: untrusted, wrong-host or expired).
  std::string attacker;
  std::string inject;
  std::string inject_toward = "server";  // server | client
  std::string certificate = "untrusted";
  // The server's own certificate, when it is not one the client trusts (no attacker: a
  // misconfigured or unknown server, lab 15): "" (the trusted one), untrusted (self-signed,
  // not the one the client has), wrong-host (for attacker.example), expired.
  std::string server_certificate;
  // The STARTTLS policy of the scripted mail client of `victim_login` steps.
  std::string client_starttls = "opportunistic";  // opportunistic | required
  // pop3-server's login policy on virtual time (pop3::auth::LoginPolicy), on top of the
  // fixed failed_login_delay_ms: a penalty per failure from the client's address, and a
  // lockout of the user after lockout_after failures in a row. All 0: no policy.
  std::uint32_t penalty_step_ms = 0;
  std::uint32_t penalty_max_ms = 0;
  std::uint32_t lockout_after = 0;
  std::uint32_t lockout_seconds = 0;
  // Passwords (and `{password:USER}` in messages) derived from a student id and this
  // scenario's seed (pop3-lab run N --student ID): answers cannot be copied.
  bool randomize = false;
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
//   victim_login user            a scripted mail client (pop3::attack::run_victim) with the
//                                scenario's client_starttls policy: CAPA, STLS if it may,
//                                USER/PASS, QUIT
//   crack       wordlist         the offline cracker on what the eavesdropper captured so far
//   guess       user, wordlist,  an online guesser on the lab's connection: one login per
//               mechanism, max   word until one is accepted, a lockout, or `max` attempts
//   replay      verb             an attacker resends, on the current connection, the last
//                                command with that verb the eavesdropper captured
//   reconnect   seconds,         the connection ends (dropped if still open), `seconds` pass,
//               attacker,        and a new one is opened to the same server (its maildrops
//               certificate,     and the login policy's memory kept) and greeted; attacker,
//               verify_certificate  certificate and verify_certificate change this connection
//
// `client` says who acts: 1 (the default) is the lab's client; 2 is a second client
// that opens connections of its own (connect) to the same server while the first one's
// may still be open: two mail programs on one maildrop. Client 2 may connect, send,
// pipeline, login, starttls, quit, drop and wait; a connect after its connection ended
// opens a new one.
struct Step {
  std::string action;
  int client = 1;  // 1 or 2
  std::string line;
  std::vector<std::string> lines;
  std::string mechanism = "USER";
  std::string user;
  double seconds = 0;
  std::string wordlist;  // crack, guess: a file of labs/wordlists/ or beside lab.toml
  std::filesystem::path wordlist_path;  // resolved by the reader
  std::uint32_t max = 0;                // guess: at most this many attempts (0: the whole list)
  bool ask_capa = true;                 // victim_login: look at CAPA before STLS
  std::string policy;  // victim_login: opportunistic | required (default: the scenario's)
  std::string verb;    // replay: the command to resend (APOP, AUTH, PASS, ...)
  // reconnect: this connection's own attacker ("none" for nobody), certificate and
  // verification, instead of the scenario's.
  std::optional<std::string> attacker;
  std::optional<std::string> certificate;
  std::optional<std::string> server_certificate;
  std::optional<bool> verify_certificate;
  std::string title;     // a few words for the step list
  std::string look;      // what to look at once it is done
  std::string question;  // asked after the step
  std::string answer;    // the answer, revealed after the student's attempt
};

// A condition on the trace. `kind` is one of (docs/lab-format.md has the details):
//   state, command, reply, exposure, secret_in_clear, wire_contains, received, note,
//   tls, tls_failed, injection_discarded, violation, deleted, update, delay, cracked
struct Check {
  std::string id;
  std::string description;  // what holding means, in a sentence: "the eavesdropper saw ..."
  std::string hint;         // shown when it does not hold
  std::string kind;
  bool expect = true;  // false: the condition must NOT hold
  std::string role;    // "client", "server" or "" for any session
  // parameters (which ones apply depends on the kind)
  std::string state;
  std::string verb;
  std::string status;  // ok | err | continue
  std::string code;
  std::string exposure;  // cleartext | base64 | digest | salted-proof
  std::string channel;   // plain | tls
  std::string text;
  std::string error;
  std::optional<std::int64_t> count;
  std::optional<bool> done;
  std::optional<std::int64_t> ms;       // delay: at least this many milliseconds
  std::string wordlist;                 // cracked: the list the eavesdropper tries
  std::filesystem::path wordlist_path;  // resolved by the reader
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
  std::string student;              // the student id it was made for (randomize), or ""
};

}  // namespace pop3::labs
