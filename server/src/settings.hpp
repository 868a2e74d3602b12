#pragma once
// Everything pop3-server can be told, with its defaults. One struct that the command
// line and the TOML config file both fill (the command line wins), so docs/server.md,
// `--help` and the config file describe the same settings.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "endpoint.hpp"
#include "pop3/auth/policy.hpp"

namespace pop3::server {

enum class PlaintextAuth { Allow, TlsOnly };

// The login rules (failed_login_delay, penalty_step, penalty_max, lockout_after,
// lockout_duration) are pop3::auth::LoginPolicy, shared with the simulator so that a
// brute-force lab meets the same ones; the rest is the server's own.
struct Policy : auth::LoginPolicy {
  // USER/PASS, PLAIN and LOGIN without TLS (RFC 2595 LOGINDISABLED when refused).
  PlaintextAuth plaintext_auth = PlaintextAuth::TlsOnly;
  int max_connections = 2000;
  int max_connections_per_address = 100;
  std::chrono::seconds autologout{600};
  std::uint64_t max_message_octets = 0;  // 0 = no limit
  bool accept_bare_lf = false;
};

struct ServerSettings {
  std::vector<Endpoint> listen;      // plaintext, STLS offered when a certificate is set
  std::vector<Endpoint> tls_listen;  // implicit TLS (RFC 8314)
  std::filesystem::path users;       // Dovecot passwd-file
  std::filesystem::path mail_root;   // user U's maildrop: MAIL_ROOT/U/Maildir
  std::optional<std::filesystem::path> cert;
  std::optional<std::filesystem::path> key;
  std::optional<std::string> run_as;
  std::string hostname = "localhost";  // in APOP timestamps and CRAM-MD5 challenges
  std::string greeting = "pop3lab POP3 server ready";
  std::string profile = "default";  // "default" or "lab"
  Policy policy;
  std::optional<std::filesystem::path> trace_file;
  bool trace_expose_secrets = false;
  std::optional<Endpoint> trace_feed;  // loopback only; carries secrets for the labs
  std::optional<std::filesystem::path> log_file;
  bool quiet = false;  // no per-session log lines on stderr
};

// The "lab" profile: what a classroom wants (plaintext allowed so it can be sniffed,
// short delays so a brute-force lab does not take all afternoon).
void apply_profile(ServerSettings& settings, const std::string& profile);

// Reads a TOML config file into `settings` (only the keys present change). Relative
// paths are relative to the file's directory. Throws std::runtime_error with the file,
// line and key for anything malformed.
void load_config_file(ServerSettings& settings, const std::filesystem::path& path);

// Checks the settings make sense together; returns the problems, empty when fine.
[[nodiscard]] std::vector<std::string> validate(const ServerSettings& settings);

}  // namespace pop3::server
