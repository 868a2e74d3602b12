#include "privileges.hpp"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace pop3::server {

bool running_as_root() noexcept {
  return geteuid() == 0;
}

void drop_privileges(const std::string& user) {
  std::vector<char> buffer(16384);
  passwd pw{};
  passwd* found = nullptr;
  if (getpwnam_r(user.c_str(), &pw, buffer.data(), buffer.size(), &found) != 0 || !found)
    throw std::runtime_error("--run-as: no such user: " + user);
  if (geteuid() != 0) {
    if (getuid() == pw.pw_uid) return;  // already that user
    throw std::runtime_error("--run-as " + user + " needs the server to start as root");
  }
  if (initgroups(pw.pw_name, pw.pw_gid) != 0 || setgid(pw.pw_gid) != 0 || setuid(pw.pw_uid) != 0)
    throw std::runtime_error("--run-as " + user + ": " + std::strerror(errno));
  // Make sure there is no way back.
  if (setuid(0) == 0) throw std::runtime_error("--run-as " + user + ": could regain root");
}

}  // namespace pop3::server
