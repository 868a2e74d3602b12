// Every lab under labs/ played headless on the simulator, as `pop3-lab run N --auto` does:
//  - every check holds on the lab's own run, and on that run written as JSON Lines and read
//    back (what `pop3-lab check N TRACE` does);
//  - every check can fail: there is a trace on which it does not hold. The candidates are the
//    lab's counter-runs (the same lab with one step left out, QUIT and a dropped connection
//    swapped, or one more command before the end: what a student who skips or changes a step
//    produces), the empty trace, and the other labs' runs;
//  - the simulator replays each lab byte for byte (docs/simulator.md, "Determinism").
#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "pop3/labs/checks.hpp"
#include "pop3/labs/lab_file.hpp"
#include "pop3/labs/lab_run.hpp"
#include "pop3/trace/reader.hpp"

#ifndef POP3LAB_LABS
#error "POP3LAB_LABS must name the labs/ folder of the source tree"
#endif

namespace trace = pop3::trace;
using namespace pop3::labs;

namespace {

const std::vector<Lab>& all_labs() {
  static const std::vector<Lab> labs = load_labs(POP3LAB_LABS);
  return labs;
}

std::string lab_name(const Lab& lab) {
  return "lab " + std::to_string(lab.number) + " (" + lab.slug + ")";
}

struct Played {
  std::vector<trace::Record> records;
  std::string jsonl;
};

Played play(const Lab& lab) {
  LabRun run(lab);
  run.run_all();
  std::ostringstream out;
  run.write_trace(out);
  return {run.records(), out.str()};
}

// A lab changed the way a student might change it, and what it was changed into.
struct CounterRun {
  std::string what;
  Lab lab;
};

Step send_step(std::string line) {
  Step s;
  s.action = "send";
  s.line = std::move(line);
  return s;
}

std::string describe(const Step& s) {
  if (s.action == "send") return "send " + s.line;
  if (s.action == "login") return "login " + s.user;
  if (s.action == "pipeline") {
    std::string out = "pipeline";
    for (const auto& l : s.lines)
      out += " | " + l;
    return out;
  }
  return s.action;
}

std::vector<CounterRun> counter_runs(const Lab& lab) {
  std::vector<CounterRun> out;
  // One step left out.
  for (std::size_t i = 0; i < lab.steps.size(); ++i) {
    Lab changed = lab;
    changed.steps.erase(changed.steps.begin() + static_cast<std::ptrdiff_t>(i));
    if (changed.steps.empty()) continue;
    out.push_back({"without step " + std::to_string(i + 1) + " (" + describe(lab.steps[i]) + ")",
                   std::move(changed)});
  }
  // A command the lab sends more than once, never sent at all.
  for (std::size_t i = 0; i < lab.steps.size(); ++i) {
    const Step& s = lab.steps[i];
    if (s.action != "send") continue;
    auto same = [&](const Step& t) { return t.action == "send" && t.line == s.line; };
    if (std::count_if(lab.steps.begin(), lab.steps.end(), same) < 2) continue;
    if (std::find_if(lab.steps.begin(), lab.steps.end(), same) !=
        lab.steps.begin() + static_cast<std::ptrdiff_t>(i))
      continue;  // once per command
    Lab changed = lab;
    std::erase_if(changed.steps, same);
    out.push_back({"without any " + s.line, std::move(changed)});
  }
  // The way the session ends, the other way round: QUIT instead of a dropped connection and
  // a dropped connection instead of QUIT.
  {
    Lab changed = lab;
    bool any = false;
    for (auto& s : changed.steps) {
      if (s.action == "quit")
        s.action = "drop", any = true;
      else if (s.action == "drop")
        s.action = "quit", any = true;
    }
    if (any) out.push_back({"with QUIT and drop swapped", std::move(changed)});
  }
  // The lab one switch away (pop3-lab run N --tls): a plaintext lab under STLS, a TLS lab
  // without TLS. The exposure checks are the ones this makes fail.
  {
    Lab changed = lab_uses_tls(lab) ? tls_variant(lab, "none") : tls_variant(lab, "stls");
    out.push_back(
        {lab_uses_tls(lab) ? "without TLS" : "with STLS after the greeting", std::move(changed)});
  }
  // Nobody on the link: the attacker's part of the lesson disappears.
  if (!lab.scenario.attacker.empty()) {
    Lab changed = lab;
    changed.scenario.attacker.clear();
    out.push_back({"without the attacker", std::move(changed)});
  }
  // One more command before the last step: things a student adds on their own.
  for (const char* extra : {"DELE 1", "RETR 1"}) {
    Lab changed = lab;
    changed.steps.insert(changed.steps.end() - 1, send_step(extra));
    out.push_back({std::string("with ") + extra + " before the last step", std::move(changed)});
  }
  return out;
}

// A note with its certificate fingerprint cut out and every digit a '#'.
std::string without_numbers(std::string text) {
  if (const auto at = text.find("SHA-256 "); at != std::string::npos) {
    const auto end = text.find_first_of("),", at);
    text.erase(at, end == std::string::npos ? std::string::npos : end - at);
  }
  for (char& c : text)
    if (c >= '0' && c <= '9') c = '#';
  return text;
}

// The first line where two JSON Lines texts differ, for a readable failure.
std::string first_difference(const std::string& a, const std::string& b) {
  std::istringstream ia(a), ib(b);
  std::string la, lb;
  for (std::size_t n = 1;; ++n) {
    const bool more_a = static_cast<bool>(std::getline(ia, la));
    const bool more_b = static_cast<bool>(std::getline(ib, lb));
    if (!more_a && !more_b) return "";
    if (more_a != more_b || la != lb)
      return "line " + std::to_string(n) + ":\n  " + (more_a ? la : "(end)") + "\n  " +
             (more_b ? lb : "(end)");
  }
}

}  // namespace

TEST_CASE("a lab one switch away: STLS after the greeting, implicit TLS, or TLS taken out") {
  const auto& labs = all_labs();
  const Lab& first = labs.front();
  REQUIRE_FALSE(lab_uses_tls(first));
  const Lab stls = tls_variant(first, "stls");
  CHECK(stls.scenario.tls == "stls");
  REQUIRE(stls.steps.size() == first.steps.size() + 1);
  CHECK(stls.steps[0].action == "connect");
  CHECK(stls.steps[1].action == "starttls");
  CHECK(lab_uses_tls(stls));
  CHECK(stls.checks.size() == first.checks.size());
  const Lab implicit = tls_variant(first, "implicit");
  CHECK(implicit.scenario.tls == "implicit");
  CHECK(implicit.steps.size() == first.steps.size());
  const Lab back = tls_variant(stls, "none");
  CHECK(back.scenario.tls == "none");
  CHECK(back.steps.size() == first.steps.size());
  CHECK_THROWS_AS((void)tls_variant(first, "dtls"), std::invalid_argument);
  // Played: the password of lab 1 crosses inside TLS in both variants.
  for (const Lab* v : {&stls, &implicit}) {
    LabRun run(*v);
    run.run_all();
    Check sniffed;
    sniffed.kind = "secret_in_clear";
    CHECK_FALSE(evaluate(sniffed, run.records()).holds);
    Check in_tls;
    in_tls.kind = "exposure";
    in_tls.channel = "tls";
    CHECK(evaluate(in_tls, run.records()).holds);
  }
}

TEST_CASE(
    "the labs load: numbers 1 to 5 at least, each with text, titled steps and 4 to 8 checks") {
  const auto& labs = all_labs();
  REQUIRE(labs.size() >= 5);
  for (int n = 1; n <= 5; ++n) {
    CAPTURE(n);
    CHECK(labs[static_cast<std::size_t>(n - 1)].number == n);
  }
  for (const auto& lab : labs) {
    CAPTURE(lab_name(lab));
    CHECK_FALSE(lab.background.empty());
    CHECK_FALSE(lab.objectives.empty());
    CHECK(lab.checks.size() >= 4);
    CHECK(lab.checks.size() <= 8);
    CHECK(lab.steps.front().action == "connect");
    std::size_t questions = 0;
    for (const auto& s : lab.steps) {
      CAPTURE(describe(s));
      CHECK_FALSE(s.title.empty());
      CHECK_FALSE(s.look.empty());
      if (!s.question.empty()) ++questions;
    }
    CHECK(2 * questions >= lab.steps.size());  // most steps ask something
    for (const auto& c : lab.checks)
      if (c.hint.empty()) MESSAGE(lab_name(lab) << ": check \"" << c.id << "\" has no hint");
  }
}

TEST_CASE("every lab runs headless and every one of its checks holds") {
  for (const auto& lab : all_labs()) {
    CAPTURE(lab_name(lab));
    const Played played = play(lab);
    REQUIRE_FALSE(played.records.empty());
    for (const auto& r : evaluate(lab, played.records)) {
      CHECK_MESSAGE(r.holds, lab_name(lab) << ": check \"" << r.check->id
                                           << "\" does not hold: " << r.evidence);
    }
    // The same run written as JSON Lines and read back: what `pop3-lab check N TRACE` judges.
    std::istringstream in(played.jsonl);
    const auto trace = trace::read_trace(in);
    REQUIRE(trace.ok);
    CHECK(trace.records == played.records);
    for (const auto& r : evaluate(lab, trace.records)) {
      CHECK_MESSAGE(r.holds, lab_name(lab)
                                 << ": check \"" << r.check->id
                                 << "\" does not hold on the trace read back: " << r.evidence);
    }
  }
}

namespace {

using Traces = std::vector<std::pair<std::string, std::vector<trace::Record>>>;

// The traces a lab's checks are tried on, in the order they are tried: the lab's own
// counter-runs first (the evidence that matters: a student who skipped or changed a step
// fails the check), then the empty trace and the runs of the other labs.
struct FailureSearch {
  Traces counters;
  Traces elsewhere;

  FailureSearch(const Lab& lab, const std::vector<Lab>& labs,
                const std::vector<std::vector<trace::Record>>& runs) {
    for (auto& c : counter_runs(lab)) {
      try {
        counters.emplace_back(c.what, play(c.lab).records);
      } catch (const std::exception& e) {
        MESSAGE(lab_name(lab) << " " << c.what << " could not be played: " << e.what());
      }
    }
    elsewhere.emplace_back("the empty trace", std::vector<trace::Record>{});
    for (std::size_t i = 0; i < labs.size(); ++i)
      if (labs[i].number != lab.number)
        elsewhere.emplace_back("the run of " + lab_name(labs[i]), runs[i]);
  }

  // Where the check fails: "" when it holds on every trace.
  struct Found {
    std::string on;
    bool own_lab = false;
  };
  [[nodiscard]] Found fails_on(const Check& check) const {
    for (const auto& [what, records] : counters)
      if (!evaluate(check, records).holds) return {what, true};
    for (const auto& [what, records] : elsewhere)
      if (!evaluate(check, records).holds) return {what, false};
    return {};
  }
};

std::vector<std::vector<trace::Record>> all_runs() {
  std::vector<std::vector<trace::Record>> runs;
  for (const auto& lab : all_labs())
    runs.push_back(play(lab).records);
  return runs;
}

}  // namespace

TEST_CASE("every check of every lab fails on some trace where its condition is false") {
  const auto& labs = all_labs();
  const auto runs = all_runs();
  std::vector<std::string> unfailable;  // checks no trace could make fail
  std::vector<std::string>
      only_elsewhere;  // checks that only another lab's trace (or none) made fail
  for (const auto& lab : labs) {
    CAPTURE(lab_name(lab));
    const FailureSearch search(lab, labs, runs);
    REQUIRE_FALSE(search.counters.empty());
    for (const auto& check : lab.checks) {
      const auto found = search.fails_on(check);
      const std::string name = lab_name(lab) + " \"" + check.id + "\"";
      if (found.on.empty())
        unfailable.push_back(name);
      else if (!found.own_lab)
        only_elsewhere.push_back(name + ": " + found.on);
    }
  }
  for (const auto& s : only_elsewhere)
    MESSAGE("no counter-run of its own lab makes this check fail, only " << s);
  std::string list;
  for (const auto& s : unfailable)
    list += "\n  " + s;
  CHECK_MESSAGE(unfailable.empty(), "checks that no trace could make fail:" << list);
}

TEST_CASE("the failure search reports a check that cannot fail") {
  const auto& labs = all_labs();
  const Lab& lab = labs.front();
  const FailureSearch search(lab, labs, all_runs());
  Check never;  // "no command XYZZY": true of every trace there is
  never.id = "never-fails";
  never.kind = "command";
  never.verb = "XYZZY";
  never.expect = false;
  CHECK(search.fails_on(never).on.empty());
  Check quit;  // "a QUIT": the lab's counter-run without its quit step does not have one
  quit.id = "quit";
  quit.kind = "command";
  quit.verb = "QUIT";
  const auto found = search.fails_on(quit);
  CHECK(found.own_lab);
  CHECK(found.on.find("quit") != std::string::npos);
}

TEST_CASE("a counter-run of a lab is judged differently: its checks see what the student skipped") {
  // Spot checks of the lessons themselves, on counter-runs built by hand.
  const auto& labs = all_labs();
  auto find = [&](int number) -> const Lab& {
    for (const auto& lab : labs)
      if (lab.number == number) return lab;
    FAIL("no lab " << number);
    throw std::logic_error("unreachable");
  };
  auto holds = [](const Lab& lab, const std::vector<trace::Record>& records,
                  const std::string& id) {
    for (const auto& r : evaluate(lab, records))
      if (r.check->id == id) return r.holds;
    FAIL("no check " << id << " in lab " << lab.number);
    return false;
  };

  SUBCASE("lab 1 without PASS never reaches TRANSACTION, and STAT stays refused") {
    Lab lab = find(1);
    std::erase_if(lab.steps,
                  [](const Step& s) { return s.action == "send" && s.line.starts_with("PASS"); });
    const auto records = play(lab).records;
    CHECK_FALSE(holds(lab, records, "logged-in"));
    CHECK_FALSE(holds(lab, records, "stat-answered"));
    CHECK_FALSE(holds(lab, records, "password-sniffed"));
  }
  SUBCASE("lab 3 ending with QUIT instead of the drop deletes exactly the messages still marked") {
    Lab lab = find(3);
    REQUIRE(lab.steps.back().action == "drop");
    lab.steps.back().action = "quit";
    const auto records = play(lab).records;
    CHECK_FALSE(holds(lab, records, "no-quit"));
    CHECK_FALSE(holds(lab, records, "no-update"));
    CHECK_FALSE(holds(lab, records, "marks-lost"));
    // UPDATE removes the marks that RSET left standing (DELE 1 and DELE 3), not the ones it
    // cleared.
    Check two;
    two.id = "two";
    two.kind = "deleted";
    two.count = 2;
    CHECK(evaluate(two, records).holds);
  }
  SUBCASE("lab 4 fetching every message fails the journal's lesson") {
    Lab lab = find(4);
    const auto at = std::find_if(lab.steps.begin(), lab.steps.end(), [](const Step& s) {
      return s.action == "send" && s.line == "RETR 3";
    });
    REQUIRE(at != lab.steps.end());
    lab.steps.insert(at, {send_step("RETR 1"), send_step("RETR 2")});
    CHECK_FALSE(holds(lab, play(lab).records, "no-refetch"));
  }
  SUBCASE("lab 4 ending with a drop removes nothing") {
    Lab lab = find(4);
    REQUIRE(lab.steps.back().action == "quit");
    lab.steps.back().action = "drop";
    CHECK_FALSE(holds(lab, play(lab).records, "old-removed"));
  }
  SUBCASE("lab 5 logging in right away shows no [AUTH] code") {
    Lab lab = find(5);
    std::erase_if(lab.steps,
                  [](const Step& s) { return s.action == "send" && s.line == "PASS wrong"; });
    const auto records = play(lab).records;
    CHECK_FALSE(holds(lab, records, "auth-code"));
    CHECK(holds(lab, records, "logged-in"));
  }
}

TEST_CASE("the simulator replays every lab byte for byte") {
  for (const auto& lab : all_labs()) {
    CAPTURE(lab_name(lab));
    const Played first = play(lab);
    const Played second = play(lab);
    if (lab.scenario.tls == "none") {
      // docs/simulator.md, contract 1: without TLS the JSON Lines are identical.
      CHECK_MESSAGE(first.jsonl == second.jsonl,
                    "two runs differ at " << first_difference(first.jsonl, second.jsonl));
      continue;
    }
    // With TLS the ciphertext differs from run to run (OpenSSL makes the keys). Contract 2
    // (whole writes): every record is the same except the bytes and offset of TLS wire records.
    if (lab.scenario.chunk != 0) {
      MESSAGE(lab_name(lab) << " uses TLS with chunking: only the record count is compared");
      CHECK(first.records.size() > 0);
      continue;
    }
    REQUIRE(first.records.size() == second.records.size());
    for (std::size_t i = 0; i < first.records.size(); ++i) {
      trace::Record a = first.records[i], b = second.records[i];
      auto* wa = std::get_if<trace::WireBytesRecord>(&a.body);
      auto* wb = std::get_if<trace::WireBytesRecord>(&b.body);
      if (wa && wb && wa->channel == trace::Channel::Tls && wb->channel == trace::Channel::Tls) {
        wa->bytes = wb->bytes;
        wa->offset = wb->offset;
      }
      // A TLS interceptor (lab 12) makes its certificate anew each run (OpenSSL's keys, so a
      // new fingerprint) and relays TLS records whose sizes vary like any handshake's: its
      // notes are compared with the fingerprint and the numbers left out.
      auto* na = std::get_if<trace::NoteRecord>(&a.body);
      auto* nb = std::get_if<trace::NoteRecord>(&b.body);
      if (na && nb && na->text.starts_with("tls-interceptor") &&
          nb->text.starts_with("tls-interceptor")) {
        na->text = without_numbers(na->text);
        nb->text = without_numbers(nb->text);
      }
      CAPTURE(i);
      CHECK(a == b);
    }
  }
}

namespace {

const Lab& lab_numbered(int n) {
  for (const auto& lab : all_labs())
    if (lab.number == n) return lab;
  FAIL("no lab " << n);
  throw std::logic_error("unreachable");
}

// The time of a session's last record, in microseconds on the lab's timeline.
std::int64_t last_time(const std::vector<trace::Record>& records, const std::string& session) {
  std::int64_t t = -1;
  for (const auto& r : records)
    if (r.session == session) t = r.t.count();
  return t;
}

}  // namespace

TEST_CASE("two clients share one server: numbered connections, one maildrop, one timeline") {
  LabRun run(lab_numbered(14));
  run.run_all();
  CHECK(run.connection() == 3);  // the desktop, the phone, the desktop again
  CHECK(run.client_session_id() == "client-3");
  const auto& records = run.records();
  for (const std::string s :
       {"client", "server", "link", "client-2", "server-2", "link-2", "client-3", "server-3"}) {
    CAPTURE(s);
    CHECK(last_time(records, s) >= 0);
    // Within a session time never runs backwards.
    std::int64_t previous = -1;
    for (const auto& r : records)
      if (r.session == s) {
        CHECK(r.t.count() >= previous);
        previous = r.t.count();
      }
  }
  // The phone connected while the desktop was logged in, and its records come after.
  CHECK(last_time(records, "client-3") >= last_time(records, "client-2"));
}

TEST_CASE(
    "a connection left idle lets the other client's time pass: the server's autologout ends it") {
  Lab lab = lab_numbered(14);
  lab.steps.resize(4);  // desktop: connect, login, LIST; phone: connect
  Step wait;
  wait.action = "wait";
  wait.client = 2;
  wait.seconds = 700;  // the phone's user looks away for more than the 10 minutes of RFC 1939
  lab.steps.push_back(wait);
  Step stat = send_step("STAT");
  lab.steps.push_back(stat);  // the desktop again
  LabRun run(lab);
  for (int i = 0; i < 5; ++i)
    (void)run.run_next();
  const StepOutcome out = run.run_next();
  // The desktop's session was logged out while the phone waited: STAT finds it closed.
  CHECK_FALSE(out.exchange.ok());
  Check autologout;
  autologout.kind = "violation";
  autologout.error = "autologout";
  autologout.role = "server";
  CHECK(evaluate(autologout, run.records()).holds);
  // Ten minutes after the desktop's last command, on the lab's timeline.
  CHECK(last_time(run.records(), "server") >= 600'000'000);
}

TEST_CASE("a lockout runs on the lab's one timeline, whichever client's connection meets it") {
  // The policy's time used to be the sum of the earlier connections' clocks: right for
  // connections one after the other, but with two clients a reconnect after the other
  // client's connection was opened went back in time, and a lockout lasted too long.
  Lab lab = lab_numbered(14);
  lab.scenario.lockout_after = 2;
  lab.scenario.lockout_seconds = 300;
  lab.checks.clear();
  auto step = [](std::string action, int client, std::string line = {}) {
    Step s;
    s.action = std::move(action);
    s.client = client;
    s.line = std::move(line);
    s.user = "alice";
    return s;
  };
  lab.steps = {step("connect", 1),
               step("connect", 2),
               step("send", 1, "USER alice"),
               step("send", 1, "PASS wrong"),
               step("send", 1, "USER alice"),
               step("send", 1, "PASS wrong"),
               step("login", 2),
               step("wait", 1),
               step("reconnect", 1),
               step("login", 1)};
  lab.steps[7].seconds = 400;  // the desktop waits out the 300 s lockout
  LabRun run(lab);
  std::vector<StepOutcome> outcomes;
  while (!run.done())
    outcomes.push_back(run.run_next());
  REQUIRE(outcomes.size() == lab.steps.size());
  auto last_reply = [&](std::size_t i) {
    const pop3::Reply* r = outcomes[i].exchange.last_reply();
    REQUIRE(r != nullptr);
    return *r;
  };
  // The phone, with the right password, a moment after the desktop's second failure.
  const pop3::Reply phone = last_reply(6);
  CHECK(phone.status == pop3::Status::Err);
  REQUIRE(phone.code);
  CHECK(phone.code->text == "LOGIN-DELAY");
  // The desktop's new connection, 400 s later on the lab's timeline: the lockout is over.
  CHECK(last_reply(9).status == pop3::Status::Ok);
  CHECK(run.connection() == 3);
}
