#include <doctest/doctest.h>

#include <map>
#include <sstream>

#include "pop3/trace/reader.hpp"
#include "pop3/trace/writer.hpp"
#include "support.hpp"

using namespace simtest;

namespace {

enum class Login { UserPass, Apop, CramMd5, Scram, Plain };

// One lab, scripted: the same calls every time.
void script(Simulation& sim, Login login) {
  sim.connect();
  sim.capa();
  if (sim.scenario().tls.mode == TlsMode::Stls) REQUIRE(sim.starttls().tls_established);
  switch (login) {
    case Login::UserPass:
      REQUIRE(sim.login_user_pass("alice", "wonderland").ok());
      break;
    case Login::Apop:
      REQUIRE(sim.apop("alice", "wonderland").ok());
      break;
    case Login::CramMd5:
      REQUIRE(sim.authenticate("CRAM-MD5", "alice", "wonderland").ok());
      break;
    case Login::Scram:
      REQUIRE(sim.authenticate("SCRAM-SHA-256", "alice", "wonderland").ok());
      break;
    case Login::Plain:
      REQUIRE(sim.authenticate("PLAIN", "alice", "wonderland").ok());
      break;
  }
  sim.send({Verb::Uidl, {}});
  sim.send({Verb::Retr, {"2"}});
  sim.send({Verb::Dele, {"1"}});
  sim.quit();
}

std::string jsonl_of(const Scenario& s, Login login) {
  std::ostringstream out;
  trace::JsonlWriter writer(out, Simulation::trace_header(s));
  {
    Simulation sim(s, &writer);
    script(sim, login);
  }
  return out.str();
}

std::vector<trace::Record> records_from(const std::string& jsonl) {
  std::istringstream in(jsonl);
  trace::Trace t = trace::read_trace(in);
  REQUIRE(t.ok);
  return t.records;
}

// The contract for runs with TLS and whole writes: everything replays but the bytes and
// offsets of wire records on the tls channel (ciphertext, and TLS handshake sizes vary).
std::vector<trace::Record> without_ciphertext(std::vector<trace::Record> records) {
  for (trace::Record& r : records) {
    if (auto* w = std::get_if<trace::WireBytesRecord>(&r.body);
        w && w->channel == trace::Channel::Tls) {
      w->bytes.clear();
      w->offset = 0;
    }
  }
  return records;
}

}  // namespace

TEST_CASE(
    "without TLS, two runs with the same seed write byte-identical traces (random chunks, latency, "
    "every login)") {
  for (const Login login :
       {Login::UserPass, Login::Apop, Login::CramMd5, Login::Scram, Login::Plain}) {
    CAPTURE(static_cast<int>(login));
    Scenario s = basic(2024);
    s.link.chunking = Chunking::random(1, 11);
    s.link.latency = std::chrono::milliseconds(13);
    const std::string a = jsonl_of(s, login);
    const std::string b = jsonl_of(s, login);
    CHECK(a.size() > 1000);
    CHECK(a == b);
  }
}

TEST_CASE(
    "with STLS and whole writes, two runs differ only in the bytes and offsets of tls wire "
    "records") {
  Scenario s = basic(99);
  s.tls.mode = TlsMode::Stls;
  s.link.latency = std::chrono::milliseconds(20);
  for (const Login login : {Login::UserPass, Login::Scram}) {
    const auto a = records_from(jsonl_of(s, login));
    const auto b = records_from(jsonl_of(s, login));
    CHECK(a != b);  // the ciphertext differs...
    const auto na = without_ciphertext(a);
    const auto nb = without_ciphertext(b);
    REQUIRE(na.size() == nb.size());
    for (std::size_t i = 0; i < na.size(); ++i) {
      CAPTURE(i);
      CHECK(na[i] == nb[i]);  // ...and nothing else
    }
  }
}

TEST_CASE(
    "with TLS and random chunks, application streams, replies, exposures and their times replay") {
  Scenario s = basic(5);
  s.tls.mode = TlsMode::Implicit;
  s.link.chunking = Chunking::random(1, 64);
  s.link.latency = std::chrono::milliseconds(3);
  const auto a = records_from(jsonl_of(s, Login::Plain));
  const auto b = records_from(jsonl_of(s, Login::Plain));
  auto filtered = [](const std::vector<trace::Record>& records) {
    std::vector<trace::Record> out;
    for (trace::Record r : records) {
      if (std::holds_alternative<trace::AppBytesRecord>(r.body) ||
          std::holds_alternative<trace::WireBytesRecord>(r.body))
        continue;
      r.seq = 0;  // the number of wire records before it may differ
      out.push_back(std::move(r));
    }
    return out;
  };
  CHECK(filtered(a) == filtered(b));
  auto streams = [](const std::vector<trace::Record>& records) {
    std::map<std::string, std::string> out;
    for (const trace::Record& r : records)
      if (const auto* app = std::get_if<trace::AppBytesRecord>(&r.body))
        out[r.session + " " + std::string(direction_name(app->direction))] += app->bytes;
    return out;
  };
  CHECK(streams(a) == streams(b));
  CHECK(streams(a).size() == 4);
}

TEST_CASE(
    "different seeds give different APOP timestamps, CRAM-MD5 challenges, SCRAM nonces and chunk "
    "sizes") {
  auto greeting = [](std::uint64_t seed) {
    Simulation sim(basic(seed));
    return sim.connect().replies.at(0).reply.text;
  };
  CHECK(greeting(1) == greeting(1));
  CHECK(greeting(1) != greeting(2));
  auto server_said = [](std::uint64_t seed, const char* mechanism) {
    Simulation sim(basic(seed));
    sim.connect();
    REQUIRE(sim.authenticate(mechanism, "alice", "wonderland").ok());
    return sim.eavesdropper().stream(Direction::ServerToClient) +
           sim.eavesdropper().stream(Direction::ClientToServer);
  };
  CHECK(server_said(1, "CRAM-MD5") == server_said(1, "CRAM-MD5"));
  CHECK(server_said(1, "CRAM-MD5") != server_said(2, "CRAM-MD5"));
  CHECK(server_said(1, "SCRAM-SHA-256") == server_said(1, "SCRAM-SHA-256"));
  CHECK(server_said(1, "SCRAM-SHA-256") != server_said(2, "SCRAM-SHA-256"));
  auto chunk_sizes = [](std::uint64_t seed) {
    Scenario s = basic(seed);
    s.link.chunking = Chunking::random(1, 20);
    Simulation sim(s);
    sim.connect();
    std::vector<std::size_t> sizes;
    for (const Capture& c : sim.eavesdropper().captures())
      sizes.push_back(c.bytes.size());
    return sizes;
  };
  CHECK(chunk_sizes(3) == chunk_sizes(3));
  CHECK(chunk_sizes(3) != chunk_sizes(4));
}
