// The offline cracker: captured APOP and CRAM-MD5 logins fall to a wordlist at hash
// speed; SCRAM-SHA-256 costs the iteration count per guess.
#include <doctest/doctest.h>

#include <sstream>

#include "pop3/trace/reader.hpp"
#include "pop3/trace/writer.hpp"
#include "support.hpp"

using namespace attacktest;

namespace {

Scenario victim_scenario(std::string_view password) {
  Scenario s;
  s.seed = 5;
  s.add_account("alice", std::string(password));
  return s;
}

// One login with `mechanism` ("APOP" or a SASL name), recorded; the capture of the link.
Capture captured(std::string_view mechanism, std::string_view password, bool expose = true) {
  Scenario s = victim_scenario(password);
  s.trace.expose_secrets = expose;
  Simulation sim(s);
  sim.connect();
  const Exchange ex = mechanism == "APOP" ? sim.apop("alice", password)
                                          : sim.authenticate(mechanism, "alice", password);
  REQUIRE(ex.ok());
  sim.quit();
  sim.finish();
  return capture_from_trace(sim.memory_trace()->records);
}

}  // namespace

TEST_CASE("a captured APOP login: the weak password is found, the strong one is not") {
  const Capture weak = captured("APOP", kWeak);
  REQUIRE(weak.apop());
  CHECK(weak.apop()->user == "alice");
  CHECK(weak.apop()->timestamp.front() == '<');
  CHECK(weak.apop()->accepted == true);
  const CrackReport r = OfflineCracker().crack(*weak.apop(), wordlist("tiny.txt"));
  MESSAGE(r.summary());
  REQUIRE(r.password);
  CHECK(*r.password == kWeak);
  CHECK(r.found_at == 10);
  CHECK(r.tries == 10);
  CHECK(r.kind == "APOP");
  CHECK(r.iterations_per_guess == 1);

  const Capture strong = captured("APOP", kStrong);
  REQUIRE(strong.apop());
  const CrackReport s = OfflineCracker().crack(*strong.apop(), wordlist("common-passwords.txt"));
  CHECK_FALSE(s.password);
  CHECK(s.tries == wordlist("common-passwords.txt").size());
  CHECK(s.tries_per_second > 0);
}

TEST_CASE("a captured CRAM-MD5 login: the weak password is found, the strong one is not") {
  const Capture weak = captured("CRAM-MD5", kWeak);
  REQUIRE(weak.cram_md5());
  CHECK(weak.cram_md5()->user == "alice");
  CHECK(weak.cram_md5()->digest.size() == 32);
  const CrackReport r = OfflineCracker().crack(*weak.cram_md5(), wordlist("common-passwords.txt"));
  REQUIRE(r.password);
  CHECK(*r.password == kWeak);
  CHECK(r.kind == "CRAM-MD5");

  const Capture strong = captured("CRAM-MD5", kStrong);
  REQUIRE(strong.cram_md5());
  CHECK_FALSE(
      OfflineCracker().crack(*strong.cram_md5(), wordlist("common-passwords.txt")).password);
}

TEST_CASE("a captured SCRAM-SHA-256 login is found too, but costs the iteration count per guess") {
  const Capture scram = captured("SCRAM-SHA-256", kWeak);
  REQUIRE(scram.scram());
  const CapturedScram& c = *scram.scram();
  CHECK(c.user == "alice");
  CHECK(c.iterations == 4096);
  CHECK(c.proof.size() == 32);
  CHECK(c.accepted == true);
  const Wordlist tiny = wordlist("tiny.txt");
  const CrackReport found = OfflineCracker().crack(c, tiny);
  REQUIRE(found.password);
  CHECK(*found.password == kWeak);
  CHECK(found.iterations_per_guess == 4096);
  CHECK(contains(found.cost, "4096 iterations"));

  // The same wordlist, every word, against each capture: SCRAM is far slower per guess.
  const Capture apop = captured("APOP", kWeak);
  const Capture cram = captured("CRAM-MD5", kWeak);
  REQUIRE(apop.apop());
  REQUIRE(cram.cram_md5());
  const OfflineCracker all({false, 0});
  const CrackReport ra = all.crack(*apop.apop(), tiny);
  const CrackReport rc = all.crack(*cram.cram_md5(), tiny);
  const CrackReport rs = all.crack(c, tiny);
  CHECK(ra.tries == tiny.size());
  CHECK(rs.tries == tiny.size());
  MESSAGE(cost_table({ra, rc, rs}));
  // 4096 HMACs against one hash: a factor of thousands; 20 leaves room for a busy machine.
  CHECK(rs.tries_per_second * 20 < ra.tries_per_second);
  CHECK(rs.tries_per_second * 20 < rc.tries_per_second);
  CHECK(rs.time_per_try() > ra.time_per_try());
  CHECK(contains(cost_table({ra, rs}), "SCRAM-SHA-256"));
}

TEST_CASE("captures come from a trace file, a client's trace or the eavesdropper alike") {
  Scenario s = victim_scenario(kWeak);
  std::stringstream file;
  {
    trace::JsonlWriter writer(file, Simulation::trace_header(s));
    Simulation sim(s, &writer);
    sim.connect();
    REQUIRE(sim.authenticate("CRAM-MD5", "alice", kWeak).ok());
    REQUIRE(sim.capa().ok());
    REQUIRE(sim.send({Verb::List, {}}).ok());
    sim.quit();

    const Capture from_tap = capture_from_eavesdropper(sim.eavesdropper());
    REQUIRE(from_tap.cram_md5());
    CHECK(from_tap.cram_md5()->accepted == true);
    sim.finish();
  }
  const trace::Trace t = trace::read_trace(file);
  REQUIRE(t.ok);
  const Capture link = capture_from_trace(t.records);
  const Capture client = capture_from_trace(t.records, "client");
  const Capture server = capture_from_trace(t.records, "server");
  REQUIRE(link.cram_md5());
  REQUIRE(client.cram_md5());
  REQUIRE(server.cram_md5());
  CHECK(link.cram_md5()->challenge == client.cram_md5()->challenge);
  CHECK(link.cram_md5()->digest == server.cram_md5()->digest);
  CHECK(OfflineCracker().crack(*client.cram_md5(), wordlist("tiny.txt")).password ==
        std::string(kWeak));
}

TEST_CASE("what cannot be cracked is said: masked traces, clear passwords, TLS") {
  const Capture masked = captured("APOP", kWeak, false);
  CHECK(masked.exchanges.empty());
  bool said_masked = false;
  for (const auto& n : masked.notes)
    said_masked |= contains(n, "masks secrets");
  CHECK(said_masked);

  Simulation clear(victim_scenario(kWeak));
  clear.connect();
  REQUIRE(clear.login_user_pass("alice", kWeak).ok());
  const Capture c = capture_from_eavesdropper(clear.eavesdropper());
  CHECK(c.exchanges.empty());
  REQUIRE_FALSE(c.notes.empty());
  CHECK(contains(c.notes.back(), "PASS: the password crossed in clear"));

  Scenario tls = victim_scenario(kWeak);
  tls.tls.mode = TlsMode::Stls;
  Simulation under_tls(tls);
  under_tls.connect();
  REQUIRE(under_tls.starttls().tls_established);
  REQUIRE(under_tls.apop("alice", kWeak).ok());
  const Capture t = capture_from_eavesdropper(under_tls.eavesdropper());
  CHECK(t.tls_started);
  CHECK(t.exchanges.empty());
}

TEST_CASE("captures follow pipelined commands and ignore what is not a login") {
  const std::string c2s = "CAPA\r\nAPOP bob 0123456789abcdef0123456789abcdef\r\nQUIT\r\n";
  const std::string s2c =
      "+OK hi <1.2@h>\r\n+OK caps\r\nSTLS\r\nAPOP\r\n.\r\n-ERR [AUTH] no\r\n+OK bye\r\n";
  const Capture c = capture_from_streams(c2s, s2c);
  REQUIRE(c.apop());
  CHECK(c.apop()->user == "bob");
  CHECK(c.apop()->timestamp == "<1.2@h>");
  CHECK(c.apop()->accepted == false);
  CHECK_FALSE(c.tls_started);
}
