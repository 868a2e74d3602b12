#include "pop3/cli/password.hpp"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>

namespace pop3::cli {

Secret read_password_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read the password file " + path.string());
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  Secret secret(std::move(line));
  return secret;
}

std::optional<Secret> prompt_password(const std::string& prompt) {
  const int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  termios old{};
  const bool is_tty = tcgetattr(fd, &old) == 0;
  if (is_tty) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(fd, TCSAFLUSH, &quiet);
  }
  (void)!::write(fd, prompt.data(), prompt.size());
  std::string value;
  char c = 0;
  while (::read(fd, &c, 1) == 1 && c != '\n') value.push_back(c);
  if (is_tty) tcsetattr(fd, TCSAFLUSH, &old);
  (void)!::write(fd, "\n", 1);
  ::close(fd);
  if (!value.empty() && value.back() == '\r') value.pop_back();
  return Secret(std::move(value));
}

}  // namespace pop3::cli
