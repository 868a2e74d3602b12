#include <doctest/doctest.h>

#include "pop3/auth/apop.hpp"
#include "pop3/auth/client_mechanisms.hpp"
#include "pop3/auth/dovecot_scheme.hpp"
#include "pop3/auth/store_authenticator.hpp"
#include "pop3/maildrop/memory_maildrop.hpp"
#include "pop3/trace/recorder.hpp"
#include "pop3test/session_pair.hpp"

using namespace pop3;

namespace {

struct World {
  auth::MemoryCredentialStore store;
  maildrop::MemoryMaildropStore mail;
  std::unique_ptr<auth::StoreAuthenticator> authenticator;

  explicit World(auth::PasswordScheme scheme = auth::PasswordScheme::Plain) {
    auto parsed = auth::parse_dovecot_password(
        auth::encode_dovecot_password(scheme, Secret("wonderland")).reveal());
    REQUIRE(parsed.credential);
    store.add("alice", *parsed.credential);
    mail.deliver("alice", "Subject: hello\r\n\r\nhi\r\n", "uid-1");
    authenticator = std::make_unique<auth::StoreAuthenticator>(store);
  }
  ServerConfig config() const {
    ServerConfig c;
    c.apop_timestamp = auth::make_apop_timestamp("pop3lab.test");
    return c;
  }
};

}  // namespace

TEST_CASE(
    "every SASL mechanism logs in through a client and a server session, and a wrong password does "
    "not") {
  for (const char* mechanism : {"PLAIN", "LOGIN", "CRAM-MD5", "SCRAM-SHA-256"}) {
    for (bool right : {true, false}) {
      CAPTURE(mechanism);
      CAPTURE(right);
      World w;
      pop3test::SessionPair pair(w.config(), *w.authenticator, w.mail);
      pair.run(3);
      REQUIRE(pair.client.send({Verb::Capa, {}}) == std::error_code{});
      pair.run(3);
      REQUIRE(pair.client.capabilities().has_sasl(mechanism));
      auto client =
          auth::make_client_mechanism(mechanism, "alice", Secret(right ? "wonderland" : "wrong"));
      REQUIRE(client);
      REQUIRE_FALSE(pair.client.authenticate(std::move(client)));
      pair.run(3);
      CHECK(pair.last_reply().ok() == right);
      CHECK((pair.client.state() == State::Transaction) == right);
      CHECK((pair.server.state() == State::Transaction) == right);
      // What crossed in the client's direction was announced as a secret where it carries one.
      bool exposed = false;
      for (const auto& s : pair.client_events<SecretSeen>())
        exposed |= s.exposure != Exposure::None;
      CHECK(exposed);
    }
  }
}

TEST_CASE("APOP with the digest of the greeting's timestamp logs in; a replayed digest does not") {
  World w;
  std::string digest;
  {
    pop3test::SessionPair pair(w.config(), *w.authenticator, w.mail);
    pair.run();
    REQUIRE(pair.client.apop_timestamp());
    digest = auth::apop_digest(*pair.client.apop_timestamp(), Secret("wonderland"));
    REQUIRE_FALSE(pair.client.send({Verb::Apop, {"alice", digest}}));
    pair.run();
    CHECK(pair.last_reply().ok());
    REQUIRE_FALSE(pair.client.send({Verb::Quit, {}}));
    pair.run();
  }
  // A second connection has a fresh timestamp: the recorded digest is worthless.
  pop3test::SessionPair replay(w.config(), *w.authenticator, w.mail);
  replay.run();
  REQUIRE_FALSE(replay.client.send({Verb::Apop, {"alice", digest}}));
  replay.run();
  CHECK_FALSE(replay.last_reply().ok());
  CHECK(replay.last_reply().code == ResponseCode::auth());
}

TEST_CASE("a crypt-hashed user gets USER/PASS and PLAIN but no CRAM-MD5 or APOP") {
  World w(auth::PasswordScheme::Sha512Crypt);
  pop3test::SessionPair pair(w.config(), *w.authenticator, w.mail);
  pair.run();
  CHECK_FALSE(pair.client.apop_timestamp());
  REQUIRE_FALSE(pair.client.send({Verb::Capa, {}}));
  pair.run();
  CHECK(pair.client.capabilities().has_sasl("PLAIN"));
  CHECK_FALSE(pair.client.capabilities().has_sasl("CRAM-MD5"));
  CHECK_FALSE(pair.client.capabilities().has_sasl("SCRAM-SHA-256"));
  REQUIRE_FALSE(pair.client.send({Verb::User, {"alice"}}));
  REQUIRE_FALSE(pair.client.send({Verb::Pass, {"wonderland"}}));
  pair.run();
  CHECK(pair.client.state() == State::Transaction);
}

TEST_CASE(
    "the trace of a PLAIN login keeps the password out unless secrets are exposed on purpose") {
  for (bool expose : {false, true}) {
    World w;
    trace::MemorySink sink;
    trace::Recorder recorder(sink, "1", trace::Role::Client,
                             trace::RecorderOptions{TimePoint{}, expose});
    ClientConfig cc;
    pop3test::SessionPair pair(w.config(), *w.authenticator, w.mail, cc);
    pair.run();
    REQUIRE_FALSE(pair.client.authenticate(
        auth::make_client_mechanism("PLAIN", "alice", Secret("wonderland"))));
    pair.run();
    REQUIRE(pair.client.state() == State::Transaction);
    recorder.session_start(pair.clock.now, "test");
    for (const auto& step : pair.client_steps)
      recorder.step(step, pair.clock.now);
    recorder.session_end(pair.clock.now);
    // base64("\0alice\0wonderland") as PLAIN sends it.
    const std::string b64 = "AGFsaWNlAHdvbmRlcmxhbmQ=";
    bool found = false;
    for (const auto& record : sink.records) {
      if (auto* app = std::get_if<trace::AppBytesRecord>(&record.body))
        found |= std::string(app->bytes.begin(), app->bytes.end()).find(b64) != std::string::npos;
      if (auto* cmd = std::get_if<trace::CommandRecord>(&record.body))
        for (const auto& a : cmd->args)
          CHECK(a.find("d29uZGVy") == std::string::npos);
    }
    CHECK(found == expose);
  }
}
