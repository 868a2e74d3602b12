#include "pop3/auth/dovecot_scheme.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "pop3/auth/base64.hpp"

using namespace pop3::auth;
using pop3::Secret;

namespace {

// Fixtures written by Dovecot 2.3.19's `doveadm pw -s SCHEME -p PASSWORD`.
constexpr std::string_view crypt_pencil =
    "{SHA512-CRYPT}$6$PryRNAlFo1dmn0Ay$EYsaIZy417Ikvx3DNQs8xYNc8vh3kCfFVmmtrrlk2Leu4SW9tnnCqUC"
    "vd4lNbo/VY1jtXB5kXDu0itYonLsQY0";
constexpr std::string_view crypt_troubador =
    "{SHA512-CRYPT}$6$GmQBUzNwkFCuXDs3$DaJV75PQZf.Rrm5KJ7RVNBWfUIv7wAWnUNfIcROSJqQ76JlvtXTw.oz"
    "rRJ7TZ9b/eOn6Ay8Jpgem/ISw.fjZ6.";
constexpr std::string_view crypt_rounds_pencil =  // doveadm pw -s SHA512-CRYPT -r 10000
    "{SHA512-CRYPT}$6$rounds=10000$CHj3AUhGYWC1lqc7$uBbChWbmt7lO/4Brf2VwMlybliw4ky2nz7/MiwSzN"
    "2UGNVl3n9908QADkFCIGLoFQVFyr8J5I2BaXt.ftcdiE/";
constexpr std::string_view scram_pencil =
    "{SCRAM-SHA-256}4096,iTG9KIInPf/UawdDyGD3+A==,MtzaeJjoezKKntdeajad7el7kFqnx0oV0lFrLQbSIss=,"
    "+hO04vxZTmXO+Y8n1oTm9azV8ocvi5uQHxQQEeB54HU=";
constexpr std::string_view scram_troubador =
    "{SCRAM-SHA-256}4096,YxCWhCFdtu2aDbGaNBBxkA==,/t/zGsInL3RqlxEa9fw5C59mDBrwanOgMgwj0IexoIs=,"
    "pAJrOBdyBZLoW38nrQB5tQP8Mwuw+PVYnqBR4kCBxXk=";

StoredCredential parse(std::string_view field) {
  auto parsed = parse_dovecot_password(field);
  REQUIRE_MESSAGE(parsed.credential, parsed.error);
  return std::move(*parsed.credential);
}

}  // namespace

TEST_CASE("doveadm's SHA512-CRYPT and SCRAM-SHA-256 strings parse and verify") {
  CHECK(parse(crypt_pencil).verify_password(Secret("pencil")));
  CHECK_FALSE(parse(crypt_pencil).verify_password(Secret("Tr0ub4dor&3")));
  CHECK(parse(crypt_troubador).verify_password(Secret("Tr0ub4dor&3")));
  CHECK(parse(crypt_rounds_pencil).verify_password(Secret("pencil")));
  CHECK(parse(scram_pencil).verify_password(Secret("pencil")));
  CHECK_FALSE(parse(scram_pencil).verify_password(Secret("pencil!")));
  CHECK(parse(scram_troubador).verify_password(Secret("Tr0ub4dor&3")));

  const auto keys = parse(scram_pencil);
  REQUIRE(keys.scram_keys());
  CHECK(keys.scram_keys()->iterations == 4096);
  CHECK(keys.scram_keys()->salt.size() == 16);
}

TEST_CASE("{PLAIN} and {CLEARTEXT} hold the password; scheme names are case-insensitive") {
  for (const char* field : {"{PLAIN}pencil", "{CLEARTEXT}pencil", "{plain}pencil"}) {
    CAPTURE(field);
    const auto c = parse(field);
    CHECK(c.kind() == StoredCredential::Kind::Plaintext);
    CHECK(c.plaintext_password()->reveal() == "pencil");
  }
}

TEST_CASE("parse_dovecot_password refuses malformed fields without echoing the secret") {
  for (const char* bad :
       {"pencil", "{PLAIN", "{PLAIN}", "{MD5-CRYPT}$1$abc$def", "{SHA512-CRYPT}pencil",
        "{SHA512-CRYPT}$6$salt$tooshort", "{SHA512-CRYPT}$5$salt$x",
        "{SHA512-CRYPT}$6$rounds=$salt$x", "{SCRAM-SHA-256}4096,salt",
        "{SCRAM-SHA-256}0,iTG9KIInPf/"
        "UawdDyGD3+A==,MtzaeJjoezKKntdeajad7el7kFqnx0oV0lFrLQbSIss=,+hO04vxZTmXO+"
        "Y8n1oTm9azV8ocvi5uQHxQQEeB54HU=",
        "{SCRAM-SHA-256}4096,!!,MtzaeJjoezKKntdeajad7el7kFqnx0oV0lFrLQbSIss=,+hO04vxZTmXO+"
        "Y8n1oTm9azV8ocvi5uQHxQQEeB54HU=",
        "{SCRAM-SHA-256}4096,iTG9KIInPf/"
        "UawdDyGD3+A==,MtzaeJjo,+hO04vxZTmXO+Y8n1oTm9azV8ocvi5uQHxQQEeB54HU="}) {
    CAPTURE(bad);
    const auto parsed = parse_dovecot_password(bad);
    CHECK_FALSE(parsed.credential);
    CHECK_FALSE(parsed.error.empty());
    CHECK(parsed.error.find("pencil") == std::string::npos);
    CHECK(parsed.error.find("MtzaeJjo") == std::string::npos);
  }
}

TEST_CASE("encode_dovecot_password writes doveadm's formats with fresh salts") {
  const Secret pw("pencil");
  CHECK(encode_dovecot_password(PasswordScheme::Plain, pw).reveal() == "{PLAIN}pencil");
  CHECK(encode_dovecot_password(PasswordScheme::Cleartext, pw).reveal() == "{CLEARTEXT}pencil");

  const Secret crypt = encode_dovecot_password(PasswordScheme::Sha512Crypt, pw);
  const std::string_view c = crypt.reveal();
  CHECK(c.starts_with("{SHA512-CRYPT}$6$"));
  // doveadm: 16-character salt, default rounds (not written), 86-character hash.
  CHECK(c.size() == std::string_view("{SHA512-CRYPT}$6$").size() + 16 + 1 + 86);
  CHECK(c.find("rounds=") == std::string_view::npos);
  CHECK(parse(c).verify_password(pw));
  CHECK(encode_dovecot_password(PasswordScheme::Sha512Crypt, pw).reveal() != c);

  const Secret scram = encode_dovecot_password(PasswordScheme::ScramSha256, pw);
  const std::string_view s = scram.reveal();
  CHECK(s.starts_with("{SCRAM-SHA-256}4096,"));
  const auto keys = parse(s);
  CHECK(keys.scram_keys()->salt.size() == 16);
  CHECK(keys.verify_password(pw));
  CHECK(encode_dovecot_password(PasswordScheme::ScramSha256, pw).reveal() != s);

  CHECK_THROWS_AS((void)encode_dovecot_password(PasswordScheme::Sha512Crypt,
                                                Secret(std::string_view("a\0b", 3))),
                  std::invalid_argument);
}

TEST_CASE("encode_dovecot_credential writes a parsed credential back unchanged") {
  for (const std::string_view field : {crypt_pencil, crypt_rounds_pencil, scram_pencil}) {
    CHECK(encode_dovecot_credential(parse(field)).reveal() == field);
  }
  CHECK(encode_dovecot_credential(parse("{CLEARTEXT}pencil")).reveal() == "{PLAIN}pencil");
}

// Cross-check with Dovecot itself when it is installed (scripts/install-deps installs it).
TEST_CASE("doveadm pw -t verifies the SHA512-CRYPT and SCRAM-SHA-256 strings we encode") {
  if (!std::filesystem::exists("/usr/bin/doveadm")) {
    MESSAGE("doveadm not installed: skipped");
    return;
  }
  for (const auto scheme : {PasswordScheme::Sha512Crypt, PasswordScheme::ScramSha256}) {
    const Secret field = encode_dovecot_password(scheme, Secret("pencil"));
    const std::string command =
        "/usr/bin/doveadm pw -t '" + std::string(field.reveal()) + "' -p pencil >/dev/null 2>&1";
    CAPTURE(scheme_name(scheme));
    CHECK(std::system(command.c_str()) == 0);
    const std::string wrong =
        "/usr/bin/doveadm pw -t '" + std::string(field.reveal()) + "' -p pencil2 >/dev/null 2>&1";
    CHECK(std::system(wrong.c_str()) != 0);
  }
}
