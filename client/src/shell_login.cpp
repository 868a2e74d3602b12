// The shell's login commands: login, user, pass, apop, auth. Each shows what it computes
// (with the password redacted) and sends through the same session as a typed line.
#include <cctype>
#include <cstdlib>
#include <iostream>

#include "pop3/auth/apop.hpp"
#include "pop3/auth/client_mechanisms.hpp"
#include "pop3/core/command_table.hpp"
#include "shell_context.hpp"

namespace pop3::client {
namespace {

std::string upper_case(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool need_user(ShellContext& ctx) {
  if (!ctx.user.empty()) return true;
  ctx.display.note("no user name: type `user NAME`, or give one in the URL (pop3://USER@HOST)");
  return false;
}

// Before asking for a password: is the command legal now? If not, say why instead of
// asking for a password only to see the server refuse (`raw` still sends it).
bool legal_now(ShellContext& ctx, Verb verb, std::string_view example) {
  const State state = ctx.client.session().state();
  if (spec_of(verb).legal.contains(state)) return true;
  Attempt a;
  a.keyword = verb_name(verb);
  a.verb = verb;
  a.line = example;
  a.state = state;
  ctx.display.note("not sent: " + explain_refusal(a, Reply::negative("")) + " (`raw " +
                   std::string(example) + "` sends it anyway)");
  return false;
}

void send(ShellContext& ctx, const Command& command, std::string_view line_for_checks) {
  const Attempt attempt = attempt_for(ctx, line_for_checks);
  ctx.display.begin();
  const Reply reply = ctx.client.command(command);
  report(ctx, attempt, reply);
}

}  // namespace

Secret ask_password(ShellContext& ctx) {
  Settings s = ctx.settings;
  s.url.user = ctx.user;
  if (s.password_file) {
    ctx.display.note("using the password in " + s.password_file->string());
  } else if (const char* env = std::getenv("POP3_PASSWORD"); env) {
    ctx.display.note("using the password in $POP3_PASSWORD");
  }
  std::cout.flush();  // everything shown so far comes before the prompt on the terminal
  return obtain_password(s);
}

void cmd_user(ShellContext& ctx, const std::vector<std::string>& args) {
  if (!args.empty()) ctx.user = args[0];
  if (!need_user(ctx)) return;
  send(ctx, Command{Verb::User, {ctx.user}}, "USER " + ctx.user);
}

void cmd_pass(ShellContext& ctx, std::string_view rest) {
  if (rest.empty() && !legal_now(ctx, Verb::Pass, "PASS ...")) return;
  Secret password = rest.empty() ? ask_password(ctx) : Secret(rest);
  // The line checked for the explanation holds a stand-in: the password stays here.
  send(ctx, Command{Verb::Pass, {std::string(password.reveal())}}, "PASS x");
}

void cmd_apop(ShellContext& ctx, const std::vector<std::string>& args) {
  if (!args.empty()) ctx.user = args[0];
  if (!need_user(ctx) || !legal_now(ctx, Verb::Apop, "APOP NAME DIGEST")) return;
  const auto& timestamp = ctx.client.session().apop_timestamp();
  if (!timestamp) {
    ctx.display.note(
        "the greeting has no <timestamp>, so this server does not offer APOP (RFC 1939 §7).");
    return;
  }
  const Secret password = ask_password(ctx);
  const std::string digest = auth::apop_digest(*timestamp, password);
  ctx.display.note("APOP digest = hex(MD5(\"" + *timestamp + "\" + password " +
                   std::string(Secret::redacted) +
                   ")): 32 hex digits, masked below like every secret");
  ctx.display.note(
      "the password never crosses, but whoever records the timestamp and this digest can test "
      "password guesses offline (and APOP's MD5 makes each guess cheap).");
  send(ctx, Command{Verb::Apop, {ctx.user, digest}}, "APOP " + ctx.user + " " + digest);
}

void cmd_auth(ShellContext& ctx, const std::string& mechanism, bool explain) {
  const std::string name = upper_case(mechanism);
  const auto known = auth::parse_sasl_mechanism(name);
  if (!known) {
    ctx.display.note(
        "pop3-client does not compute " + name + ": sending AUTH " + name +
        " as typed; answer the server's challenges yourself (base64 lines), or * to cancel.");
    send_raw(ctx, "AUTH " + mechanism);
    return;
  }
  if (!need_user(ctx) || !legal_now(ctx, Verb::Auth, "AUTH " + name)) return;
  if (explain) ctx.display.note(name + ": " + std::string(auth::mechanism_summary(*known)));
  auto client_mechanism = auth::make_client_mechanism(name, ctx.user, ask_password(ctx));
  const Attempt attempt = attempt_for(ctx, "AUTH " + name);
  ctx.display.begin();
  const Reply reply = ctx.client.authenticate(std::move(client_mechanism));
  report(ctx, attempt, reply);
}

void cmd_login(ShellContext& ctx, const std::vector<std::string>& args) {
  if (!need_user(ctx)) return;
  const ClientSession& session = ctx.client.session();
  std::optional<std::string> asked = ctx.settings.auth ? ctx.settings.auth : ctx.settings.url.auth;
  if (!args.empty()) asked = args[0];
  const LoginChoice choice =
      choose_login(session.capabilities(), session.apop_timestamp().has_value(), asked);
  ctx.display.note("login with " + choice.mechanism + ": " + choice.reason);
  if (choice.mechanism == "USER") {
    cmd_user(ctx, {});
    if (ctx.client.session().state() == State::AwaitingPass) cmd_pass(ctx, "");
  } else if (choice.mechanism == "APOP") {
    cmd_apop(ctx, {});
  } else {
    cmd_auth(ctx, choice.mechanism, false);  // the reason above explained it
  }
}

}  // namespace pop3::client
