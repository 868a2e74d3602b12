#pragma once
// Where the shell's lines come from: a terminal (libedit: line editing, history, TAB
// completion) or a script on standard input (one command a line, no prompt, no echo).
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pop3::client {

class ShellInput {
 public:
  virtual ~ShellInput() = default;
  // The next line without its line end; nullopt at the end of the input.
  virtual std::optional<std::string> read_line(const std::string& prompt) = 0;
  // A line that will carry a secret (a SASL response): on a terminal, read without echo.
  virtual std::optional<std::string> read_hidden_line(const std::string& prompt) {
    return read_line(prompt);
  }
  [[nodiscard]] virtual bool interactive() const noexcept = 0;
  // Keeps a line in the history (terminal only). Never given a line that carries a secret.
  virtual void remember(const std::string& line) { (void)line; }
  // The terminal echoed `typed` (which carries a secret) as it was typed: overwrite that
  // screen line with `masked`.
  virtual void mask_echo(const std::string& prompt, const std::string& typed,
                         const std::string& masked) {
    (void)prompt;
    (void)typed;
    (void)masked;
  }
};

// The words TAB may complete `word` to, given the text before it on the line.
using Completer =
    std::function<std::vector<std::string>(std::string_view before, std::string_view word)>;

// libedit on standard input/output. History is kept in memory and in
// $XDG_STATE_HOME/pop3lab/shell_history (else ~/.local/state/pop3lab/shell_history), 0600.
[[nodiscard]] std::unique_ptr<ShellInput> make_terminal_input(Completer completer);
// Lines read with std::getline; a trailing CR is dropped.
[[nodiscard]] std::unique_ptr<ShellInput> make_script_input(std::istream& in);

}  // namespace pop3::client
