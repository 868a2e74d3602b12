// The header's creation time as RFC 3339 UTC text.
#include "pop3/trace/timestamp.hpp"

#include <doctest/doctest.h>

namespace pop3::trace {

TEST_CASE("timestamps are RFC 3339 UTC with microseconds and parse back exactly") {
  using namespace std::chrono;
  const WallTime t{sys_days{1999y / December / 31} + 23h + 59min + 59s + Micros{1}};
  CHECK(format_timestamp(t) == "1999-12-31T23:59:59.000001Z");
  CHECK(parse_timestamp("1999-12-31T23:59:59.000001Z") == t);
  CHECK(format_timestamp(WallTime{}) == "1970-01-01T00:00:00.000000Z");
}

TEST_CASE("timestamps: fractions of any length up to nine digits; UTC only") {
  using namespace std::chrono;
  const WallTime midnight{sys_days{2024y / February / 29}};
  CHECK(parse_timestamp("2024-02-29T00:00:00Z") == midnight);
  CHECK(parse_timestamp("2024-02-29t00:00:00.5z") == midnight + milliseconds{500});
  CHECK(parse_timestamp("2024-02-29T00:00:00.123456789Z") == midnight + Micros{123456});
  CHECK_FALSE(parse_timestamp("2023-02-29T00:00:00Z"));
  CHECK_FALSE(parse_timestamp("2024-02-29T00:00:00+01:00"));
  CHECK_FALSE(parse_timestamp("2024-02-29T24:00:00Z"));
  CHECK_FALSE(parse_timestamp("2024-02-29T00:00:00.Z"));
  CHECK_FALSE(parse_timestamp("2024-02-29 00:00:00Z"));
  CHECK_FALSE(parse_timestamp("2024-02-29T00:00:00Zjunk"));
}

}  // namespace pop3::trace
