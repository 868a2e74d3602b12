#include <doctest/doctest.h>
#include <unistd.h>

#include <random>
#include <stdexcept>
#include <string>
#include <system_error>

#include "pop3/maildir/provider.hpp"
#include "pop3/maildrop/memory_maildrop.hpp"
#include "temp_maildir.hpp"

using namespace maildirtest;
using pop3::maildir::MaildirProvider;
using pop3::maildrop::to_wire_form;

namespace {

struct Mailbox {
  TempDir temp;
  fs::path dir = temp.root() / "u" / "Maildir";
  MaildirProvider provider{temp.root()};
  Mailbox() { make_maildir(dir); }
  fs::path cur(const std::string& name) const { return dir / "cur" / name; }
};

// Every line-end case in one message: LF, CRLF, CR then LF split by any buffer, a bare CR,
// an empty line, and no final newline.
const std::string kTricky = "From: a\nTo: b\r\n\r\nx\ry\n\nz\r\r\nend";

}  // namespace

TEST_CASE("the stream gives the wire form through a one-byte buffer") {
  Mailbox box;
  write_file(box.cur("1700000000.t:2,"), kTricky);
  auto m = opened(box.provider.open("u"));
  const std::string wire = read_all(*m->open_message(1), 1);
  CHECK(visible(wire) == visible(to_wire_form(kTricky)));
  CHECK(wire.size() == m->info(1).octets);
}

TEST_CASE("the stream gives the wire form through buffers of random sizes") {
  Mailbox box;
  std::mt19937 rng(110);
  std::string text;
  std::uniform_int_distribution<int> pick(0, 5);
  for (int i = 0; i < 5000; ++i) {
    static constexpr const char* kPieces[] = {"a", "\n", "\r\n", "\r", "text ", "."};
    text += kPieces[pick(rng)];
  }
  write_file(box.cur("1700000000.r:2,"), text);
  auto m = opened(box.provider.open("u"));
  const std::string expected = to_wire_form(text);
  REQUIRE(m->info(1).octets == expected.size());
  for (int round = 0; round < 20; ++round) {
    auto stream = m->open_message(1);
    std::uniform_int_distribution<std::size_t> size(1, 97);
    std::string got;
    char buffer[97];
    while (const std::size_t n = stream->read(buffer, size(rng)))
      got.append(buffer, n);
    CHECK(got == expected);
    CHECK(stream->read(buffer, sizeof buffer) == 0);  // stays at the end
  }
}

TEST_CASE("a message removed before RETR cannot be opened: std::system_error before any byte") {
  Mailbox box;
  write_file(box.cur("1700000000.gone:2,"), "x\n");
  auto m = opened(box.provider.open("u"));
  fs::remove(box.cur("1700000000.gone:2,"));
  CHECK_THROWS_AS(m->open_message(1), std::system_error);
}

TEST_CASE("a message that vanishes or changes size after the snapshot makes reading it throw") {
  Mailbox box;
  write_file(box.cur("1700000000.a:2,"), "first line\nsecond line\n");
  write_file(box.cur("1700000001.b:2,"), "short\n");
  auto m = opened(box.provider.open("u"));

  SUBCASE("shrunk after open_message: read throws instead of ending early") {
    auto stream = m->open_message(1);
    REQUIRE(::truncate(box.cur("1700000000.a:2,").c_str(), 5) == 0);
    CHECK_THROWS_AS(read_all(*stream, 4), std::system_error);
  }
  SUBCASE("grown after open_message: read throws instead of running long") {
    auto stream = m->open_message(2);
    std::ofstream(box.cur("1700000001.b:2,"), std::ios::app) << "appended by someone\n";
    CHECK_THROWS_AS(read_all(*stream, 4), std::system_error);
  }
  SUBCASE("rewritten with another size before RETR: open_message throws") {
    write_file(box.cur("1700000001.b:2,"), "longer than it was\n");
    CHECK_THROWS_AS(m->open_message(2), std::system_error);
  }
  SUBCASE("unlinked while being read: the open file is still sent whole") {
    auto stream = m->open_message(1);
    fs::remove(box.cur("1700000000.a:2,"));
    CHECK(read_all(*stream, 3) == "first line\r\nsecond line\r\n");
  }
}

TEST_CASE("a message renamed by a flag change during the session is found again by inode") {
  Mailbox box;
  write_file(box.cur("1700000000.f:2,"), "flagged\n");
  auto m = opened(box.provider.open("u"));
  fs::rename(box.cur("1700000000.f:2,"), box.cur("1700000000.f:2,FS"));
  CHECK(read_all(*m->open_message(1), 16) == "flagged\r\n");
  CHECK(m->info(1).uidl == "1700000000.f");
}

TEST_CASE("message numbers outside 1..count() are refused") {
  Mailbox box;
  write_file(box.cur("1700000000.one:2,"), "x\n");
  auto m = opened(box.provider.open("u"));
  CHECK_THROWS_AS((void)m->info(0), std::out_of_range);
  CHECK_THROWS_AS((void)m->info(2), std::out_of_range);
  CHECK_THROWS_AS(m->open_message(2), std::out_of_range);
  CHECK_THROWS_AS(m->mark_deleted(2), std::out_of_range);
  CHECK_THROWS_AS((void)m->is_deleted(0), std::out_of_range);
}
