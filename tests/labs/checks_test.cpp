#include <doctest/doctest.h>

#include <map>

#include "pop3/labs/checks.hpp"

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
  TraceBuilder& command(const std::string& session, std::string verb, std::vector<std::string> args = {}) {
    return add(session, trace::CommandRecord{std::move(verb), std::move(args), false});
  }
  TraceBuilder& reply(const std::string& session, std::string verb, Status status, std::optional<std::string> code = {}) {
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
  full.add("c", trace::ExposureRecord{Direction::ClientToServer, 5, 10, "cleartext", "PASS argument", trace::Channel::Plain});
  full.add("c", trace::WireBytesRecord{Direction::ClientToServer, trace::Channel::Plain, 0, "PASS wonder", false});
  full.add("c", trace::WireBytesRecord{Direction::ClientToServer, trace::Channel::Plain, 11, "land\r\n", false});
  full.add("c", trace::TlsEstablishedRecord{"TLSv1.3", "TLS_AES_128_GCM_SHA256"});
  full.add("c", trace::TlsFailedRecord{"certificate verify failed"});
  full.add("c", trace::InjectionDiscardedRecord{Direction::ServerToClient, 40});
  full.add("c", trace::ViolationRecord{"tls_injection", "peer_violation", "", "", false});
  full.end("c", true);

  std::vector<Check> checks;
  auto add = [&](Check c) { checks.push_back(std::move(c)); };
  { Check c = make("state"); c.state = "TRANSACTION"; add(c); }
  { Check c = make("command"); c.verb = "stat"; add(c); }
  { Check c = make("reply"); c.verb = "PASS"; c.status = "err"; c.code = "IN-USE"; add(c); }
  { Check c = make("exposure"); c.exposure = "cleartext"; c.channel = "plain"; add(c); }
  { Check c = make("secret_in_clear"); add(c); }
  { Check c = make("wire_contains"); c.text = "wonderland"; add(c); }  // across two records
  add(make("tls"));
  add(make("tls_failed"));
  add(make("injection_discarded"));
  { Check c = make("violation"); c.error = "tls_injection"; add(c); }
  { Check c = make("update"); c.done = true; add(c); }
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
  t.add("c", trace::ExposureRecord{Direction::ClientToServer, 5, 10, "cleartext", "PASS argument", trace::Channel::Tls});
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
