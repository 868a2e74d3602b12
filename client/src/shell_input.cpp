#include "shell_input.hpp"

// libedit's readline-compatible interface (Debian: libedit-dev). It declares FILE.
#include <editline/readline.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <system_error>

#include "pop3/cli/password.hpp"

namespace pop3::client {
namespace {

// libedit calls back through plain function pointers: the one terminal input of the
// process keeps its completer and the current matches here.
Completer* g_completer = nullptr;
std::vector<std::string> g_matches;
std::size_t g_next_match = 0;

char* next_match(const char* /*text*/, int state) {
  if (state == 0) g_next_match = 0;
  if (g_next_match >= g_matches.size()) return nullptr;
  // libedit frees each match with free().
  return strdup(g_matches[g_next_match++].c_str());
}

char** attempt_completion(const char* text, int start, int /*end*/) {
  rl_attempted_completion_over = 1;  // never fall back to file names
  if (!g_completer || !*g_completer) return nullptr;
  std::string before;
  if (rl_line_buffer && start > 0) before.assign(rl_line_buffer, static_cast<std::size_t>(start));
  g_matches = (*g_completer)(before, text);
  if (g_matches.empty()) return nullptr;
  return rl_completion_matches(text, next_match);
}

std::filesystem::path history_file() {
  std::filesystem::path base;
  if (const char* state = std::getenv("XDG_STATE_HOME"); state && *state) {
    base = state;
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    base = std::filesystem::path(home) / ".local" / "state";
  } else {
    return {};
  }
  return base / "pop3lab" / "shell_history";
}

class TerminalInput final : public ShellInput {
 public:
  explicit TerminalInput(Completer completer) : completer_(std::move(completer)) {
    g_completer = &completer_;
    rl_readline_name = "pop3-client";
    rl_attempted_completion_function = attempt_completion;
    rl_basic_word_break_characters = " ";
    rl_completion_append_character = ' ';
    using_history();
    stifle_history(1000);
    history_ = history_file();
    if (!history_.empty()) {
      std::error_code ec;
      if (std::filesystem::exists(history_, ec)) read_history(history_.c_str());
    }
  }

  ~TerminalInput() override {
    if (!history_.empty() && dirty_) {
      const mode_t old = ::umask(077);
      std::error_code ec;
      std::filesystem::create_directories(history_.parent_path(), ec);
      write_history(history_.c_str());
      ::umask(old);
      ::chmod(history_.c_str(), 0600);
    }
    g_completer = nullptr;
  }

  std::optional<std::string> read_line(const std::string& prompt) override {
    std::cout.flush();
    char* raw = readline(prompt.c_str());
    if (!raw) {
      std::cout << '\n';
      return std::nullopt;
    }
    std::string line(raw);
    std::free(raw);
    return line;
  }

  std::optional<std::string> read_hidden_line(const std::string& prompt) override {
    std::cout.flush();
    auto typed = cli::prompt_password(prompt);
    if (!typed) return std::nullopt;
    return std::string(typed->reveal());
  }

  [[nodiscard]] bool interactive() const noexcept override { return true; }

  void remember(const std::string& line) override {
    add_history(line.c_str());
    dirty_ = true;
  }

  void mask_echo(const std::string& prompt, const std::string& typed,
                 const std::string& masked) override {
    std::size_t columns = 80;
    winsize size{};
    if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) columns = size.ws_col;
    const std::size_t rows = (prompt.size() + typed.size()) / columns + 1;
    std::string out;
    for (std::size_t i = 0; i < rows; ++i)
      out += "\x1b[1A\r\x1b[2K";  // up one line, clear it
    out += prompt + masked + "\n";
    std::cout << out << std::flush;
  }

 private:
  Completer completer_;
  std::filesystem::path history_;
  bool dirty_ = false;
};

class ScriptInput final : public ShellInput {
 public:
  explicit ScriptInput(std::istream& in) : in_(in) {}

  std::optional<std::string> read_line(const std::string& /*prompt*/) override {
    std::string line;
    if (!std::getline(in_, line)) return std::nullopt;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  }

  [[nodiscard]] bool interactive() const noexcept override { return false; }

 private:
  std::istream& in_;
};

}  // namespace

std::unique_ptr<ShellInput> make_terminal_input(Completer completer) {
  return std::make_unique<TerminalInput>(std::move(completer));
}

std::unique_ptr<ShellInput> make_script_input(std::istream& in) {
  return std::make_unique<ScriptInput>(in);
}

}  // namespace pop3::client
