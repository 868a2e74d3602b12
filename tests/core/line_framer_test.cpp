#include "pop3/core/line_framer.hpp"

#include <doctest/doctest.h>

#include "pop3test/feeding.hpp"

using pop3::FramedLine;
using pop3::LineFramer;
using pop3test::Feeding;

namespace {

// Feeds `input` in the given mode and collects every framed result.
std::vector<FramedLine> frame(std::string_view input, Feeding f, pop3::FramingOptions o = {}) {
  LineFramer framer(o);
  std::vector<FramedLine> out;
  for (const auto& chunk : pop3test::chunks(input, f)) {
    framer.feed(chunk);
    for (;;) {
      FramedLine line = framer.next();
      if (line.kind == FramedLine::Kind::NeedMore) break;
      out.push_back(std::move(line));
    }
  }
  if (f == Feeding::WithTrailing) CHECK(framer.buffered() == pop3test::kTrailing.size());
  return out;
}

}  // namespace

TEST_CASE("CRLF-terminated lines are framed the same however the bytes arrive") {
  for (Feeding f : pop3test::kAllFeedings) {
    CAPTURE(pop3test::feeding_name(f));
    auto lines = frame("USER alice\r\nPASS secret word\r\n\r\n", f);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0].text == "USER alice");
    CHECK(lines[0].octets == 12);
    CHECK(lines[1].text == "PASS secret word");
    CHECK(lines[2].text.empty());
    for (const auto& l : lines)
      CHECK_FALSE(l.bare_lf);
  }
}

TEST_CASE("a line of exactly the cap is accepted and one octet more is too long") {
  const std::string exact = std::string(253, 'a') + "\r\n";  // 255 octets
  const std::string over = std::string(254, 'b') + "\r\n";   // 256 octets
  for (Feeding f : pop3test::kAllFeedings) {
    CAPTURE(pop3test::feeding_name(f));
    auto lines = frame(exact + over + "NOOP\r\n", f);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0].kind == FramedLine::Kind::Line);
    CHECK(lines[0].text.size() == 253);
    CHECK(lines[1].kind == FramedLine::Kind::TooLong);
    CHECK(lines[1].octets == 256);
    CHECK(lines[2].kind == FramedLine::Kind::Line);
    CHECK(lines[2].text == "NOOP");
  }
}

TEST_CASE("a never-ending line keeps memory bounded by the cap and is reported once") {
  LineFramer framer;
  for (int i = 0; i < 10000; ++i) {
    framer.feed(std::string(100, 'x'));
    CHECK(framer.next().kind == FramedLine::Kind::NeedMore);
    REQUIRE(framer.buffered() <= 255);
  }
  framer.feed("\r\nSTAT\r\n");
  FramedLine too_long = framer.next();
  CHECK(too_long.kind == FramedLine::Kind::TooLong);
  CHECK(too_long.octets == 1000002);
  FramedLine stat = framer.next();
  CHECK(stat.kind == FramedLine::Kind::Line);
  CHECK(stat.text == "STAT");
}

TEST_CASE("a bare LF ends the line but is flagged unless the leniency is on") {
  for (Feeding f : pop3test::kAllFeedings) {
    CAPTURE(pop3test::feeding_name(f));
    auto strict = frame("STAT\nLIST\r\n", f);
    REQUIRE(strict.size() == 2);
    CHECK(strict[0].text == "STAT");
    CHECK(strict[0].bare_lf);
    CHECK_FALSE(strict[1].bare_lf);
    auto lenient = frame("STAT\n", f, {255, true});
    REQUIRE(lenient.size() == 1);
    CHECK(lenient[0].text == "STAT");
    CHECK_FALSE(lenient[0].bare_lf);
    CHECK(lenient[0].octets == 5);
  }
}

TEST_CASE("take_buffered hands back every unframed byte and empties the framer") {
  LineFramer framer;
  framer.feed("STLS\r\nUSER mallory\r\nPA");
  CHECK(framer.next().text == "STLS");
  CHECK(framer.take_buffered() == "USER mallory\r\nPA");
  CHECK(framer.buffered() == 0);
  CHECK(framer.next().kind == FramedLine::Kind::NeedMore);
}
