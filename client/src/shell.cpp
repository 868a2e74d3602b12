// pop3-client shell: the loop. Connect, then read a line, run it, until quit, exit, the
// end of the input, or the end of the connection.
#include "shell.hpp"

#include <unistd.h>

#include <iostream>

#include "exit_codes.hpp"
#include "session.hpp"
#include "shell_completion.hpp"
#include "shell_context.hpp"

namespace pop3::client {
namespace {

bool blank_or_comment(const std::string& line) {
  const std::size_t first = line.find_first_not_of(" \t");
  return first == std::string::npos || line[first] == '#';
}

// The terminal showed a secret while it was typed: how to avoid that next time.
std::string secret_tip(const std::string& line) {
  auto words = split_words(line);
  if (!words.empty() && lower_case(words[0]) == "raw") words.erase(words.begin());
  if (!words.empty() && lower_case(words[0]) == "auth")
    return "tip: `auth MECH` computes the exchange for you; `raw AUTH MECH` alone reads the base64 "
           "answers "
           "without echo";
  return "tip: type `pass` alone, and the shell asks for the password without echo";
}

int failed(const net::ClientError& e) {
  std::cout.flush();
  std::cerr << "pop3-client: " << e.what() << '\n';
  return exit_code_for(e.kind());
}

int loop(ShellContext& ctx) {
  const bool terminal = ctx.input.interactive();
  if (terminal)
    ctx.display.note("type help for the commands, TAB to complete; Ctrl-D leaves without QUIT");
  while (!ctx.done) {
    const State state = ctx.client.session().state();
    if (state == State::Closed) {
      ctx.display.note("the connection is closed");
      break;
    }
    std::cout.flush();
    const bool sasl = state == State::SaslExchange;
    const std::string prompt =
        "pop3 " + std::string(state_name(state)) + (sasl ? " (base64, not echoed)> " : "> ");
    // During a SASL exchange every line answers a challenge and may carry the password.
    const auto line = sasl ? ctx.input.read_hidden_line(prompt) : ctx.input.read_line(prompt);
    if (!line) {
      leave_without_quit(ctx, "end of input: ");
      break;
    }
    if (blank_or_comment(*line) && !sasl) continue;
    if (terminal && !sasl) {
      if (line_has_secret(*line, state)) {
        ctx.input.mask_echo(prompt, *line, masked_line(*line, state));
        ctx.display.note(secret_tip(*line));
      } else {
        ctx.input.remember(*line);
      }
    }
    try {
      run_line(ctx, *line);
    } catch (const net::ClientError& e) {
      if (e.kind() == net::FailureKind::ConnectionLost) {
        ctx.display.note(
            "the server ended the connection; servers log out clients idle for 10 minutes or more "
            "(RFC 1939 §3)");
      }
      if (e.kind() != net::FailureKind::Local) return failed(e);
      ctx.display.note(std::string("not sent: ") + e.what());
    } catch (const std::runtime_error& e) {
      ctx.display.note(std::string("error: ") + e.what());
    }
  }
  return kOk;
}

}  // namespace

int run_shell(const Settings& settings) {
  // The shell prints its own transcript on standard output; -v would repeat it.
  Settings quiet = settings;
  quiet.verbose = false;
  try {
    Observer observer(quiet);
    ShellDisplay display([](const std::string& line) { std::cout << line << '\n'; });
    bool via_stls = false;
    std::unique_ptr<net::Client> client;
    try {
      client = connect_shell(settings, display, observer, via_stls);
    } catch (const net::ClientError& e) {
      return failed(e);
    }
    net::Client& c = *client;
    Completer completer = [&c](std::string_view before, std::string_view word) {
      const ClientSession& s = c.session();
      return complete(CompletionContext{s.state(), s.capabilities(), s.capabilities_known()},
                      before, word);
    };
    auto input = ::isatty(STDIN_FILENO) ? make_terminal_input(std::move(completer))
                                        : make_script_input(std::cin);
    ShellContext ctx{settings, c, display, *input, settings.url.user, via_stls, false};
    const int status = loop(ctx);
    observer.finish();
    std::cout.flush();
    return status;
  } catch (const net::ClientError& e) {
    return failed(e);
  } catch (const std::exception& e) {
    std::cout.flush();
    std::cerr << "pop3-client: " << e.what() << '\n';
    return kLocalError;
  }
}

}  // namespace pop3::client
