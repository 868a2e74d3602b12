#include <doctest/doctest.h>

#include "pop3/auth/apop.hpp"
#include "pop3/auth/base64.hpp"
#include "support.hpp"

using namespace simtest;

namespace {

std::vector<Observation> secrets(const Simulation& sim) {
  std::vector<Observation> out;
  for (auto& o : sim.eavesdropper().observations())
    if (o.exposure != Exposure::None) out.push_back(o);
  return out;
}

}  // namespace

TEST_CASE("USER/PASS in plaintext: the eavesdropper saw the password in clear, the very bytes") {
  Simulation sim(basic());
  sim.connect();
  REQUIRE(sim.login_user_pass("alice", "wonderland").ok());
  const auto seen = secrets(sim);
  REQUIRE(seen.size() == 1);
  const Observation& o = seen[0];
  CHECK(o.direction == Direction::ClientToServer);
  CHECK(o.exposure == Exposure::Cleartext);
  CHECK(o.channel == trace::Channel::Plain);
  CHECK(o.label == "PASS argument");
  CHECK(o.wire == "wonderland");
  CHECK(o.crossed);
  CHECK(o.readable());
  CHECK(o.observed() == "cleartext");
  CHECK(sim.eavesdropper().stream(Direction::ClientToServer).substr(o.wire_offset, o.length) ==
        "wonderland");
  CHECK(sim.eavesdropper().saw_in_clear(Exposure::Cleartext));
  CHECK(sim.eavesdropper().saw_in_clear("wonderland"));
  CHECK(contains(sim.eavesdropper().plaintext(Direction::ClientToServer), "PASS wonderland\r\n"));
  CHECK(contains(sim.eavesdropper().report(), "read in clear: \"wonderland\""));
}

TEST_CASE("AUTH PLAIN: a base64 exposure whose decoded bytes hold the password") {
  Simulation sim(basic());
  sim.connect();
  REQUIRE(sim.authenticate("PLAIN", "alice", "wonderland").ok());
  const auto seen = secrets(sim);
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].exposure == Exposure::Base64);
  CHECK(seen[0].channel == trace::Channel::Plain);
  CHECK(seen[0].wire == "AGFsaWNlAHdvbmRlcmxhbmQ=");
  const auto decoded = auth::base64_decode(seen[0].wire);
  REQUIRE(decoded);
  CHECK(contains(*decoded, "wonderland"));
  CHECK(sim.eavesdropper().saw_in_clear(Exposure::Base64));
  CHECK_FALSE(sim.eavesdropper().saw_in_clear(Exposure::Cleartext));
  CHECK_FALSE(sim.eavesdropper().saw_in_clear("wonderland"));  // not as such: base64
}

TEST_CASE("AUTH LOGIN: the user name and the password each cross in base64") {
  Simulation sim(basic());
  sim.connect();
  REQUIRE(sim.authenticate("LOGIN", "alice", "wonderland").ok());
  bool password = false;
  for (const auto& o : secrets(sim)) {
    CHECK(o.exposure == Exposure::Base64);
    CHECK(o.readable());
    const auto decoded = auth::base64_decode(o.wire);
    REQUIRE(decoded);
    password = password || *decoded == "wonderland";
  }
  CHECK(password);
}

TEST_CASE("CRAM-MD5: a digest exposure; the password itself never crosses") {
  Simulation sim(basic());
  sim.connect();
  REQUIRE(sim.authenticate("CRAM-MD5", "alice", "wonderland").ok());
  const auto seen = secrets(sim);
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].exposure == Exposure::Digest);
  CHECK(seen[0].readable());
  const auto decoded = auth::base64_decode(seen[0].wire);
  REQUIRE(decoded);
  CHECK(decoded->starts_with("alice "));
  CHECK(decoded->size() == 6 + 32);  // "alice " + HMAC-MD5 in hex
  CHECK(sim.eavesdropper().saw_in_clear(Exposure::Digest));
  CHECK_FALSE(sim.eavesdropper().saw_in_clear("wonderland"));
  // The challenge came from the seed: "<digits.digits@localhost>".
  CHECK(contains(sim.eavesdropper().plaintext(Direction::ServerToClient), "+ "));
}

TEST_CASE("SCRAM-SHA-256: a salted-proof exposure; the password never crosses") {
  Simulation sim(basic());
  sim.connect();
  REQUIRE(sim.authenticate("SCRAM-SHA-256", "alice", "wonderland").ok());
  const auto seen = secrets(sim);
  REQUIRE_FALSE(seen.empty());
  CHECK(seen.back().exposure == Exposure::SaltedProof);
  CHECK(seen.back().readable());
  const auto decoded = auth::base64_decode(seen.back().wire);
  REQUIRE(decoded);
  CHECK(contains(*decoded, ",p="));
  CHECK(sim.eavesdropper().saw_in_clear(Exposure::SaltedProof));
  CHECK_FALSE(sim.eavesdropper().saw_in_clear("wonderland"));
}

TEST_CASE("APOP: a digest exposure equal to MD5(timestamp + password)") {
  Simulation sim(basic());
  const Exchange greeting = sim.connect();
  REQUIRE(sim.client_session().apop_timestamp());
  REQUIRE(sim.apop("alice", "wonderland").ok());
  const auto seen = secrets(sim);
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].exposure == Exposure::Digest);
  CHECK(seen[0].wire ==
        auth::apop_digest(*sim.client_session().apop_timestamp(), Secret("wonderland")));
  CHECK(greeting.replies[0].reply.text.ends_with(*sim.client_session().apop_timestamp()));
}

TEST_CASE("the middlebox seam sees every chunk either side sends, in order") {
  struct Counting final : Middlebox {
    std::string seen[2];
    std::string_view name() const noexcept override { return "counting"; }
    void on_chunk(const ChunkView& c, MiddleboxOutput& out) override {
      CHECK(c.offset == seen[c.direction == Direction::ClientToServer ? 0 : 1].size());
      seen[c.direction == Direction::ClientToServer ? 0 : 1] += c.bytes;
      out.forward();
    }
  };
  Scenario s = basic();
  s.link.chunking = Chunking::random(1, 7);
  auto box = std::make_unique<Counting>();
  Counting* counting = box.get();
  Simulation sim(s);
  sim.set_middlebox(std::move(box));
  sim.connect();
  REQUIRE(sim.login_user_pass("alice", "wonderland").ok());
  sim.quit();
  CHECK(counting->seen[0] == sim.eavesdropper().stream(Direction::ClientToServer));
  CHECK(counting->seen[1] == sim.eavesdropper().stream(Direction::ServerToClient));
}

TEST_CASE("a middlebox can drop, change and inject bytes, and leave notes in the trace") {
  // Turns the client's "NOOP" into "RSET", and answers a "CAPA" itself.
  struct Meddler final : Middlebox {
    std::string_view name() const noexcept override { return "meddler"; }
    void on_chunk(const ChunkView& c, MiddleboxOutput& out) override {
      if (c.direction == Direction::ClientToServer && c.bytes == "NOOP\r\n") {
        out.forward("RSET\r\n");
        out.note("NOOP became RSET");
      } else if (c.direction == Direction::ClientToServer && c.bytes == "CAPA\r\n") {
        out.inject(Direction::ServerToClient, "+OK\r\nUSER\r\n.\r\n");
      } else {
        out.forward();
      }
    }
  };
  Scenario s = basic();
  s.middlebox = [] { return std::make_unique<Meddler>(); };
  Simulation sim(s);
  sim.connect();
  REQUIRE(sim.login_user_pass("alice", "wonderland").ok());
  const Exchange noop = sim.send({Verb::Noop, {}});
  REQUIRE(noop.last_reply());
  CHECK(contains(noop.last_reply()->text, "maildrop has"));  // the RSET's answer
  const Exchange capa = sim.capa();
  REQUIRE(capa.last_reply());
  CHECK(capa.last_reply()->lines == std::vector<std::string>{"USER"});
  CHECK_FALSE(contains(received_by(sim, Side::Server), "CAPA"));
  const auto notes = records_of<trace::NoteRecord>(records(sim), "link");
  CHECK(std::any_of(notes.begin(), notes.end(),
                    [](const auto& n) { return n.text == "meddler: NOOP became RSET"; }));
  CHECK(std::any_of(notes.begin(), notes.end(), [](const auto& n) {
    return contains(n.text, "meddler injected 14 octets s2c");
  }));
  bool injected = false;
  for (const Capture& c : sim.eavesdropper().captures())
    injected = injected || c.injected;
  CHECK(injected);
}
