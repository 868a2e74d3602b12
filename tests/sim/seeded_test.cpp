#include <doctest/doctest.h>

#include "pop3/auth/apop.hpp"
#include "pop3/auth/scram.hpp"
#include "support.hpp"

using namespace simtest;

TEST_CASE(
    "a seeded stream replays: the same seed and name give the same numbers, another name or seed "
    "does not") {
  SeededRandom a(42, "chunks");
  SeededRandom b(42, "chunks");
  SeededRandom c(42, "nonces");
  SeededRandom d(43, "chunks");
  const auto first = a.next();
  CHECK(first == b.next());
  CHECK(first != c.next());
  CHECK(first != d.next());
  for (int i = 0; i < 1000; ++i) {
    const auto v = a.between(3, 7);
    CHECK(v >= 3);
    CHECK(v <= 7);
  }
  CHECK(a.token(40, "ab").find_first_not_of("ab") == std::string::npos);
  CHECK(a.bytes(13).size() == 13);
  CHECK_THROWS_AS(a.below(0), std::invalid_argument);
}

TEST_CASE("seeded values are pinned: a lab replays across compilers and versions") {
  // mt19937_64 and seed_seq are specified by the standard, and no std distribution is
  // used, so these values are the same everywhere. Changing them changes every lab.
  SeededRandom r(1, "apop timestamp");
  CHECK(r.hex(8) == "b60097c8e3bf1061");
  CHECK(r.hex(8) == "cdbeec13b2e9dc5b");
  CHECK(r.next() == 12549797270419608782ULL);
  LabNonces n(1, "localhost");
  CHECK(n.apop_timestamp() == "<b60097c8e3bf1061.cdbeec13b2e9dc5b@localhost>");
}

TEST_CASE("lab nonces have the protocol's shapes and replay per seed") {
  LabNonces a(7, "pop.example.org");
  LabNonces b(7, "pop.example.org");
  LabNonces c(8, "pop.example.org");
  const std::string ts = a.apop_timestamp();
  CHECK(auth::valid_apop_timestamp(ts));
  CHECK(ts.ends_with("@pop.example.org>"));
  CHECK(ts == b.apop_timestamp());
  CHECK(ts != c.apop_timestamp());
  CHECK(a.apop_timestamp() != ts);  // a second connection gets a fresh one
  const std::string challenge = a.cram_md5_challenge();
  CHECK(challenge.starts_with("<"));
  CHECK(challenge.ends_with("@pop.example.org>"));
  const std::string nonce = a.scram_client_nonce();
  CHECK(nonce.size() == 24);
  CHECK(auth::scram::valid_nonce(nonce));
  CHECK(auth::scram::valid_nonce(a.scram_server_nonce()));
  CHECK(a.scram_salt_key() == b.scram_salt_key());
  CHECK(a.scram_salt_key() != c.scram_salt_key());
  CHECK(a.scram_salt("alice") == b.scram_salt("alice"));
  CHECK(a.scram_salt("alice") != a.scram_salt("bob"));
  CHECK(a.scram_salt("alice").size() == 16);
  const auto options = a.server_mechanism_options();
  CHECK(options.host == "pop.example.org");
  REQUIRE(options.cram_md5_challenge);
  LabNonces fresh(7, "pop.example.org");
  CHECK(options.cram_md5_challenge() != challenge);  // the next one
  CHECK(fresh.server_mechanism_options().cram_md5_challenge() == challenge);
}
