// The online guesser against the simulated server with pop3-server's real login policy,
// on virtual time.
#include <doctest/doctest.h>

#include "support.hpp"

using namespace attacktest;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

Scenario plain_target(std::string_view password = kWeak) {
  Scenario s;
  s.seed = 21;
  s.add_account("alice", std::string(password));
  s.link.latency = milliseconds(10);
  return s;
}

auth::LoginPolicy no_defences() {
  auth::LoginPolicy p;
  p.failed_login_delay = milliseconds(0);
  p.penalty_step = milliseconds(0);
  p.penalty_max = milliseconds(0);
  p.lockout_after = 0;
  return p;
}

GuessOptions for_alice() {
  GuessOptions o;
  o.user = "alice";
  return o;
}

}  // namespace

TEST_CASE("the shipped wordlists load, skip comments and hold the weak password") {
  const Wordlist tiny = wordlist("tiny.txt");
  CHECK(tiny.size() == 12);
  CHECK(tiny.position(kWeak) == 10);
  const Wordlist common = wordlist("common-passwords.txt");
  CHECK(common.size() >= 500);
  CHECK(common.contains(kWeak));
  CHECK_FALSE(common.contains(kStrong));
  for (const auto& w : common) {
    CHECK_FALSE(w.empty());
    CHECK(w.front() != '#');
    CHECK(w.find('\r') == std::string::npos);
  }
  const Wordlist parsed = Wordlist::parse("# c\r\na\r\n\r\nb c\na\n", "t");
  CHECK(parsed.words() == std::vector<std::string>{"a", "b c"});
  CHECK_THROWS_AS(Wordlist::load("/nonexistent/list.txt"), std::runtime_error);
}

TEST_CASE("without defences the guesser finds a weak password, limited only by round trips") {
  SimulatedTarget target(plain_target(), no_defences());
  OnlineGuesser guesser(target, for_alice());
  const GuessReport r = guesser.run(wordlist("tiny.txt"));
  CHECK(r.end == GuessReport::End::Found);
  REQUIRE(r.password);
  CHECK(*r.password == kWeak);
  CHECK(r.found_at == 10);
  CHECK(r.attempts == 10);
  CHECK(r.guesses == 10);
  CHECK(r.connections == 10);
  CHECK(r.virtual_time);
  // Each attempt: connect and greeting, USER, PASS (20 ms each way-and-back), QUIT.
  CHECK(r.attempts_per_second > 5);
  CHECK_FALSE(r.time_to_lockout);
  CHECK(contains(r.summary(), "password found at guess 10"));
}

TEST_CASE("the lab policy: delays and penalties slow the guesser, the lockout stops it") {
  const auth::LoginPolicy lab = auth::LoginPolicy::lab();
  SimulatedTarget target(plain_target(), lab);
  std::vector<Attempt> seen;
  GuessOptions o = for_alice();
  o.on_attempt = [&](const Attempt& a) { seen.push_back(a); };
  OnlineGuesser guesser(target, o);
  const GuessReport r = guesser.run(wordlist("tiny.txt"));
  MESSAGE(r.summary());

  CHECK(r.end == GuessReport::End::LockedOut);
  CHECK_FALSE(r.password);
  CHECK(r.guesses == 5);   // lockout_after
  CHECK(r.attempts == 6);  // the sixth met [LOGIN-DELAY]
  REQUIRE(r.failures_before_lockout);
  CHECK(*r.failures_before_lockout == 5);
  REQUIRE(r.time_to_lockout);
  // Five failures held back 500 ms each, plus a penalty of 0, 250, 500, 750 and 1000 ms:
  // at least 5 s of the attacker's time before the lock, whatever the round trips.
  CHECK(*r.time_to_lockout >= seconds(5));
  CHECK(*r.time_to_lockout < seconds(8));
  CHECK(r.attempts_per_second < 1.2);
  CHECK(r.attempts_per_second > 0.5);
  REQUIRE(seen.size() == 6);
  CHECK(seen.back().outcome == AttemptOutcome::LockedOut);
  CHECK(contains(seen.back().reply, "[LOGIN-DELAY]"));
  for (std::size_t i = 1; i < 5; ++i)
    CHECK(seen[i].took > seen[i - 1].took);  // the penalty grows
  CHECK(target.policy_state().locked_out("alice", TimePoint{} + target.elapsed()));
  CHECK(contains(r.summary(), "first lockout ([LOGIN-DELAY]) after 5 wrong guesses"));
  CHECK(r.lockouts_needed(12) == 2);
  CHECK(r.lockouts_needed(wordlist("common-passwords.txt").size()) > 100);
  CHECK(contains(r.summary(), "plus 2 lockout periods (a lockout every 5 wrong guesses)"));
}

TEST_CASE("waiting out the lockout finds the password, at the price of the lockout time") {
  SimulatedTarget target(plain_target(), auth::LoginPolicy::lab());
  GuessOptions o = for_alice();
  o.on_lockout = GuessOptions::OnLockout::Wait;
  o.lockout_wait = seconds(61);
  OnlineGuesser guesser(target, o);
  const GuessReport r = guesser.run(wordlist("tiny.txt"));
  CHECK(r.end == GuessReport::End::Found);
  REQUIRE(r.password);
  CHECK(*r.password == kWeak);
  CHECK(r.lockouts == 1);  // 5 failures, the lock, then 4 failures and the right one
  CHECK(r.waited == seconds(61));
  CHECK(r.elapsed > seconds(61));
  CHECK(r.guesses == 10);
  CHECK(r.attempts == 11);
  // A success clears the user's count and the address's penalty.
  CHECK(target.policy_state().failures_of("alice") == 0);
  CHECK(target.policy_state().penalty("192.0.2.66") == milliseconds(0));
}

TEST_CASE("a strong password is not in the list; several attempts share a connection") {
  SimulatedTarget target(plain_target(kStrong), no_defences());
  GuessOptions o = for_alice();
  o.attempts_per_connection = 5;
  OnlineGuesser guesser(target, o);
  const GuessReport r = guesser.run(wordlist("tiny.txt"));
  CHECK(r.end == GuessReport::End::Exhausted);
  CHECK_FALSE(r.password);
  CHECK(r.attempts == 12);
  CHECK(r.connections == 3);
  CHECK(r.projected(1000) > Duration{});
  CHECK(contains(r.summary(), "at this rate the whole wordlist takes"));
}

TEST_CASE("the guesser speaks APOP and SASL too") {
  for (LoginMethod m :
       {LoginMethod::Apop, LoginMethod::CramMd5, LoginMethod::Plain, LoginMethod::ScramSha256}) {
    CAPTURE(login_method_name(m));
    SimulatedTarget target(plain_target(), no_defences());
    GuessOptions o = for_alice();
    o.method = m;
    o.attempts_per_connection = 3;
    const GuessReport r = OnlineGuesser(target, o).run(wordlist("tiny.txt"));
    CHECK(r.end == GuessReport::End::Found);
    CHECK(r.found_at == 10);
  }
}

TEST_CASE("max_attempts stops the run; reply classification") {
  SimulatedTarget target(plain_target(), no_defences());
  GuessOptions o = for_alice();
  o.max_attempts = 3;
  const GuessReport r = OnlineGuesser(target, o).run(wordlist("tiny.txt"));
  CHECK(r.end == GuessReport::End::Limit);
  CHECK(r.attempts == 3);

  CHECK(classify_login_reply(Reply::positive("in")) == AttemptOutcome::Accepted);
  CHECK(classify_login_reply(Reply::negative("no", ResponseCode::auth())) ==
        AttemptOutcome::Rejected);
  CHECK(classify_login_reply(Reply::negative("no")) == AttemptOutcome::Rejected);
  CHECK(classify_login_reply(Reply::negative("wait", ResponseCode::login_delay())) ==
        AttemptOutcome::LockedOut);
  CHECK(classify_login_reply(Reply::negative("busy", ResponseCode::in_use())) ==
        AttemptOutcome::Accepted);
  CHECK(classify_login_reply(Reply::negative("later", ResponseCode::sys_temp())) ==
        AttemptOutcome::Error);
  CHECK(human_duration(milliseconds(250)) == "250 ms");
  CHECK(human_duration(seconds(200)) == "3 min 20 s");
}
