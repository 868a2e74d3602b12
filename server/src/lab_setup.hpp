#pragma once
// The lab directory pop3-server makes when started with no arguments: a users file, a
// Maildir per user with sample mail chosen to show the protocol's corners (lines that
// begin with ".", 8-bit text, a large message), and settings listening on loopback only.
#include <filesystem>
#include <string>
#include <vector>

#include "settings.hpp"

namespace pop3::server {

struct LabUser {
  std::string name;
  std::string password;  // lab accounts: the point is to watch these cross the wire
};

// The accounts of the lab directory.
[[nodiscard]] const std::vector<LabUser>& lab_users();

// Where the lab directory goes: $POP3LAB_LAB_DIR, else $XDG_DATA_HOME/pop3lab/lab, else
// ~/.local/share/pop3lab/lab.
[[nodiscard]] std::filesystem::path default_lab_directory();

// Creates (or completes) the lab directory and returns settings that serve it with the
// lab profile on 127.0.0.1:1110 (plaintext + STLS) and 127.0.0.1:1995 (TLS). A user
// whose maildrop is empty gets the sample mail again, so every run starts with mail.
ServerSettings prepare_lab(const std::filesystem::path& dir);

// What to tell a person who just started the lab server: how to connect with
// pop3-client, curl and Python, using the real ports.
[[nodiscard]] std::string lab_instructions(const std::filesystem::path& dir,
                                           const std::vector<std::string>& plain,
                                           const std::vector<std::string>& tls,
                                           const std::filesystem::path& cert);

// The sample messages (RFC 5322 text with LF line ends, as they are stored).
[[nodiscard]] std::vector<std::string> sample_messages(const std::string& user);

}  // namespace pop3::server
