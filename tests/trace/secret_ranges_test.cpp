// Masking secret ranges in pieces of a byte stream.
#include "pop3/trace/secret_ranges.hpp"

#include <doctest/doctest.h>

#include <limits>

namespace pop3::trace {

TEST_CASE("masking replaces exactly the secret bytes with '*', whatever the piece boundaries") {
  SecretRanges ranges;
  ranges.add(17, 6);  // "USER alice\r\nPASS " is 17 octets, then "s3cr3t"
  const std::string stream = "USER alice\r\nPASS s3cr3t\r\nSTAT\r\n";
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    std::string head = stream.substr(0, cut);
    std::string tail = stream.substr(cut);
    const auto masked = ranges.mask(0, head) + ranges.mask(cut, tail);
    CAPTURE(cut);
    CHECK(masked == 6);
    CHECK(head + tail == "USER alice\r\nPASS ******\r\nSTAT\r\n");
  }
}

TEST_CASE("overlapping and adjacent ranges merge; empty ranges are ignored") {
  SecretRanges ranges;
  ranges.add(10, 0);
  CHECK(ranges.empty());
  ranges.add(20, 5);
  ranges.add(2, 3);
  ranges.add(5, 2);    // adjacent to [2,5)
  ranges.add(22, 10);  // overlaps [20,25)
  std::string bytes(40, 'x');
  CHECK(ranges.mask(0, bytes) == 5 + 12);
  CHECK(bytes == "xx*****xxxxxxxxxxxxx************xxxxxxxx");
}

TEST_CASE("overlaps: any shared byte counts; touching ends do not") {
  SecretRanges ranges;
  ranges.add(10, 5);  // [10, 15)
  CHECK(ranges.overlaps(14, 1));
  CHECK(ranges.overlaps(0, 11));
  CHECK(ranges.overlaps(11, 2));
  CHECK_FALSE(ranges.overlaps(15, 3));
  CHECK_FALSE(ranges.overlaps(5, 5));
  CHECK_FALSE(ranges.overlaps(12, 0));
}

TEST_CASE("a range running past 2^64 is cut there instead of wrapping") {
  SecretRanges ranges;
  constexpr auto kMax = std::numeric_limits<std::uint64_t>::max();
  ranges.add(kMax - 2, 100);
  std::string low(4, 'x');
  CHECK(ranges.mask(0, low) == 0);
  std::string high(2, 'x');
  CHECK(ranges.mask(kMax - 2, high) == 2);
}

}  // namespace pop3::trace
