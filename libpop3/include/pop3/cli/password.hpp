#pragma once
// Reading a password for a command-line program: from a file, or a prompt
// on the terminal with echo off. Never echoed, never logged.
#include <filesystem>
#include <optional>
#include <string>

#include "pop3/core/secret.hpp"

namespace pop3::cli {

// The first line of the file (without its line end). Throws std::runtime_error.
[[nodiscard]] Secret read_password_file(const std::filesystem::path& path);
// Prompts on /dev/tty with echo off; nullopt when there is no terminal.
[[nodiscard]] std::optional<Secret> prompt_password(const std::string& prompt);

}  // namespace pop3::cli
