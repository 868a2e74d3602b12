#pragma once
// The shell's `help`: for every POP3 command a short quote of the RFC section that
// defines it, and for every shell command what it does. Text only: shell_commands.cpp
// prints it, the tests check it.
#include <span>
#include <string_view>
#include <vector>

namespace pop3::client {

struct HelpEntry {
  std::string_view name;      // "RETR" (POP3, upper case) or "login" (shell, lower case)
  bool pop3 = false;          // a POP3 command (else a command of the shell)
  std::string_view synopsis;  // "RETR msg"
  std::string_view source;    // "RFC 1939 §5"; empty for shell commands
  std::string_view quote;     // quoted RFC text; lines separated by '\n'
  std::string_view note;      // pop3lab's own remark (may be empty)
  std::string_view brief;     // shell commands: one line for the `help` list
};

[[nodiscard]] std::span<const HelpEntry> help_entries() noexcept;

// Every entry named `name`, case-insensitively: `help user` finds the POP3 USER command
// and the shell's `user`.
[[nodiscard]] std::vector<const HelpEntry*> find_help(std::string_view name);

}  // namespace pop3::client
