#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "pop3/maildir/provider.hpp"
#include "pop3/maildir/uidl.hpp"
#include "pop3/maildir/writer.hpp"
#include "pop3/maildrop/memory_maildrop.hpp"
#include "temp_maildir.hpp"

using namespace maildirtest;
using pop3::maildir::Delivered;
using pop3::maildir::MaildirProvider;
using pop3::maildir::MaildirWriter;
using pop3::maildir::WriterOptions;
using pop3::maildrop::to_wire_form;

namespace {

const std::vector<std::string> kMessages = {
    "From: a@example.org\r\nSubject: CRLF\r\n\r\nHello.\r\n",
    "From: b@example.org\nSubject: LF\n\nHello.\n",
    "Subject: mixed\r\n\nline\r\nlast line without newline",
    "Subject: bare CRs\r\n\r\na\rb\r\r\nc\r",
    "",
    "\r\n",
    ".\r\n..dots stay as they are (the codec stuffs them)\r\n",
};

// Delivers `message` in pieces of `piece` bytes, as pop3-client's fetch streams RETR.
Delivered deliver_in_pieces(const MaildirWriter& writer, std::string_view message,
                            std::size_t piece) {
  auto delivery = writer.begin();
  for (std::size_t at = 0; at < message.size(); at += piece)
    delivery.append(message.substr(at, piece));
  return delivery.commit();
}

void check_round_trip(const WriterOptions& options) {
  TempDir temp;
  MaildirWriter writer(temp.root() / "u" / "Maildir", options);
  std::vector<Delivered> delivered;
  for (std::size_t i = 0; i < kMessages.size(); ++i)
    delivered.push_back(deliver_in_pieces(writer, kMessages[i], 1 + i % 3));
  auto m = opened(MaildirProvider{temp.root()}.open("u"));
  REQUIRE(m->count() == kMessages.size());
  for (std::size_t i = 0; i < kMessages.size(); ++i) {
    INFO("message " << i + 1 << ": " << visible(kMessages[i]));
    const std::string expected = to_wire_form(kMessages[i]);
    CHECK(m->info(i + 1).uidl == pop3::maildir::uidl_for(delivered[i].unique));
    CHECK(m->info(i + 1).octets == expected.size());
    CHECK(m->info(i + 1).octets == delivered[i].wire_size);
    CHECK(visible(read_all(*m->open_message(i + 1), 5)) == visible(expected));
  }
}

}  // namespace

TEST_CASE(
    "round trip: what the writer delivers, the reader serves as its CRLF wire form, in order") {
  SUBCASE("stored as LF (the default)") {
    check_round_trip({});
  }
  SUBCASE("stored as given") {
    WriterOptions raw;
    raw.crlf_to_lf = false;
    check_round_trip(raw);
  }
}

TEST_CASE(
    "round trip: a reader's new/ -> cur/ move and a delete leave the other deliveries alone") {
  TempDir temp;
  MaildirWriter writer(temp.root() / "u" / "Maildir");
  const auto first = writer.deliver("one\r\n");
  const auto second = writer.deliver("two\r\n", "2,S");
  MaildirProvider provider{temp.root()};
  {
    auto m = opened(provider.open("u"));
    REQUIRE(m->count() == 2);
    CHECK(m->info(1).uidl == first.unique);
    CHECK(m->info(2).uidl == second.unique);
    m->mark_deleted(1);
    CHECK(m->commit().removed == 1);
  }
  const auto third = writer.deliver("three\r\n");
  auto m = opened(provider.open("u"));
  REQUIRE(m->count() == 2);
  CHECK(m->info(1).uidl == second.unique);
  CHECK(m->info(2).uidl == third.unique);
  CHECK(read_all(*m->open_message(2), 64) == "three\r\n");
}
