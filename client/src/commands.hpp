#pragma once
// The one-shot commands: info, list, uidl, top, retr, dele. Each opens a session (see
// session.hpp), does one thing, QUITs, and returns an exit code.
#include <cstddef>
#include <filesystem>
#include <optional>

#include "settings.hpp"

namespace pop3::client {

int run_info(const Settings& settings);
int run_list(const Settings& settings, bool uidl);
int run_top(const Settings& settings, std::size_t message, std::size_t lines);
int run_retr(const Settings& settings, std::size_t message,
             const std::optional<std::filesystem::path>& output);
int run_dele(const Settings& settings, std::size_t message);

}  // namespace pop3::client
