#include "pop3/labs/checks.hpp"

#include <doctest/doctest.h>

#include <map>

#include "pop3/auth/apop.hpp"

using namespace pop3;
using namespace pop3::labs;
using trace::Record;

namespace {

// A small trace builder: records for one session at a time.
struct TraceBuilder {
  std::vector<Record> records;
  std::map<std::string, std::uint64_t> seq;
  TraceBuilder& add(const std::string& session, trace::Body body) {
    records.push_back(Record{session, seq[session]++, trace::Micros{0}, std::move(body)});
    return *this;
  }
  TraceBuilder& start(const std::string& session, trace::Role role) {
    trace::SessionStartRecord s;
    s.role = role;
    return add(session, s);
  }
  TraceBuilder& command(const std::string& session, std::string verb,
                        std::vector<std::string> args = {}) {
    return add(session, trace::CommandRecord{std::move(verb), std::move(args), false});
  }
  TraceBuilder& reply(const std::string& session, std::string verb, Status status,
                      std::optional<std::string> code = {}) {
    trace::ReplyRecord r;
    r.verb = std::move(verb);
    r.status = status;
    r.code = std::move(code);
    return add(session, r);
  }
  TraceBuilder& state(const std::string& session, std::string from, std::string to) {
    return add(session, trace::StateChangeRecord{std::move(from), std::move(to), ""});
  }
  TraceBuilder& end(const std::string& session, bool update) {
    return add(session, trace::SessionEndRecord{update, ""});
  }
};

std::filesystem::path tiny() {
  return std::filesystem::path(POP3LAB_LABS) / "wordlists" / "tiny.txt";
}

Check make(std::string kind) {
  Check c;
  c.id = kind;
  c.description = kind;
  c.kind = std::move(kind);
  return c;
}

// The deletion story of lab 3: DELE 1 and 2, RSET, DELE 3, QUIT.
TraceBuilder deletion_trace(bool quit) {
  TraceBuilder t;
  t.start("s", trace::Role::Server);
  for (const char* n : {"1", "2"}) {
    t.command("s", "DELE", {n});
    t.reply("s", "DELE", Status::Ok);
  }
  t.command("s", "RSET").reply("s", "RSET", Status::Ok);
  t.command("s", "DELE", {"3"}).reply("s", "DELE", Status::Ok);
  t.command("s", "DELE", {"9"}).reply("s", "DELE", Status::Err);
  if (quit) t.command("s", "QUIT").reply("s", "QUIT", Status::Ok);
  t.end("s", quit);
  return t;
}

}  // namespace

TEST_CASE("every check kind holds on a trace that shows it and fails on one that does not") {
  TraceBuilder empty;
  empty.start("c", trace::Role::Client);

  TraceBuilder full;
  full.start("c", trace::Role::Client);
  full.state("c", "AUTHORIZATION", "TRANSACTION");
  full.command("c", "STAT").reply("c", "STAT", Status::Ok);
  full.reply("c", "PASS", Status::Err, std::string("IN-USE"));
  full.add("c", trace::ExposureRecord{Direction::ClientToServer, 5, 10, "cleartext",
                                      "PASS argument", trace::Channel::Plain});
  full.add("c", trace::WireBytesRecord{Direction::ClientToServer, trace::Channel::Plain, 0,
                                       "PASS wonder", false});
  full.add("c", trace::WireBytesRecord{Direction::ClientToServer, trace::Channel::Plain, 11,
                                       "land\r\n", false});
  full.add("c", trace::TlsEstablishedRecord{"TLSv1.3", "TLS_AES_128_GCM_SHA256"});
  full.add("c", trace::TlsFailedRecord{"certificate verify failed"});
  full.add("c", trace::InjectionDiscardedRecord{Direction::ServerToClient, 40});
  full.add("c", trace::ViolationRecord{"tls_injection", "peer_violation", "", "", false});
  // An APOP login of alice with a weak password, as an eavesdropper recorded it.
  const std::string ts = "<1896.697170952@dbc.mtview.ca.us>";
  full.add("c",
           trace::WireBytesRecord{
               Direction::ServerToClient, trace::Channel::Plain, 0,
               "+OK POP3 ready " + ts + "\r\n-ERR [AUTH] no\r\n+OK alice's maildrop\r\n", false});
  full.add("c", trace::WireBytesRecord{
                    Direction::ClientToServer, trace::Channel::Plain, 17,
                    "APOP alice " + auth::apop_digest(ts, Secret("sunshine")) + "\r\n", false});
  full.add("c", trace::AppBytesRecord{Direction::ServerToClient, 0,
                                      "+OK Capability list follows\r\nSTLS\r\n.\r\n", false});
  full.start("link", trace::Role::Simulator);
  full.add("link", trace::NoteRecord{"stls-stripper: removed \"STLS\" from the CAPA reply"});
  // A PASS whose -ERR came 600 ms later (a failure delay).
  full.records.push_back(Record{"c", full.seq["c"]++, trace::Micros{1'000'000},
                                trace::CommandRecord{"PASS", {"x"}, false}});
  {
    trace::ReplyRecord r;
    r.verb = "PASS";
    r.status = Status::Err;
    full.records.push_back(Record{"c", full.seq["c"]++, trace::Micros{1'600'000}, r});
  }
  full.end("c", true);

  std::vector<Check> checks;
  auto add = [&](Check c) { checks.push_back(std::move(c)); };
  {
    Check c = make("state");
    c.state = "TRANSACTION";
    add(c);
  }
  {
    Check c = make("command");
    c.verb = "stat";
    add(c);
  }
  {
    Check c = make("reply");
    c.verb = "PASS";
    c.status = "err";
    c.code = "IN-USE";
    add(c);
  }
  {
    Check c = make("exposure");
    c.exposure = "cleartext";
    c.channel = "plain";
    add(c);
  }
  {
    Check c = make("secret_in_clear");
    add(c);
  }
  {
    Check c = make("wire_contains");
    c.text = "wonderland";
    add(c);
  }  // across two records
  add(make("tls"));
  add(make("tls_failed"));
  add(make("injection_discarded"));
  {
    Check c = make("violation");
    c.error = "tls_injection";
    add(c);
  }
  {
    Check c = make("update");
    c.done = true;
    add(c);
  }
  {
    Check c = make("received");
    c.text = "STLS";
    add(c);
  }
  {
    Check c = make("note");
    c.text = "removed \"STLS\"";
    add(c);
  }
  {
    Check c = make("delay");
    c.verb = "PASS";
    c.status = "err";
    c.ms = 500;
    add(c);
  }
  {
    Check c = make("cracked");
    c.wordlist_path = tiny();
    add(c);
  }
  REQUIRE(checks.size() == check_kinds().size() - 1);  // "deleted" has its own test

  for (const auto& c : checks) {
    CAPTURE(c.kind);
    const CheckResult yes = evaluate(c, full.records);
    CHECK(yes.holds);
    CHECK_FALSE(yes.evidence.empty());
    CHECK_FALSE(evaluate(c, empty.records).holds);
    Check negated = c;
    negated.expect = false;
    CHECK_FALSE(evaluate(negated, full.records).holds);
    CHECK(evaluate(negated, empty.records).holds);
  }
}

TEST_CASE("deleted counts the DELEs that UPDATE carried out, after RSET, and none without QUIT") {
  Check c = make("deleted");
  c.count = 1;
  CHECK(evaluate(c, deletion_trace(true).records).holds);
  c.count = 0;
  CHECK_FALSE(evaluate(c, deletion_trace(true).records).holds);
  CHECK(evaluate(c, deletion_trace(false).records).holds);
  Check any = make("deleted");
  CHECK(evaluate(any, deletion_trace(true).records).holds);
  CHECK_FALSE(evaluate(any, deletion_trace(false).records).holds);
}

TEST_CASE("a role restricts a check to the client's or the server's sessions") {
  TraceBuilder t;
  t.start("client", trace::Role::Client).command("client", "STAT");
  t.start("server", trace::Role::Server);
  Check c = make("command");
  c.verb = "STAT";
  c.role = "client";
  CHECK(evaluate(c, t.records).holds);
  c.role = "server";
  CHECK_FALSE(evaluate(c, t.records).holds);
}

TEST_CASE("a secret that crossed inside TLS is not a secret in clear") {
  TraceBuilder t;
  t.start("c", trace::Role::Client);
  t.add("c", trace::ExposureRecord{Direction::ClientToServer, 5, 10, "cleartext", "PASS argument",
                                   trace::Channel::Tls});
  CHECK_FALSE(evaluate(make("secret_in_clear"), t.records).holds);
  Check tls = make("exposure");
  tls.channel = "tls";
  CHECK(evaluate(tls, t.records).holds);
}

TEST_CASE("without wire records, plaintext application bytes are what an eavesdropper saw") {
  TraceBuilder t;
  t.start("c", trace::Role::Client);
  t.add("c", trace::AppBytesRecord{Direction::ClientToServer, 0, "PASS hunter2\r\n", false});
  Check c = make("wire_contains");
  c.text = "hunter2";
  CHECK(evaluate(c, t.records).holds);
  t.add("c", trace::TlsEstablishedRecord{"TLSv1.3", "x"});
  CHECK_FALSE(evaluate(c, t.records).holds);  // the session went under TLS: not conclusive
}

TEST_CASE("the new kinds say what they judged, and their parameters narrow them") {
  TraceBuilder t;
  t.start("client", trace::Role::Client);
  t.start("server", trace::Role::Server);
  t.add("client",
        trace::AppBytesRecord{Direction::ServerToClient, 0, "+OK\r\nUSER\r\n.\r\n", false});
  t.add("server",
        trace::AppBytesRecord{Direction::ClientToServer, 0, "STLS\r\nUSER mallory\r\n", false});
  t.command("server", "USER", {"mallory"});

  SUBCASE("received reads what the client took in, or with role server what the server did") {
    Check c = make("received");
    c.text = "USER mallory";
    CHECK_FALSE(evaluate(c, t.records).holds);  // the client never got it
    c.role = "server";
    CHECK(evaluate(c, t.records).holds);
  }
  SUBCASE("command with text looks at the arguments") {
    Check c = make("command");
    c.verb = "USER";
    c.text = "mallory";
    CHECK(evaluate(c, t.records).holds);
    c.text = "alice";
    CHECK_FALSE(evaluate(c, t.records).holds);
  }
  SUBCASE("delay needs the reply to come late enough") {
    t.records.push_back(
        Record{"client", 9, trace::Micros{0}, trace::CommandRecord{"PASS", {"x"}, false}});
    trace::ReplyRecord r;
    r.verb = "PASS";
    r.status = Status::Err;
    t.records.push_back(Record{"client", 10, trace::Micros{200'000}, r});
    Check c = make("delay");
    c.verb = "PASS";
    c.ms = 500;
    const auto res = evaluate(c, t.records);
    CHECK_FALSE(res.holds);
    CHECK(res.evidence.find("200 ms") != std::string::npos);
    c.ms = 200;
    CHECK(evaluate(c, t.records).holds);
  }
  SUBCASE("cracked with text wants that password, and a capture under TLS has nothing to crack") {
    const std::string ts = "<1.2@localhost>";
    t.add("client",
          trace::AppBytesRecord{Direction::ServerToClient, 0, "+OK ready " + ts + "\r\n", false});
    TraceBuilder apop;
    apop.start("link", trace::Role::Simulator);
    apop.add("link", trace::WireBytesRecord{Direction::ServerToClient, trace::Channel::Plain, 0,
                                            "+OK ready " + ts + "\r\n+OK maildrop\r\n", false});
    apop.add("link",
             trace::WireBytesRecord{
                 Direction::ClientToServer, trace::Channel::Plain, 0,
                 "APOP alice " + auth::apop_digest(ts, Secret("sunshine")) + "\r\n", false});
    Check c = make("cracked");
    c.wordlist_path = tiny();
    c.text = "sunshine";
    const auto yes = evaluate(c, apop.records);
    CHECK(yes.holds);
    CHECK(yes.evidence.find("word 10 of 12") != std::string::npos);
    c.text = "dragon";
    CHECK_FALSE(evaluate(c, apop.records).holds);
    TraceBuilder strong;  // a password in no list
    strong.start("link", trace::Role::Simulator);
    strong.add("link", trace::WireBytesRecord{Direction::ServerToClient, trace::Channel::Plain, 0,
                                              "+OK ready " + ts + "\r\n-ERR [AUTH] no\r\n", false});
    strong.add("link",
               trace::WireBytesRecord{
                   Direction::ClientToServer, trace::Channel::Plain, 0,
                   "APOP alice " + auth::apop_digest(ts, Secret("v7#Qm!traffic")) + "\r\n", false});
    c.text.clear();
    const auto no = evaluate(c, strong.records);
    CHECK_FALSE(no.holds);
    CHECK(no.evidence.find("not cracked") != std::string::npos);
  }
}
