#include "pop3/cli/password.hpp"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <csignal>
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

namespace {

// While echo is off, Ctrl-C (or a TERM) must not leave the terminal silent: the handler
// restores it, then lets the signal do what it would have done.
int g_tty_fd = -1;
termios g_saved{};

extern "C" void restore_echo(int sig) {
  if (g_tty_fd >= 0) tcsetattr(g_tty_fd, TCSAFLUSH, &g_saved);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

}  // namespace

std::optional<Secret> prompt_password(const std::string& prompt) {
  const int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  termios old{};
  const bool is_tty = tcgetattr(fd, &old) == 0;
  using Handler = void (*)(int);
  Handler old_int = SIG_DFL, old_term = SIG_DFL;
  if (is_tty) {
    g_tty_fd = fd;
    g_saved = old;
    old_int = std::signal(SIGINT, restore_echo);
    old_term = std::signal(SIGTERM, restore_echo);
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(fd, TCSAFLUSH, &quiet);
  }
  (void)!::write(fd, prompt.data(), prompt.size());
  std::string value;
  char c = 0;
  while (::read(fd, &c, 1) == 1 && c != '\n')
    value.push_back(c);
  if (is_tty) {
    tcsetattr(fd, TCSAFLUSH, &old);
    std::signal(SIGINT, old_int);
    std::signal(SIGTERM, old_term);
    g_tty_fd = -1;
  }
  (void)!::write(fd, "\n", 1);
  ::close(fd);
  if (!value.empty() && value.back() == '\r') value.pop_back();
  return Secret(std::move(value));
}

}  // namespace pop3::cli
