// The shell's pure parts: explanations of -ERR, completion, help text, secret detection.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "explain.hpp"
#include "help_text.hpp"
#include "pop3/core/command_table.hpp"
#include "shell_completion.hpp"
#include "shell_context.hpp"

using namespace pop3;
using namespace pop3::client;

namespace {

Attempt attempt(std::string line, State state) {
  Attempt a;
  a.keyword = line.substr(0, line.find(' '));
  a.verb = parse_verb(a.keyword);
  a.line = std::move(line);
  a.state = state;
  return a;
}

Capabilities caps(std::vector<std::string> lines) {
  return Capabilities::parse(lines);
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

TEST_CASE("explain_command quotes the table") {
  CHECK(explain_command(Verb::Stat) ==
        "STAT: Reports how many messages the maildrop holds and their total size in octets. (RFC "
        "1939 §5)");
}

TEST_CASE("a -ERR in the wrong state says which state the command needs") {
  const Reply err = Reply::negative("not now");
  CHECK(explain_refusal(attempt("STAT", State::Authorization), err) ==
        "STAT is only valid in TRANSACTION; log in first (login, user + pass, apop or auth).");
  CHECK(explain_refusal(attempt("STLS", State::Transaction), err) ==
        "STLS is only valid in AUTHORIZATION; you are already logged in.");
  CHECK(explain_refusal(attempt("PASS x", State::Authorization), err)
            .starts_with("PASS is only valid right after USER got +OK"));
  CHECK(explain_refusal(attempt("APOP a b", State::AwaitingPass), err)
            .ends_with("after USER the server waits for PASS (or QUIT)."));
}

TEST_CASE("a -ERR for a bad argument names the rule") {
  const Reply err = Reply::negative("bad");
  CHECK(explain_refusal(attempt("RETR 0", State::Transaction), err) ==
        "bad argument: \"0\" is not a message number (they start at 1) (RETR msg).");
  CHECK(explain_refusal(attempt("TOP 1", State::Transaction), err)
            .starts_with("bad argument: usage: TOP msg n"));
}

TEST_CASE("a -ERR for a capability CAPA did not list") {
  Attempt a = attempt("AUTH GSSAPI", State::Authorization);
  a.capabilities = caps({"SASL PLAIN SCRAM-SHA-256", "USER"});
  a.capabilities_known = true;
  CHECK(explain_refusal(a, Reply::negative("no")) ==
        "CAPA offers SASL PLAIN SCRAM-SHA-256; GSSAPI is not among them (some servers offer it "
        "only after STLS).");
  Attempt top = attempt("TOP 1 0", State::Transaction);
  top.capabilities = caps({"USER"});
  top.capabilities_known = true;
  top.tls_active = true;
  CHECK(explain_refusal(top, Reply::negative("no")) ==
        "CAPA does not list TOP: the server does not offer TOP.");
  Attempt stls = attempt("STLS", State::Authorization);
  stls.tls_active = true;
  stls.capabilities_known = true;
  CHECK(explain_refusal(stls, Reply::negative("no")).starts_with("TLS is already active"));
}

TEST_CASE("a refused login, with and without a response code") {
  Attempt a = attempt("PASS x", State::AwaitingPass);
  CHECK(explain_refusal(a, Reply::negative("no"))
            .starts_with("the server refused the login: wrong user name"));
  const std::string coded = explain_refusal(a, Reply::negative("no", ResponseCode::in_use()));
  CHECK(coded.find("[IN-USE] The maildrop is locked") != std::string::npos);
}

TEST_CASE("SASL responses and unknown commands") {
  Attempt cancel;
  cancel.sasl_response = true;
  cancel.line = "*";
  cancel.state = State::SaslExchange;
  CHECK(explain_refusal(cancel, Reply::negative("cancelled"))
            .starts_with("\"*\" cancelled the exchange"));
  Attempt response = cancel;
  response.line.clear();
  CHECK(explain_refusal(response, Reply::negative("no"))
            .starts_with("the server ended the SASL exchange"));
  CHECK(explain_refusal(attempt("XTND XMIT", State::Transaction), Reply::negative("?"))
            .starts_with("\"XTND\" is not a POP3 command"));
}

TEST_CASE("completion offers only what is legal in the state") {
  CompletionContext c;
  c.state = State::Authorization;
  auto all = complete(c, "", "");
  CHECK(contains(all, "USER"));
  CHECK(contains(all, "STLS"));
  CHECK(contains(all, "login"));
  CHECK_FALSE(contains(all, "STAT"));
  CHECK_FALSE(contains(all, "user"));  // offered once, as the verb
  CHECK(complete(c, "", "ST") == std::vector<std::string>{"STARTTLS", "STATE", "STLS"});
  CHECK(complete(c, "", "st") == std::vector<std::string>{"starttls", "state", "stls"});
  CHECK(complete(c, "", "RE").empty());

  c.state = State::Transaction;
  CHECK(complete(c, "", "re") == std::vector<std::string>{"retr"});
  CHECK(complete(c, "", "RS") == std::vector<std::string>{"RSET"});
  CHECK_FALSE(contains(complete(c, "", ""), "login"));
  CHECK(complete(c, "help ", "ap") == std::vector<std::string>{"apop"});
  CHECK(complete(c, "raw ", "ST") == std::vector<std::string>{"STAT"});

  c.state = State::Authorization;
  c.capabilities = caps({"SASL PLAIN CRAM-MD5"});
  c.capabilities_known = true;
  CHECK(complete(c, "auth ", "") == std::vector<std::string>{"CRAM-MD5", "PLAIN"});
  c.state = State::SaslExchange;
  CHECK(complete(c, "", "") == std::vector<std::string>{"*"});
}

TEST_CASE("every POP3 command has help with an RFC quote") {
  std::set<std::string_view> named;
  for (const auto& e : help_entries()) {
    CHECK_FALSE(e.synopsis.empty());
    if (e.pop3) {
      CHECK(parse_verb(e.name).has_value());
      CHECK(e.source == spec_of(*parse_verb(e.name)).rfc);
      CHECK_FALSE(e.quote.empty());
      named.insert(e.name);
    } else {
      CHECK_FALSE(e.brief.empty());
    }
  }
  for (const auto& spec : command_table())
    CHECK(named.count(spec.name) == 1);
  for (State s : {State::Authorization, State::AwaitingPass, State::Transaction})
    for (const auto& name : shell_commands_for(s))
      CHECK_FALSE(find_help(name).empty());
  CHECK(find_help("user").size() == 2);
  CHECK(find_help("RETR").front()->quote.find("byte-stuff") != std::string_view::npos);
}

TEST_CASE("lines that carry a secret are found and masked") {
  CHECK(line_has_secret("PASS hunter2", State::AwaitingPass));
  CHECK(line_has_secret("pass two words", State::AwaitingPass));
  CHECK_FALSE(line_has_secret("pass", State::AwaitingPass));
  CHECK(line_has_secret("raw AUTH PLAIN AGFsaWNl", State::Authorization));
  CHECK_FALSE(line_has_secret("AUTH PLAIN", State::Authorization));
  CHECK(line_has_secret("AGFsaWNl", State::SaslExchange));
  CHECK_FALSE(line_has_secret("*", State::SaslExchange));
  CHECK_FALSE(line_has_secret("user alice", State::Authorization));
  CHECK(masked_line("PASS hunter2", State::AwaitingPass) == "PASS *******");
  CHECK(masked_line("pass  two words", State::AwaitingPass) == "pass  *********");
  CHECK(masked_line("raw AUTH PLAIN AGFsaWNl", State::Authorization) == "raw AUTH PLAIN ********");
  CHECK(masked_line("APOP alice 0123", State::Authorization) == "APOP alice ****");
  CHECK(masked_line("noop", State::Transaction) == "noop");
}
