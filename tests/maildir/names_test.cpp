#include "pop3/maildir/names.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "pop3/core/maildrop.hpp"
#include "pop3/maildir/uidl.hpp"

using namespace pop3::maildir;

namespace {
std::string hex16(std::uint64_t v) {
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(v));
  return buffer;
}
}  // namespace

TEST_CASE("the unique name is the file name up to the ':' info separator") {
  CHECK(unique_part("1700000000.M1P2Q3.host,S=10,W=12:2,RS") == "1700000000.M1P2Q3.host,S=10,W=12");
  CHECK(unique_part("1700000000.M1P2Q3.host") == "1700000000.M1P2Q3.host");
  CHECK(unique_part("name:2,") == "name");
  CHECK(unique_part(":2,S") == "");
}

TEST_CASE("delivery stamps come from the leading seconds and Dovecot's .M<usec>") {
  const auto dovecot = delivery_stamp("1700000000.M123456P99Q1.host");
  CHECK(dovecot.known);
  CHECK(dovecot.seconds == 1700000000);
  CHECK(dovecot.micros == 123456);
  const auto qmail = delivery_stamp("1035478339.27041_118.foo.org");
  CHECK(qmail.known);
  CHECK(qmail.seconds == 1035478339);
  CHECK(qmail.micros == 0);
  CHECK(delivery_stamp("42").known);
  CHECK_FALSE(delivery_stamp("msg-1700000000").known);
  CHECK_FALSE(delivery_stamp("1700000000x.host").known);
  CHECK_FALSE(delivery_stamp("99999999999999999999999.host").known);  // overflows: no stamp
  // The order that matters: microseconds compare as numbers, not as text.
  CHECK(delivery_stamp("1700000000.M9P1.h") < delivery_stamp("1700000000.M10P1.h"));
}

TEST_CASE("unique names order with digit runs compared as numbers, as a strict total order") {
  CHECK(natural_less("1700000000.M9P1Q9.h", "1700000000.M10P1Q1.h"));
  CHECK(natural_less("1700000000.M5P1Q9.h", "1700000000.M5P1Q10.h"));
  CHECK_FALSE(natural_less("1700000000.M5P1Q10.h", "1700000000.M5P1Q9.h"));
  CHECK(natural_less("999999999.x", "1000000000.x"));
  CHECK(natural_less("abc", "abd"));
  CHECK(natural_less("ab", "abc"));
  CHECK_FALSE(natural_less("abc", "abc"));
  CHECK(natural_less("a01", "a1") != natural_less("a1", "a01"));  // never equivalent
}

TEST_CASE("host names in unique names have '/' and ':' escaped as \\057 and \\072") {
  CHECK(escape_host("mail.example.org") == "mail.example.org");
  CHECK(escape_host("a/b:c") == "a\\057b\\072c");
  CHECK(escape_host("") == "localhost");
}

TEST_CASE("unique names read SECONDS.M<usec>P<pid>Q<counter>.HOST") {
  const std::chrono::system_clock::time_point when{std::chrono::microseconds(1700000000000042)};
  CHECK(make_unique_name(when, 4242, 7, "mx:1") == "1700000000.M42P4242Q7.mx\\0721");
  CHECK(local_host_name().size() > 0);
}

TEST_CASE("FNV-1a-64 gives the published test vectors (stable on every build)") {
  CHECK(fnv1a64("") == 0xcbf29ce484222325ULL);
  CHECK(fnv1a64("a") == 0xaf63dc4c8601ec8cULL);
  CHECK(fnv1a64("foobar") == 0x85944171f73967e8ULL);
}

TEST_CASE("a valid unique name is its own UIDL") {
  CHECK(uidl_for("1700000000.M1P2Q3.host,S=10,W=12") == "1700000000.M1P2Q3.host,S=10,W=12");
  CHECK(uidl_for(std::string(70, 'x')) == std::string(70, 'x'));
}

TEST_CASE(
    "an invalid unique name gets a derived UIDL: valid prefix, '~', 16 hex digits of FNV-1a") {
  const std::string long_name =
      "1700000000.M123456P4242Q1.a-rather-long-host-name.mail.example.org,S=1,W=2";
  const std::string derived = uidl_for(long_name);
  CHECK(pop3::valid_uidl(derived));
  CHECK(derived.size() == 70);
  CHECK(derived.substr(0, 53) == long_name.substr(0, 53));
  CHECK(derived[53] == '~');
  CHECK(uidl_for(long_name) == derived);  // a pure function of the name

  CHECK(uidl_for("has space") == "has~" + hex16(fnv1a64("has space")));
  CHECK(uidl_for("") == "~cbf29ce484222325");
  CHECK(pop3::valid_uidl(uidl_for("\xc3\xa9t\xc3\xa9")));
  CHECK(uidl_for("a b") != uidl_for("a c"));
}

TEST_CASE("disambiguated UIDLs are valid, deterministic and differ from the plain one") {
  const std::string plain = "1700000000.M1P2Q3.host";
  const std::string other = disambiguated_uidl(plain, "cur/1700000000.M1P2Q3.host:2,S");
  CHECK(pop3::valid_uidl(other));
  CHECK(other != plain);
  CHECK(other == disambiguated_uidl(plain, "cur/1700000000.M1P2Q3.host:2,S"));
  CHECK(other != disambiguated_uidl(plain, "new/1700000000.M1P2Q3.host"));
  CHECK(pop3::valid_uidl(disambiguated_uidl(std::string(70, 'x'), "cur/x")));
}
