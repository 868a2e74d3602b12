#pragma once
// What one pop3-client run works with, merged from the command line and, with
// --config/--account, from an account in a TOML file (the command line wins).
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "pop3/net/client.hpp"

namespace pop3::client {

struct Settings {
  std::string account;  // the account's name ("" without --config)
  net::Pop3Url url;
  net::TlsMode tls = net::TlsMode::StartTls;
  net::ClientTlsOptions tls_options;
  std::optional<std::string> auth;  // "USER", "APOP", or a SASL mechanism; empty: the strongest
  std::optional<std::filesystem::path> password_file;
  std::optional<std::filesystem::path> trace;
  bool trace_expose_secrets = false;  // keep passwords in --trace (labs that teach sniffing)
  bool verbose = false;
  std::chrono::milliseconds timeout{30000};
  // fetch
  std::optional<std::filesystem::path> maildir;
  std::optional<std::filesystem::path> mbox;
  bool keep = true;
  bool only_new = false;
  std::uint64_t max_size = 0;  // 0: no limit
  std::optional<std::filesystem::path> uidl_store;
};

// "implicit", "starttls", "none".
[[nodiscard]] std::optional<net::TlsMode> parse_tls_mode(std::string_view text);
[[nodiscard]] std::string_view tls_mode_name(net::TlsMode mode);

// The accounts of a TOML file:
//   [accounts.NAME]
//   url = "pop3://alice@mail.example:110"   tls = "starttls"   cafile = "ca.pem"
//   insecure = false   auth = "SCRAM-SHA-256"   password_file = "pw"
//   maildir = "~/Mail/NAME"  (or mbox = "...")   keep = true   only_new = true
//   max_size = 10485760   uidl_store = "..."   timeout_seconds = 30
// Relative paths are relative to the file; "~/" is the home directory. Throws
// std::runtime_error naming the file, line and key for anything malformed.
[[nodiscard]] std::vector<Settings> load_accounts(const std::filesystem::path& file);

// The default UIDL store of an account: $XDG_STATE_HOME/pop3lab/uidl/<user@host:port>,
// else ~/.local/state/pop3lab/uidl/...
[[nodiscard]] std::filesystem::path default_uidl_store(const Settings& settings);

}  // namespace pop3::client
