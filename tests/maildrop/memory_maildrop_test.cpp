#include "pop3/maildrop/memory_maildrop.hpp"

#include <doctest/doctest.h>

using namespace pop3;
using pop3::maildrop::MemoryMaildropStore;

namespace {
std::string read_all(MessageStream& s) {
  std::string out;
  char buf[3];
  while (std::size_t n = s.read(buf, sizeof buf))
    out.append(buf, n);
  return out;
}
}  // namespace

TEST_CASE("messages are served in wire form and sized in wire octets") {
  CHECK(maildrop::to_wire_form("a\nb\n") == "a\r\nb\r\n");
  CHECK(maildrop::to_wire_form("a\r\nb") == "a\r\nb\r\n");
  CHECK(maildrop::to_wire_form("") == "");
  MemoryMaildropStore store;
  store.deliver("u", "line\nline\n");
  auto opened = store.open("u");
  REQUIRE(opened.outcome == MaildropOpen::Outcome::Opened);
  CHECK(opened.maildrop->info(1).octets == 12);
  CHECK(read_all(*opened.maildrop->open_message(1)) == "line\r\nline\r\n");
}

TEST_CASE("opening takes an exclusive lock that the maildrop releases when destroyed") {
  MemoryMaildropStore store;
  store.add_user("u");
  auto first = store.open("u");
  REQUIRE(first.outcome == MaildropOpen::Outcome::Opened);
  CHECK(store.open("u").outcome == MaildropOpen::Outcome::InUse);
  first.maildrop.reset();
  CHECK(store.open("u").outcome == MaildropOpen::Outcome::Opened);
  CHECK(store.open("nobody").outcome == MaildropOpen::Outcome::Unavailable);
}

TEST_CASE("the snapshot keeps numbering while marks apply only at commit") {
  MemoryMaildropStore store;
  store.deliver("u", "one", "1");
  store.deliver("u", "two", "2");
  auto m = std::move(store.open("u").maildrop);
  m->mark_deleted(1);
  CHECK(m->is_deleted(1));
  CHECK(m->live_count() == 1);
  store.deliver("u", "three", "3");  // arrives mid-session: not in this snapshot
  CHECK(m->count() == 2);
  CHECK(store.messages("u").size() == 3);
  m->unmark_all();
  m->mark_deleted(2);
  auto result = m->commit();
  CHECK(result.ok());
  CHECK(result.removed == 1);
  auto left = store.messages("u");
  REQUIRE(left.size() == 2);
  CHECK(left[0].uidl == "1");
  CHECK(left[1].uidl == "3");
}

TEST_CASE("UIDLs must be valid and unique within a maildrop") {
  MemoryMaildropStore store;
  store.deliver("u", "x", "same");
  CHECK_THROWS(store.deliver("u", "y", "same"));
  CHECK_THROWS(store.deliver("u", "y", "has space"));
  CHECK_THROWS(store.deliver("u", "y", std::string(71, 'a')));
  CHECK(valid_uidl(std::string(70, '~')));
  CHECK_FALSE(valid_uidl(""));
}
