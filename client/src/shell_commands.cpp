// The shell's own commands (help, state, caps, starttls, quit, exit, raw) and the
// dispatch of a typed line: a shell command, or POP3 sent as typed.
#include "help_text.hpp"
#include "pop3/core/command_table.hpp"
#include "pop3/core/state_table.hpp"
#include "shell_completion.hpp"
#include "shell_context.hpp"

namespace pop3::client {
namespace {

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words)
    out += (out.empty() ? "" : " ") + w;
  return out;
}

// Indents every line of a multi-line text.
void print_block(ShellContext& ctx, std::string_view text, const std::string& indent) {
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = text.find('\n', start);
    ctx.display.print(indent + std::string(text.substr(start, end - start)));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
}

void print_entry(ShellContext& ctx, const HelpEntry& e) {
  if (e.pop3) {
    const auto verb = parse_verb(e.name);
    const auto& spec = spec_of(*verb);
    ctx.display.print(std::string(e.synopsis) + "  (POP3, " + std::string(e.source) +
                      "; legal in " + legal_states_text(*verb) +
                      (spec.capability.empty() ? "" : "; CAPA: " + std::string(spec.capability)) +
                      ")");
    ctx.display.print("  " + std::string(spec.summary));
    ctx.display.print("  " + std::string(e.source) + ":");
    // The quote, in quotation marks, as a block.
    std::string quoted = "\"" + std::string(e.quote) + "\"";
    const std::size_t first_end = quoted.find('\n');
    ctx.display.print("    " + quoted.substr(0, first_end));
    if (first_end != std::string::npos)
      print_block(ctx, std::string_view(quoted).substr(first_end + 1), "     ");
  } else {
    ctx.display.print(std::string(e.synopsis) + "  (shell command)");
  }
  if (!e.note.empty()) print_block(ctx, e.note, "  ");
}

void cmd_help(ShellContext& ctx, const std::vector<std::string>& args) {
  const State state = ctx.client.session().state();
  if (args.empty()) {
    ctx.display.print("Shell commands (anything else is sent to the server as typed):");
    for (const auto& e : help_entries()) {
      if (e.pop3) continue;
      std::string line = "  " + std::string(e.synopsis);
      line.resize(std::max<std::size_t>(line.size() + 1, 20), ' ');
      ctx.display.print(line + std::string(e.brief));
    }
    std::vector<std::string> verbs;
    for (Verb v : legal_verbs(state))
      verbs.emplace_back(verb_name(v));
    ctx.display.print("POP3 commands legal now (" + std::string(state_name(state)) +
                      "): " + joined(verbs));
    ctx.display.print(
        "`help COMMAND` quotes the RFC section that defines it. TAB completes commands.");
    return;
  }
  const auto entries = find_help(args[0]);
  if (entries.empty()) {
    ctx.display.print("no help for \"" + args[0] + "\": `help` lists the commands.");
    return;
  }
  for (const auto* e : entries)
    print_entry(ctx, *e);
}

void cmd_state(ShellContext& ctx) {
  const ClientSession& s = ctx.client.session();
  const State state = s.state();
  ctx.display.note("state: " + std::string(state_name(state)) + ": " +
                   std::string(state_description(state)));
  ctx.display.note(s.tls_active()
                       ? "TLS: " + ctx.client.tls_description()
                       : std::string("TLS: none; everything crosses the network in clear"));
  ctx.display.note("user: " +
                   (ctx.user.empty() ? std::string("(none yet: `user NAME`)") : ctx.user));
  std::vector<std::string> verbs;
  for (Verb v : legal_verbs(state))
    verbs.emplace_back(verb_name(v));
  ctx.display.note("POP3 commands legal now: " +
                   (verbs.empty() ? std::string("none") : joined(verbs)));
  ctx.display.note("shell commands: " + joined(shell_commands_for(state)));
  if (s.capabilities_known()) {
    std::string caps;
    for (const auto& line : s.capabilities().to_lines())
      caps += (caps.empty() ? "" : ", ") + line;
    ctx.display.note("capabilities: " + caps);
  } else {
    ctx.display.note("capabilities: not known (`caps` asks)");
  }
}

void cmd_caps(ShellContext& ctx) {
  const Attempt attempt = attempt_for(ctx, "CAPA");
  ctx.display.begin();
  const Reply reply = ctx.client.command(Command{Verb::Capa, {}});
  report(ctx, attempt, reply);
  if (!reply.ok()) return;
  for (const auto& cap : ctx.client.session().capabilities().all())
    ctx.display.note(explain_capability(cap));
}

void cmd_starttls(ShellContext& ctx) {
  const Attempt attempt = attempt_for(ctx, "STLS");
  ctx.display.begin();
  try {
    ctx.client.starttls();
  } catch (const net::ClientError& e) {
    if (e.kind() != net::FailureKind::StartTlsUnavailable || !ctx.display.last_reply()) throw;
    report(ctx, attempt, *ctx.display.last_reply());
    return;
  }
  ctx.via_stls = true;
  ctx.display.note(
      "TLS is up. What was learned in plaintext is forgotten (RFC 2595 §4): asking CAPA again.");
  cmd_caps(ctx);
}

void cmd_quit(ShellContext& ctx) {
  const Attempt attempt = attempt_for(ctx, "QUIT");
  ctx.display.begin();
  const Reply reply = ctx.client.quit();
  report(ctx, attempt, reply);
  ctx.done = true;
}

}  // namespace

void leave_without_quit(ShellContext& ctx, std::string_view why) {
  if (ctx.client.session().state() == State::Transaction) {
    ctx.display.note(std::string(why) +
                     "leaving without QUIT: the server never enters UPDATE, so the messages "
                     "marked with DELE are not deleted (RFC 1939 §6).");
  } else {
    ctx.display.note(std::string(why) + "leaving without QUIT.");
  }
  ctx.client.close();
  ctx.done = true;
}

void run_line(ShellContext& ctx, const std::string& line) {
  if (ctx.client.session().state() == State::SaslExchange) {
    send_raw(ctx, line);  // every line answers the challenge
    return;
  }
  const auto words = split_words(line);
  if (words.empty()) return;
  const std::string name = lower_case(words[0]);
  const std::vector<std::string> args(words.begin() + 1, words.end());
  const std::size_t space = line.find(' ', line.find_first_not_of(' '));
  const std::string rest = space == std::string::npos ? "" : line.substr(space + 1);

  if (name == "help") return cmd_help(ctx, args);
  if (name == "state" && args.empty()) return cmd_state(ctx);
  if (name == "caps" && args.empty()) return cmd_caps(ctx);
  if (name == "exit" && args.empty()) return leave_without_quit(ctx, "");
  if (name == "quit" && args.empty()) return cmd_quit(ctx);
  if (name == "login" && args.size() <= 1) return cmd_login(ctx, args);
  // STLS always goes through the client's STARTTLS path, which prepares the TLS context.
  if ((name == "starttls" || name == "stls") && args.empty()) return cmd_starttls(ctx);
  if (name == "user" && args.size() <= 1) return cmd_user(ctx, args);
  if (name == "pass") return cmd_pass(ctx, rest);
  if (name == "apop" && args.size() <= 1) return cmd_apop(ctx, args);
  if (name == "auth" && args.size() == 1) return cmd_auth(ctx, args[0]);
  if (name == "raw") {
    if (rest.empty()) {
      ctx.display.note("usage: raw LINE (sent exactly as typed)");
    } else if (split_words(rest).size() == 1 && lower_case(split_words(rest)[0]) == "stls") {
      cmd_starttls(ctx);
    } else {
      send_raw(ctx, rest);
    }
    return;
  }
  send_raw(ctx, line);
}

}  // namespace pop3::client
