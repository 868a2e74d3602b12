#include "explain.hpp"

#include <variant>

#include "pop3/core/codec.hpp"
#include "pop3/core/command_table.hpp"

namespace pop3::client {
namespace {

std::string code_meaning(const Reply& reply) {
  if (!reply.code) return "";
  return "[" + reply.code->text + "] " + std::string(reply.code->meaning());
}

// The reason, then what the response code adds (if there is one).
std::string with_code(std::string reason, const Reply& reply) {
  const std::string code = code_meaning(reply);
  if (code.empty()) return reason;
  if (reason.empty()) return code;
  return reason + " " + code;
}

std::string wrong_state(Verb verb, State state) {
  const std::string name(verb_name(verb));
  const auto& spec = spec_of(verb);
  if (state == State::SaslExchange)
    return "an AUTH exchange is under way: every line answers the server's \"+ \" challenge "
           "(base64), or \"*\" "
           "cancels it.";
  if (verb == Verb::Pass)
    return "PASS is only valid right after USER got +OK (AUTHORIZATION/USER): send USER first.";
  std::string why = name + " is only valid in " + legal_states_text(verb);
  if (spec.legal.contains(State::Transaction) && !spec.legal.contains(State::Authorization))
    return why + "; log in first (login, user + pass, apop or auth).";
  if (state == State::Transaction) return why + "; you are already logged in.";
  if (state == State::AwaitingPass)
    return why + "; after USER the server waits for PASS (or QUIT).";
  return why + ".";
}

// A capability the command needs that CAPA did not list; empty when nothing is missing
// (or CAPA was not asked).
std::string missing_capability(const Attempt& a, Verb verb, const std::vector<std::string>& args) {
  if (!a.capabilities_known) return "";
  const auto& caps = a.capabilities;
  const auto& spec = spec_of(verb);
  const std::string later = a.tls_active ? "" : " (some servers offer it only after STLS)";
  if (verb == Verb::Auth && !args.empty()) {
    if (!caps.has("SASL"))
      return "CAPA lists no SASL mechanisms: this server has no AUTH here" + later + ".";
    if (!caps.has_sasl(args[0])) {
      std::string offered;
      for (const auto& m : caps.sasl_mechanisms())
        offered += " " + m;
      return "CAPA offers SASL" + offered + "; " + args[0] + " is not among them" + later + ".";
    }
    return "";
  }
  if (verb == Verb::Stls && a.tls_active)
    return "TLS is already active: STLS only upgrades a plaintext connection.";
  if (spec.capability.empty() || spec.capability == "SASL") return "";
  if (caps.has(spec.capability)) return "";
  const std::string cap(spec.capability);
  if (verb == Verb::User || verb == Verb::Pass)
    return "CAPA does not list USER: the server does not accept USER/PASS here" + later + ".";
  return "CAPA does not list " + cap + ": the server does not offer " +
         std::string(verb_name(verb)) + (verb == Verb::Stls ? "" : later) + ".";
}

std::string refused_login(const Attempt& a, Verb verb, const Reply& reply) {
  if (reply.code) {
    return "the server refused the login. " + code_meaning(reply) +
           " The session is back at the start of "
           "AUTHORIZATION.";
  }
  std::string why =
      "the server refused the login: wrong user name or password (servers answer the same for "
      "both, so an attacker learns nothing), or the account is locked.";
  if (verb == Verb::Apop && !a.apop_offered)
    why = "the greeting had no <timestamp>, so the server does not offer APOP here.";
  return why + " The session is back at the start of AUTHORIZATION.";
}

}  // namespace

std::string explain_command(Verb verb) {
  const auto& spec = spec_of(verb);
  return std::string(spec.name) + ": " + std::string(spec.summary) + " (" + std::string(spec.rfc) +
         ")";
}

std::string legal_states_text(Verb verb) {
  const auto& legal = spec_of(verb).legal;
  std::string out;
  auto add = [&](std::string_view name) {
    if (!out.empty()) out += " or ";
    out += name;
  };
  if (legal.contains(State::Authorization)) {
    add("AUTHORIZATION");
  } else if (legal.contains(State::AwaitingPass)) {
    add("AUTHORIZATION/USER");
  }
  if (legal.contains(State::Transaction)) add("TRANSACTION");
  return out;
}

std::string explain_refusal(const Attempt& a, const Reply& reply) {
  if (a.sasl_response && a.line == "*")
    return with_code(
        "\"*\" cancelled the exchange, as RFC 5034 §4 allows; the server must answer -ERR. Back to "
        "AUTHORIZATION.",
        reply);
  if (a.sasl_response) {
    return with_code(
        "the server ended the SASL exchange: the credentials were wrong, the response was not "
        "valid "
        "base64 for this mechanism, or \"*\" cancelled it. Back to AUTHORIZATION.",
        reply);
  }
  if (!a.verb) {
    return with_code(
        "\"" + a.keyword.substr(0, 20) +
            "\" is not a POP3 command (RFC 1939, 2449, 2595, 5034 and 6856 define USER, PASS, "
            "APOP, AUTH, STLS, CAPA, UTF8, STAT, LIST, RETR, DELE, NOOP, RSET, QUIT, TOP, UIDL).",
        reply);
  }
  const Verb verb = *a.verb;
  if (!spec_of(verb).legal.contains(a.state) || a.state == State::SaslExchange)
    return with_code(wrong_state(verb, a.state), reply);

  std::vector<std::string> args;
  auto parsed = parse_command(a.line);
  if (auto* problem = std::get_if<ParseError>(&parsed)) {
    return with_code(
        "bad argument: " + problem->message + " (" + std::string(spec_of(verb).synopsis) + ").",
        reply);
  }
  args = std::get<Command>(parsed).args;

  if (std::string missing = missing_capability(a, verb, args); !missing.empty())
    return with_code(missing, reply);

  switch (verb) {
    case Verb::Pass:
    case Verb::Apop:
      return refused_login(a, verb, reply);
    case Verb::Auth:
      if (args.empty())
        return with_code(
            "this server does not list its mechanisms in answer to a bare AUTH; CAPA's SASL line "
            "does.",
            reply);
      return refused_login(a, verb, reply);
    case Verb::User:
      return with_code(
          "the server refused USER: it may allow USER/PASS only under TLS, or refuse this name "
          "outright (most servers wait for PASS so as not to reveal which names exist).",
          reply);
    case Verb::Stls:
      return with_code(
          "the server refused STLS: it may have no certificate, or TLS may already be active.",
          reply);
    case Verb::Retr:
    case Verb::Dele:
    case Verb::Top:
    case Verb::List:
    case Verb::Uidl:
      return with_code(
          "there is no message with that number, or it is marked as deleted (DELE; RSET unmarks). "
          "Numbers start at 1 and never change within a session; STAT and LIST show which exist.",
          reply);
    case Verb::Utf8:
      return with_code("the server refused UTF-8 mode.", reply);
    default:
      break;
  }
  return with_code("the server refused it; its text says why.", reply);
}

}  // namespace pop3::client
