#include <doctest/doctest.h>

#include "support.hpp"

using namespace simtest;

namespace {

bool is_record_header(std::string_view bytes, std::uint8_t type) {
  return bytes.size() >= 5 && static_cast<std::uint8_t>(bytes[0]) == type && bytes[1] == '\x03' &&
         bytes[2] == '\x03';
}

// Every c2s TLS record after the client's first application-data record is application
// data too (TLS 1.3 hides handshake and alerts under type 23).
void check_records_after_handshake(const Simulation& sim, Direction d) {
  const auto records = sim.eavesdropper().tls_records(d);
  REQUIRE_FALSE(records.empty());
  CHECK(records.front().content_type == 22);  // ClientHello / ServerHello
  bool data = false;
  for (const TlsRecord& r : records) {
    data = data || r.content_type == 23;
    if (data) {
      CHECK(r.content_type == 23);
      CHECK(r.version == 0x0303);
      CHECK(is_record_header(r.bytes, 0x17));
    }
  }
  CHECK(data);
}

}  // namespace

TEST_CASE(
    "USER/PASS after STLS: the eavesdropper sees only TLS records, and the PASS record holds no "
    "password") {
  for (const Chunking c : {Chunking::whole(), Chunking::fixed(1), Chunking::random(1, 300)}) {
    CAPTURE(c.describe());
    Scenario s = basic();
    s.tls.mode = TlsMode::Stls;
    s.link.chunking = c;
    Simulation sim(s);
    sim.connect();
    const Exchange stls = sim.starttls();
    REQUIRE(stls.ok());
    CHECK(stls.tls_established);
    CHECK(stls.tls_failure.empty());
    REQUIRE(sim.tls(Side::Client));
    CHECK(sim.tls(Side::Client)->version() == "TLSv1.3");
    CHECK(sim.client_session().tls_active());
    CHECK(sim.server_session().tls_active());
    REQUIRE(sim.login_user_pass("alice", "wonderland").ok());
    CHECK(sim.send({Verb::Retr, {"1"}}).ok());
    sim.quit();

    const Eavesdropper& tap = sim.eavesdropper();
    const auto seen = tap.observations();
    REQUIRE(seen.size() == 1);
    const Observation& o = seen[0];
    CHECK(o.exposure == Exposure::Cleartext);  // what the bytes are...
    CHECK(o.channel == trace::Channel::Tls);   // ...but they crossed inside TLS
    CHECK(o.crossed);
    CHECK_FALSE(o.readable());
    CHECK(o.observed() == "encrypted");
    CHECK(is_record_header(o.wire, 0x17));
    CHECK_FALSE(contains(o.wire, "wonderland"));
    CHECK_FALSE(tap.saw_in_clear(Exposure::Cleartext));
    CHECK_FALSE(tap.saw_in_clear("wonderland"));
    CHECK_FALSE(contains(tap.stream(Direction::ClientToServer), "wonderland"));
    CHECK_FALSE(contains(tap.stream(Direction::ServerToClient), "first message"));
    // The plaintext part ends with STLS and its +OK.
    CHECK(tap.plaintext(Direction::ClientToServer).ends_with("STLS\r\n"));
    CHECK(tap.plaintext(Direction::ServerToClient).ends_with("+OK begin TLS negotiation now\r\n"));
    // After the plain part, the wire is TLS records: a ClientHello first, then data.
    const std::string& c2s = tap.stream(Direction::ClientToServer);
    const std::string tls = c2s.substr(tap.plaintext(Direction::ClientToServer).size());
    CHECK(tls.starts_with(std::string("\x16\x03\x01", 3)));
    check_records_after_handshake(sim, Direction::ClientToServer);
    check_records_after_handshake(sim, Direction::ServerToClient);
    // The application bytes went through unchanged.
    CHECK(received_by(sim, Side::Server) == sent_by(sim, Side::Client));
    CHECK(received_by(sim, Side::Client) == sent_by(sim, Side::Server));
  }
}

TEST_CASE("implicit TLS: not one plain octet on the wire; the login is encrypted") {
  Scenario s = basic();
  s.tls.mode = TlsMode::Implicit;
  Simulation sim(s);
  const Exchange greeting = sim.connect();
  REQUIRE(greeting.replies.size() == 1);
  CHECK(greeting.replies[0].greeting);
  CHECK(greeting.tls_established);
  REQUIRE(sim.authenticate("PLAIN", "alice", "wonderland").ok());
  sim.quit();
  const Eavesdropper& tap = sim.eavesdropper();
  CHECK(tap.plaintext(Direction::ClientToServer).empty());
  CHECK(tap.plaintext(Direction::ServerToClient).empty());
  for (const Capture& c : tap.captures())
    CHECK(c.channel == trace::Channel::Tls);
  CHECK(tap.stream(Direction::ClientToServer).starts_with(std::string("\x16\x03\x01", 3)));
  const auto seen = tap.observations();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].exposure == Exposure::Base64);
  CHECK(seen[0].channel == trace::Channel::Tls);
  CHECK(is_record_header(seen[0].wire, 0x17));
  CHECK_FALSE(tap.saw_in_clear(Exposure::Base64));
  CHECK_FALSE(contains(tap.stream(Direction::ClientToServer), "AGFsaWNlAHdvbmRlcmxhbmQ="));
  check_records_after_handshake(sim, Direction::ClientToServer);
  // The session closes with a close_notify (an alert, under type 23 in TLS 1.3).
  CHECK(sim.finished());
}

TEST_CASE("TLS 1.2 works as well, with its own record types on the wire") {
  Scenario s = basic();
  s.tls.mode = TlsMode::Stls;
  s.tls.max_version = TlsVersion::Tls12;
  Simulation sim(s);
  sim.connect();
  REQUIRE(sim.starttls().tls_established);
  CHECK(sim.tls(Side::Server)->version() == "TLSv1.2");
  REQUIRE(sim.login_user_pass("alice", "wonderland").ok());
  CHECK_FALSE(sim.eavesdropper().saw_in_clear("wonderland"));
  bool ccs = false;
  for (const TlsRecord& r : sim.eavesdropper().tls_records(Direction::ClientToServer))
    ccs = ccs || r.type_name() == "change_cipher_spec";
  CHECK(ccs);
}

TEST_CASE(
    "the client checks the certificate: another host name fails the handshake, verification off "
    "accepts it") {
  Scenario s = basic();
  s.tls.mode = TlsMode::Stls;
  s.tls.expected_host = "pop.example.org";  // the certificate says localhost
  {
    Simulation sim(s);
    sim.connect();
    const Exchange stls = sim.starttls();
    CHECK_FALSE(stls.tls_established);
    CHECK(contains(stls.tls_failure, "client: certificate verify failed"));
    CHECK(contains(stls.tls_failure, "hostname mismatch"));
    CHECK(sim.client_session().state() == State::Closed);
    CHECK(sim.server_session().state() == State::Closed);
    // The client never sent a password.
    CHECK(sim.eavesdropper().observations().empty());
  }
  s.tls.verify_peer = false;
  Simulation lax(s);
  lax.connect();
  CHECK(lax.starttls().tls_established);
}

TEST_CASE("a substituted certificate (one the client does not trust) is refused") {
  Scenario s = basic();
  s.tls.mode = TlsMode::Implicit;
  s.tls.trusted_identity = TlsIdentity::self_signed({"localhost"});  // the real server's
  s.tls.server_identity = TlsIdentity::self_signed({"localhost"});   // what is presented
  CHECK(s.tls.trusted_identity->fingerprint_sha256() !=
        s.tls.server_identity->fingerprint_sha256());
  CHECK(s.tls.server_identity->certificate_pem().starts_with("-----BEGIN CERTIFICATE-----"));
  Simulation sim(s);
  const Exchange ex = sim.connect();
  CHECK(ex.replies.empty());
  CHECK(contains(ex.tls_failure, "certificate verify failed"));
  CHECK(sim.finished());
  const auto failed = records_of<trace::TlsFailedRecord>(records(sim), "client");
  REQUIRE(failed.size() == 1);
  CHECK(contains(failed[0].reason, "certificate verify failed"));
}

TEST_CASE("STLS that the server does not offer gets -ERR and the session stays plain") {
  Simulation sim(basic());
  sim.connect();
  const Exchange stls = sim.starttls();
  REQUIRE(stls.last_reply());
  CHECK_FALSE(stls.ok());
  CHECK_FALSE(stls.tls_established);
  CHECK(sim.tls(Side::Client) == nullptr);
  CHECK(sim.login_user_pass("alice", "wonderland").ok());
  CHECK(sim.eavesdropper().saw_in_clear("wonderland"));
}

TEST_CASE(
    "a middlebox that changes one octet of a TLS record breaks the connection, not the secrecy") {
  struct Flipper final : Middlebox {
    bool flipped = false;
    std::string_view name() const noexcept override { return "flipper"; }
    void on_chunk(const ChunkView& c, MiddleboxOutput& out) override {
      std::string bytes(c.bytes);
      if (!flipped && c.channel == trace::Channel::Tls &&
          c.direction == Direction::ClientToServer && is_record_header(bytes, 0x17) &&
          bytes.size() > 20) {
        bytes[bytes.size() - 1] = static_cast<char>(bytes[bytes.size() - 1] ^ 0x01);
        flipped = true;
      }
      out.forward(std::move(bytes));
    }
  };
  Scenario s = basic();
  s.tls.mode = TlsMode::Stls;
  s.middlebox = [] { return std::make_unique<Flipper>(); };
  Simulation sim(s);
  sim.connect();
  REQUIRE(sim.starttls().tls_established);
  const Exchange login = sim.login_user_pass("alice", "wonderland");
  CHECK_FALSE(login.ok());
  CHECK(contains(login.tls_failure, "server: "));
  CHECK(sim.server_session().state() == State::Closed);
  CHECK(sim.client_session().state() == State::Closed);
}
