#include "pop3/auth/apop.hpp"

#include <doctest/doctest.h>

#include <set>

using namespace pop3::auth;

TEST_CASE("apop_digest reproduces the RFC 1939 section 7 example") {
  CHECK(apop_digest("<1896.697170952@dbc.mtview.ca.us>", pop3::Secret("tanstaaf")) ==
        "c4c9334bac560ecc979e58001b3e22fb");
}

TEST_CASE("make_apop_timestamp is <hex.hex@host>, msg-id-safe and unique per call") {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const std::string ts = make_apop_timestamp("mail.example.org");
    CAPTURE(ts);
    CHECK(valid_apop_timestamp(ts));
    CHECK(ts.starts_with("<"));
    CHECK(ts.ends_with("@mail.example.org>"));
    const std::string left = ts.substr(1, ts.find('@') - 1);
    CHECK(left.size() == 33);
    CHECK(left[16] == '.');
    CHECK(left.find_first_not_of("0123456789abcdef.") == std::string::npos);
    // mpop refuses base64-style timestamps ('=', '+', '/').
    CHECK(ts.find_first_of("=+/ ") == std::string::npos);
    seen.insert(ts);
  }
  CHECK(seen.size() == 200);
}

TEST_CASE("make_apop_timestamp falls back to localhost for an empty or unusable host") {
  for (const char* host : {"", "bad host", "a..b", ".lead", "trail.", "x>y", "a@b", "h\r\n"}) {
    CAPTURE(host);
    CHECK(make_apop_timestamp(host).ends_with("@localhost>"));
  }
  CHECK(make_apop_timestamp().ends_with("@localhost>"));
}

TEST_CASE("valid_apop_timestamp accepts RFC 1939's example and refuses non-msg-ids") {
  CHECK(valid_apop_timestamp("<1896.697170952@dbc.mtview.ca.us>"));
  CHECK_FALSE(valid_apop_timestamp("1896.697170952@dbc.mtview.ca.us"));
  CHECK_FALSE(valid_apop_timestamp("<1896.697170952>"));
  CHECK_FALSE(valid_apop_timestamp("<a b@c>"));
  CHECK_FALSE(valid_apop_timestamp("<a..b@c>"));
}
