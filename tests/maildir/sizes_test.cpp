#include <doctest/doctest.h>

#include <string>

#include "pop3/maildir/provider.hpp"
#include "pop3/maildrop/memory_maildrop.hpp"
#include "temp_maildir.hpp"

using namespace maildirtest;
using pop3::maildir::MaildirProvider;
using pop3::maildrop::to_wire_form;

namespace {

struct Case {
  const char* what;
  std::string disk;
  std::uint64_t octets;
};

}  // namespace

TEST_CASE("sizes are wire octets (CRLF line ends, final CRLF) whatever the line ends on disk") {
  const Case cases[] = {
      {"LF", "Subject: a\n\nbody\n", 20},
      {"CRLF", "Subject: a\r\n\r\nbody\r\n", 20},
      {"mixed", "Subject: a\r\n\nbody\n", 20},
      {"no final newline", "Subject: a\n\nbody", 20},
      {"final bare CR", "Subject: a\n\nbody\r", 20},
      {"empty file", "", 0},
      {"only a newline", "\n", 2},
      {"bare CR inside a line", "a\rb\n", 5},
  };
  TempDir temp;
  const fs::path dir = temp.root() / "u" / "Maildir";
  make_maildir(dir);
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < std::size(cases); ++i) {
    write_file(dir / "cur" / (std::to_string(1700000000 + i) + ".m:2,"), cases[i].disk);
    total += cases[i].octets;
  }
  MaildirProvider provider{temp.root()};
  auto m = opened(provider.open("u"));
  REQUIRE(m->count() == std::size(cases));
  for (std::size_t i = 0; i < std::size(cases); ++i) {
    INFO(cases[i].what);
    CHECK(m->info(i + 1).octets == cases[i].octets);
    CHECK(m->info(i + 1).octets == to_wire_form(cases[i].disk).size());
    CHECK(read_all(*m->open_message(i + 1), 7) == to_wire_form(cases[i].disk));
  }
  CHECK(m->live_octets() == total);
}

TEST_CASE("a wrong ,W= hint in the name does not change the measured size") {
  TempDir temp;
  const fs::path dir = temp.root() / "u" / "Maildir";
  make_maildir(dir);
  write_file(dir / "cur" / "1700000000.M1P1Q1.h,S=3,W=999:2,", "edited\n");
  auto m = opened(MaildirProvider{temp.root()}.open("u"));
  CHECK(m->info(1).octets == 8);
}

TEST_CASE("a large message is measured and streamed in wire form across read buffers") {
  TempDir temp;
  const fs::path dir = temp.root() / "u" / "Maildir";
  make_maildir(dir);
  std::string big;
  for (int i = 0; i < 40000; ++i)
    big += "line " + std::to_string(i) + (i % 3 == 0 ? "\r\n" : "\n");
  big += "no final newline";
  write_file(dir / "cur" / "1700000000.big:2,", big);
  auto m = opened(MaildirProvider{temp.root()}.open("u"));
  const std::string wire = to_wire_form(big);
  CHECK(m->info(1).octets == wire.size());
  CHECK(read_all(*m->open_message(1), 65536) == wire);
  CHECK(read_all(*m->open_message(1), 4093) == wire);
}
