#include <doctest/doctest.h>

#include <set>
#include <stdexcept>
#include <system_error>

#include "pop3/auth/base64.hpp"
#include "pop3/auth/constant_time.hpp"
#include "pop3/auth/digest.hpp"
#include "pop3/auth/hex.hpp"
#include "pop3/auth/hmac.hpp"
#include "pop3/auth/pbkdf2.hpp"
#include "pop3/auth/random.hpp"

using namespace pop3::auth;

TEST_CASE("base64_encode matches the RFC 4648 section 10 vectors") {
  CHECK(base64_encode("") == "");
  CHECK(base64_encode("f") == "Zg==");
  CHECK(base64_encode("fo") == "Zm8=");
  CHECK(base64_encode("foo") == "Zm9v");
  CHECK(base64_encode("foob") == "Zm9vYg==");
  CHECK(base64_encode("fooba") == "Zm9vYmE=");
  CHECK(base64_encode("foobar") == "Zm9vYmFy");
  CHECK(base64_encode(std::string("\0\xff\xfe", 3)) == "AP/+");
}

TEST_CASE("base64_decode inverts the RFC 4648 vectors, binary included") {
  CHECK(base64_decode("") == std::string{});
  CHECK(base64_decode("Zg==") == "f");
  CHECK(base64_decode("Zm8=") == "fo");
  CHECK(base64_decode("Zm9v") == "foo");
  CHECK(base64_decode("Zm9vYg==") == "foob");
  CHECK(base64_decode("Zm9vYmE=") == "fooba");
  CHECK(base64_decode("Zm9vYmFy") == "foobar");
  CHECK(base64_decode("AP/+") == std::string("\0\xff\xfe", 3));
}

TEST_CASE("base64_decode refuses everything but canonical base64") {
  for (const char* bad :
       {"Zg", "Zg=", "Zg===", "Z===", "Zm9v\n", " Zm9v", "Zm9v ", "Zm 9v", "Zm=v", "=Zm9",
        "Zg==Zg==", "Zm9v_-==", "Zm9-", "Zh==", "Zm9=", "Zm8\r", "*m9v", "Zm9vYmFy\r\n", "===="}) {
    CAPTURE(bad);
    CHECK_FALSE(base64_decode(bad).has_value());
  }
  // Non-zero pad bits: "Zh==" and "Zm9=" decode to "f" and "fo" in lenient decoders.
  CHECK(base64_decode("Zg==") == "f");
}

TEST_CASE("hex_encode is lower case; hex_decode takes both cases and refuses junk") {
  CHECK(hex_encode(std::string("\x00\x01\xab\xff", 4)) == "0001abff");
  CHECK(hex_decode("0001ABff") == std::string("\x00\x01\xab\xff", 4));
  CHECK_FALSE(hex_decode("abc").has_value());
  CHECK_FALSE(hex_decode("zz").has_value());
}

TEST_CASE("md5 and sha256 match RFC 1321 and FIPS 180 vectors") {
  CHECK(hex_encode(md5("")) == "d41d8cd98f00b204e9800998ecf8427e");
  CHECK(hex_encode(md5("abc")) == "900150983cd24fb0d6963f7d28e17f72");
  CHECK(hex_encode(md5_parts({"a", "", "bc"})) == "900150983cd24fb0d6963f7d28e17f72");
  CHECK(hex_encode(sha256("abc")) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("hmac_md5 and hmac_sha256 match RFC 2202 and RFC 4231 test case 2") {
  CHECK(hex_encode(hmac_md5("Jefe", "what do ya want for nothing?")) ==
        "750c783e6ab0b503eaa86e310a5db738");
  CHECK(hex_encode(hmac_sha256("Jefe", "what do ya want for nothing?")) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // An empty key is a valid key (RFC 2104 pads it with zeros).
  CHECK(hex_encode(hmac_md5("", "")) == "74e6f7298a9c2d168935f58c001bad88");
}

TEST_CASE("pbkdf2_hmac_sha256 matches the RFC 7914 section 11 vector") {
  const pop3::Secret key = pbkdf2_hmac_sha256(pop3::Secret("passwd"), "salt", 1, 64);
  CHECK(hex_encode(key.reveal()) ==
        "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
        "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783");
  CHECK_THROWS_AS((void)pbkdf2_hmac_sha256(pop3::Secret("x"), "salt", 0), std::invalid_argument);
}

TEST_CASE("random_bytes and random_token are fresh and stay in their alphabet") {
  CHECK(random_bytes(0).empty());
  CHECK(random_bytes(16).size() == 16);
  CHECK(random_bytes(16) != random_bytes(16));
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string token = random_token(12, "abc");
    CHECK(token.size() == 12);
    CHECK(token.find_first_not_of("abc") == std::string::npos);
    seen.insert(token);
  }
  CHECK(seen.size() == 100);
  CHECK(random_token(5, "x") == "xxxxx");
  CHECK_THROWS_AS((void)random_token(3, ""), std::invalid_argument);
}

TEST_CASE("constant_time_equals compares content and length") {
  CHECK(constant_time_equals("", ""));
  CHECK(constant_time_equals("abc", "abc"));
  CHECK_FALSE(constant_time_equals("abc", "abd"));
  CHECK_FALSE(constant_time_equals("abc", "abcd"));
}
