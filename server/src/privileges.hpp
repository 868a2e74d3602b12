#pragma once
// Dropping root: after the listeners are bound and the secrets read, become `user`
// (its uid, gid and supplementary groups) before any mail is touched.
#include <string>

namespace pop3::server {

// Throws std::runtime_error if the user does not exist or the switch fails (a server
// that was asked to drop privileges must not go on as root).
void drop_privileges(const std::string& user);
[[nodiscard]] bool running_as_root() noexcept;

}  // namespace pop3::server
