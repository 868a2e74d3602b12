#pragma once
// What every part of the shell works with, and the pieces they share: sending a line as
// typed, explaining its reply, asking for a password.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "explain.hpp"
#include "pop3/core/secret.hpp"
#include "pop3/net/client.hpp"
#include "session.hpp"
#include "settings.hpp"
#include "shell_display.hpp"
#include "shell_input.hpp"

namespace pop3::client {

struct ShellContext {
  const Settings& settings;
  net::Client& client;
  ShellDisplay& display;
  ShellInput& input;
  std::string user;       // the name login, pass, apop and auth use (`user NAME` changes it)
  bool via_stls = false;  // TLS came from STLS: the capabilities learned in plaintext are forgotten
  bool done = false;      // quit or exit
};

// Connects as the settings say (TLS, or STLS before anything for --tls=starttls), with
// state checks off so that the server's -ERR can be seen. Throws net::ClientError.
[[nodiscard]] std::unique_ptr<net::Client> connect_shell(const Settings& settings,
                                                         ShellDisplay& display, Observer& observer,
                                                         bool& via_stls);

// Runs one line typed at the shell: a shell command, or POP3 sent as typed. Throws
// net::ClientError only for what ends the session (connection lost, TLS failed, ...).
void run_line(ShellContext& ctx, const std::string& line);
// `exit` and the end of the input: close without QUIT, saying what that means.
void leave_without_quit(ShellContext& ctx, std::string_view why);

// --- shared pieces (shell_raw.cpp) -----------------------------------------------------

// The line as typed, sent as it is; then the state and, for -ERR, why.
void send_raw(ShellContext& ctx, const std::string& line);
// The session as it stands, for explain_refusal().
[[nodiscard]] Attempt attempt_for(const ShellContext& ctx, std::string_view line);
// After a reply: "-- state: X" if unchanged, then why a -ERR came back or what a "+ "
// challenge says.
void report(ShellContext& ctx, const Attempt& attempt, const Reply& reply);
// Whether a typed line carries a secret (a PASS argument, an AUTH initial response, a
// SASL response): never kept in the history, masked on the screen.
[[nodiscard]] bool line_has_secret(std::string_view line, State state);
// The line with its secret part replaced by '*'.
[[nodiscard]] std::string masked_line(std::string_view line, State state);
// The words of a line, split on spaces.
[[nodiscard]] std::vector<std::string> split_words(std::string_view line);
[[nodiscard]] std::string lower_case(std::string_view text);

// --- logging in (shell_login.cpp) --------------------------------------------------------

// --password-file, $POP3_PASSWORD, else a prompt without echo. Says which it used.
[[nodiscard]] Secret ask_password(ShellContext& ctx);
void cmd_login(ShellContext& ctx, const std::vector<std::string>& args);
void cmd_user(ShellContext& ctx, const std::vector<std::string>& args);
void cmd_pass(ShellContext& ctx, std::string_view rest);
void cmd_apop(ShellContext& ctx, const std::vector<std::string>& args);
// `explain`: say first what the mechanism protects.
void cmd_auth(ShellContext& ctx, const std::string& mechanism, bool explain = true);

}  // namespace pop3::client
