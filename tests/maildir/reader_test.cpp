#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <set>
#include <string>
#include <vector>

#include "pop3/maildir/maildir.hpp"
#include "pop3/maildir/provider.hpp"
#include "pop3/maildir/uidl.hpp"
#include "temp_maildir.hpp"

using namespace maildirtest;
using pop3::MaildropOpen;
using pop3::maildir::Maildir;
using pop3::maildir::MaildirOptions;
using pop3::maildir::MaildirProvider;

namespace {

struct Mailbox {
  TempDir temp;
  fs::path dir = temp.root() / "alice" / "Maildir";
  MaildirProvider provider{temp.root()};
  Mailbox() { make_maildir(dir); }
};

std::vector<std::string> uidls(const pop3::Maildrop& m) {
  std::vector<std::string> out;
  for (std::size_t n = 1; n <= m.count(); ++n)
    out.push_back(m.info(n).uidl);
  return out;
}

}  // namespace

TEST_CASE("open moves new/NAME to cur/NAME:2, and leaves tmp/ and dot-files alone") {
  Mailbox box;
  write_file(box.dir / "new" / "1700000000.M1P1Q1.h", "one\n");
  write_file(box.dir / "new" / "1700000001.M1P1Q1.h:2,S", "has info already\n");
  write_file(box.dir / "new" / ".hidden", "not a message\n");
  write_file(box.dir / "tmp" / "1700000002.M1P1Q1.h", "being delivered\n");
  auto m = opened(box.provider.open("alice"));
  CHECK(m->count() == 2);
  CHECK(names_in(box.dir / "cur") ==
        std::vector<std::string>{"1700000000.M1P1Q1.h:2,", "1700000001.M1P1Q1.h:2,S"});
  CHECK(names_in(box.dir / "new") == std::vector<std::string>{".hidden"});
  CHECK(names_in(box.dir / "tmp") == std::vector<std::string>{"1700000002.M1P1Q1.h"});
}

TEST_CASE("messages are numbered by delivery time (seconds, then .M<usec>), then unique name") {
  Mailbox box;
  write_file(box.dir / "cur" / "1700000002.M5P1.h:2,", "x\n");
  write_file(box.dir / "cur" / "1700000001.M10P1.h:2,S", "x\n");
  write_file(box.dir / "cur" / "1700000001.M9P1.h:2,", "x\n");
  write_file(box.dir / "new" / "1700000000.M1P1.h", "x\n");
  write_file(box.dir / "cur" / "zzz:2,", "x\n");
  write_file(box.dir / "cur" / "aaa:2,", "x\n");
  write_file(box.dir / "cur" / "1600000000.b.h:2,", "x\n");
  write_file(box.dir / "cur" / "1600000000.a.h:2,T", "x\n");
  auto m = opened(box.provider.open("alice"));
  CHECK(uidls(*m) == std::vector<std::string>{"1600000000.a.h", "1600000000.b.h",
                                              "1700000000.M1P1.h", "1700000001.M9P1.h",
                                              "1700000001.M10P1.h", "1700000002.M5P1.h", "aaa",
                                              "zzz"});
}

TEST_CASE("UIDLs and numbering are stable across two opens and across a flag change") {
  Mailbox box;
  write_file(box.dir / "new" / "1700000000.M1P1Q1.h,S=3,W=4", "ab\n");
  write_file(box.dir / "new" / "1700000000.M2P1Q2.h,S=3,W=4", "cd\n");
  std::vector<std::string> first;
  {
    auto m = opened(box.provider.open("alice"));
    first = uidls(*m);
    CHECK(first ==
          std::vector<std::string>{"1700000000.M1P1Q1.h,S=3,W=4", "1700000000.M2P1Q2.h,S=3,W=4"});
  }
  CHECK(uidls(*opened(box.provider.open("alice"))) == first);
  // An MUA marks the first message seen and replied: a rename, same unique name.
  fs::rename(box.dir / "cur" / "1700000000.M1P1Q1.h,S=3,W=4:2,",
             box.dir / "cur" / "1700000000.M1P1Q1.h,S=3,W=4:2,RS");
  CHECK(uidls(*opened(box.provider.open("alice"))) == first);
}

TEST_CASE("only regular files not starting with '.' in cur/ are messages") {
  Mailbox box;
  write_file(box.dir / "cur" / "1700000000.real:2,", "x\n");
  write_file(box.dir / "cur" / ".1700000001.dot:2,", "x\n");
  fs::create_directory(box.dir / "cur" / "1700000002.dir:2,");
  fs::create_symlink("/etc/passwd", box.dir / "cur" / "1700000003.link:2,");
  REQUIRE(::mkfifo((box.dir / "cur" / "1700000004.fifo:2,").c_str(), 0600) == 0);
  fs::create_symlink("/etc/passwd", box.dir / "new" / "1700000005.link");
  auto m = opened(box.provider.open("alice"));
  CHECK(uidls(*m) == std::vector<std::string>{"1700000000.real"});
}

TEST_CASE("UIDLs are valid and unique in a snapshot, whatever the names") {
  Mailbox box;
  const std::string long_name =
      "1700000000.M123456P4242Q1.a-rather-long-host-name.mail.example.org,S=2,W=3";
  write_file(box.dir / "cur" / (long_name + ":2,"), "x\n");
  write_file(box.dir / "cur" / "1700000001.has space:2,", "x\n");
  write_file(box.dir / "cur" / ":2,S", "x\n");
  write_file(box.dir / "cur" / "1700000002.\xc3\xa9t\xc3\xa9:2,", "x\n");
  // Two different files with one unique name (differing only in flags).
  write_file(box.dir / "cur" / "1700000003.dup:2,", "first\n");
  write_file(box.dir / "cur" / "1700000003.dup:2,S", "second\n");
  auto m = opened(box.provider.open("alice"));
  REQUIRE(m->count() == 6);
  std::set<std::string> seen;
  for (const auto& uidl : uidls(*m)) {
    CHECK(pop3::valid_uidl(uidl));
    CHECK(seen.insert(uidl).second);
  }
  CHECK(m->info(1).uidl == pop3::maildir::uidl_for(long_name));
  // Among equals the first in order keeps the plain UIDL; the second is derived.
  CHECK(m->info(4).uidl == "1700000003.dup");
  CHECK(m->info(5).uidl.starts_with("1700000003.dup~"));
  CHECK(m->info(6).uidl == pop3::maildir::uidl_for(""));  // ":2,S" has no timestamp: last
  // ... and the choice is the same next time.
  const auto before = uidls(*m);
  m.reset();
  CHECK(uidls(*opened(box.provider.open("alice"))) == before);
}

TEST_CASE("a move interrupted after the link is finished on the next open") {
  Mailbox box;
  write_file(box.dir / "cur" / "1700000000.x:2,", "x\n");
  fs::create_hard_link(box.dir / "cur" / "1700000000.x:2,", box.dir / "new" / "1700000000.x");
  auto m = opened(box.provider.open("alice"));
  CHECK(m->count() == 1);
  CHECK(names_in(box.dir / "new").empty());
  CHECK(names_in(box.dir / "cur") == std::vector<std::string>{"1700000000.x:2,"});
}

TEST_CASE(
    "a new/ file whose cur/ name is taken by another file stays in new/ and is served from there") {
  Mailbox box;
  write_file(box.dir / "cur" / "1700000000.x:2,", "in cur\n");
  write_file(box.dir / "new" / "1700000000.x", "in new\n");
  auto m = opened(box.provider.open("alice"));
  REQUIRE(m->count() == 2);
  auto* maildir = dynamic_cast<Maildir*>(m.get());
  REQUIRE(maildir != nullptr);
  CHECK(maildir->file_name(1) == "cur/1700000000.x:2,");
  CHECK(maildir->file_name(2) == "new/1700000000.x");
  CHECK(read_all(*m->open_message(2), 64) == "in new\r\n");
  CHECK(read_file(box.dir / "cur" / "1700000000.x:2,") == "in cur\n");
}

TEST_CASE("a user without a Maildir is Unavailable, unless the create option makes one") {
  TempDir temp;
  MaildirProvider provider{temp.root()};
  const auto result = provider.open("bob");
  CHECK(result.outcome == MaildropOpen::Outcome::Unavailable);
  CHECK(result.reason.find("no maildrop") != std::string::npos);
  CHECK_FALSE(fs::exists(temp.root() / "bob"));

  MaildirOptions options;
  options.create = true;
  MaildirProvider creating{temp.root(), options};
  auto m = opened(creating.open("bob"));
  CHECK(m->count() == 0);
  for (const char* sub : {"", "tmp", "new", "cur"}) {
    const auto perms = fs::status(temp.root() / "bob" / "Maildir" / sub).permissions();
    CHECK((perms & fs::perms::all) == fs::perms::owner_all);
  }
}

TEST_CASE("a directory without cur/ and new/ is not a maildrop") {
  TempDir temp;
  fs::create_directories(temp.root() / "carol" / "Maildir" / "new");
  const auto result = MaildirProvider{temp.root()}.open("carol");
  CHECK(result.outcome == MaildropOpen::Outcome::Unavailable);
  CHECK(result.reason.find("cur/") != std::string::npos);
}

TEST_CASE("user names that are not one safe path component have no maildrop") {
  TempDir temp;
  make_maildir(temp.root() / "Maildir");  // what "." would reach
  MaildirOptions options;
  options.create = true;
  MaildirProvider provider{temp.root(), options};
  for (const char* user : {"", ".", "..", "../alice", "a/b", "a\nb", "a\x7f"}) {
    INFO("user: " << visible(user));
    CHECK_FALSE(provider.maildir_path(user).has_value());
    CHECK(provider.open(user).outcome == MaildropOpen::Outcome::Unavailable);
  }
  CHECK(names_in(temp.root()) == std::vector<std::string>{"Maildir"});
  CHECK(provider.maildir_path("alice@example.org") ==
        temp.root() / "alice@example.org" / "Maildir");
}

TEST_CASE("a custom path function decides where each user's Maildir is") {
  TempDir temp;
  make_maildir(temp.root() / "home" / "dave" / "Maildir");
  write_file(temp.root() / "home" / "dave" / "Maildir" / "new" / "1700000000.x", "hi\n");
  MaildirProvider provider{[&](std::string_view user) -> std::optional<fs::path> {
    if (user != "dave") return std::nullopt;
    return temp.root() / "home" / "dave" / "Maildir";
  }};
  CHECK(opened(provider.open("dave"))->count() == 1);
  CHECK(provider.open("erin").outcome == MaildropOpen::Outcome::Unavailable);
}
