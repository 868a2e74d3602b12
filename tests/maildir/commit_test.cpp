#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "pop3/maildir/provider.hpp"
#include "temp_maildir.hpp"

using namespace maildirtest;
using pop3::maildir::MaildirProvider;

namespace {

struct Mailbox {
  TempDir temp;
  fs::path dir = temp.root() / "u" / "Maildir";
  MaildirProvider provider{temp.root()};
  Mailbox() {
    make_maildir(dir);
    for (int i = 1; i <= 4; ++i)
      write_file(cur(i), "message " + std::to_string(i) + "\n");
  }
  fs::path cur(int i) const { return dir / "cur" / (std::to_string(1700000000 + i) + ".m:2,"); }
};

}  // namespace

TEST_CASE("commit deletes exactly the marked messages") {
  Mailbox box;
  auto m = opened(box.provider.open("u"));
  m->mark_deleted(2);
  m->mark_deleted(4);
  m->mark_deleted(1);
  m->unmark_all();  // RSET
  m->mark_deleted(2);
  m->mark_deleted(4);
  const auto result = m->commit();
  CHECK(result.ok());
  CHECK(result.removed == 2);
  CHECK(fs::exists(box.cur(1)));
  CHECK_FALSE(fs::exists(box.cur(2)));
  CHECK(fs::exists(box.cur(3)));
  CHECK_FALSE(fs::exists(box.cur(4)));
}

TEST_CASE("destroying a maildrop without commit deletes nothing") {
  Mailbox box;
  {
    auto m = opened(box.provider.open("u"));
    for (std::size_t n = 1; n <= m->count(); ++n)
      m->mark_deleted(n);
  }
  for (int i = 1; i <= 4; ++i)
    CHECK(fs::exists(box.cur(i)));
  CHECK(opened(box.provider.open("u"))->count() == 4);
}

TEST_CASE("a marked message someone else removed first counts as removed") {
  Mailbox box;
  auto m = opened(box.provider.open("u"));
  m->mark_deleted(3);
  fs::remove(box.cur(3));
  const auto result = m->commit();
  CHECK(result.ok());
  CHECK(result.removed == 1);
  CHECK(names_in(box.dir / "cur").size() == 3);
}

TEST_CASE("a marked message renamed by a flag change is still removed, and nothing else is") {
  Mailbox box;
  auto m = opened(box.provider.open("u"));
  m->mark_deleted(1);
  fs::rename(box.cur(1), box.dir / "cur" / "1700000001.m:2,S");
  const auto result = m->commit();
  CHECK(result.ok());
  CHECK(result.removed == 1);
  CHECK(names_in(box.dir / "cur") ==
        std::vector<std::string>{"1700000002.m:2,", "1700000003.m:2,", "1700000004.m:2,"});
}

TEST_CASE(
    "a message that cannot be removed is counted as failed, with the error, and the rest go") {
  Mailbox box;
  auto m = opened(box.provider.open("u"));
  m->mark_deleted(2);
  m->mark_deleted(3);
  // unlink(2) cannot remove a directory, whoever runs the test (root included).
  fs::remove(box.cur(2));
  fs::create_directory(box.cur(2));
  write_file(box.cur(2) / "inside", "x");
  const auto result = m->commit();
  CHECK_FALSE(result.ok());
  CHECK(result.failed == 1);
  CHECK(result.removed == 1);
  CHECK(result.error.find("cur/1700000002.m:2,") != std::string::npos);
  CHECK(fs::exists(box.cur(2) / "inside"));
  CHECK_FALSE(fs::exists(box.cur(3)));
}

TEST_CASE("commit never touches messages delivered after the snapshot") {
  Mailbox box;
  auto m = opened(box.provider.open("u"));
  write_file(box.dir / "new" / "1800000000.late", "late\n");
  for (std::size_t n = 1; n <= m->count(); ++n)
    m->mark_deleted(n);
  CHECK(m->commit().removed == 4);
  CHECK(names_in(box.dir / "cur").empty());
  CHECK(names_in(box.dir / "new") == std::vector<std::string>{"1800000000.late"});
}
