#include "pop3/maildir/writer.hpp"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "pop3/core/maildrop.hpp"
#include "pop3/maildir/names.hpp"
#include "temp_maildir.hpp"

using namespace maildirtest;
using pop3::maildir::MaildirWriter;
using pop3::maildir::WriterOptions;

TEST_CASE("a delivery is invisible in new/ until commit, then appears whole and tmp/ is empty") {
  TempDir temp;
  const fs::path dir = temp.root() / "Maildir";
  MaildirWriter writer(dir);
  auto delivery = writer.begin();
  delivery.append("Subject: hi\r\n");
  delivery.append("\r\nbody\r");
  CHECK(names_in(dir / "new").empty());
  CHECK(names_in(dir / "tmp").size() == 1);
  CHECK(fs::exists(delivery.tmp_path()));
  delivery.append("\n");
  CHECK(names_in(dir / "new").empty());
  const auto delivered = delivery.commit();
  CHECK_FALSE(delivery.active());
  CHECK(names_in(dir / "tmp").empty());
  CHECK(names_in(dir / "new") == std::vector<std::string>{delivered.path.filename().string()});
  CHECK(delivered.path.parent_path() == dir / "new");
  CHECK(read_file(delivered.path) == "Subject: hi\n\nbody\n");
  CHECK(delivered.size == 18);
  CHECK(delivered.wire_size == 21);
  CHECK(delivered.unique == delivered.path.filename().string());
  CHECK(delivered.unique.ends_with(",S=18,W=21"));
  CHECK_THROWS_AS(delivery.append("more"), std::logic_error);
}

TEST_CASE(
    "a batch: finished files stay in tmp/ until publish, then appear whole; unpublished ones are "
    "removed") {
  TempDir temp;
  const fs::path dir = temp.root() / "Maildir";
  MaildirWriter writer(dir);
  std::vector<pop3::maildir::Delivery> batch;
  for (int i = 0; i < 3; ++i) {
    batch.push_back(writer.begin());
    batch.back().append("Subject: " + std::to_string(i) + "\r\n\r\nbody\r\n");
    CHECK_THROWS_AS((void)batch.back().publish(), std::logic_error);  // not finished yet
    batch.back().finish();
    CHECK_THROWS_AS(batch.back().append("more"), std::logic_error);
  }
  CHECK(names_in(dir / "tmp").size() == 3);
  CHECK(names_in(dir / "new").empty());  // readers see nothing of a batch before publish
  writer.sync_files();
  for (int i = 0; i < 2; ++i) {
    const auto delivered = batch[static_cast<std::size_t>(i)].publish();
    CHECK(read_file(delivered.path) == "Subject: " + std::to_string(i) + "\n\nbody\n");
    CHECK(delivered.unique.ends_with(",S=17,W=20"));
  }
  writer.sync_folders();
  CHECK(names_in(dir / "new").size() == 2);
  batch.clear();  // the third, never published, is aborted
  CHECK(names_in(dir / "tmp").empty());
  CHECK(names_in(dir / "new").size() == 2);
}

TEST_CASE("abort, or destroying an uncommitted delivery, leaves nothing in tmp/ or new/") {
  TempDir temp;
  const fs::path dir = temp.root() / "Maildir";
  MaildirWriter writer(dir);
  {
    auto delivery = writer.begin();
    delivery.append("half a message");
    delivery.abort();
    CHECK_FALSE(delivery.active());
    delivery.abort();  // again: nothing to do
  }
  {
    auto delivery = writer.begin();
    delivery.append("half a message");
  }
  {
    auto moved_from = writer.begin();
    auto delivery = std::move(moved_from);
    delivery.append("x");
    delivery = writer.begin();  // replacing a delivery aborts it
  }
  CHECK(names_in(dir / "tmp").empty());
  CHECK(names_in(dir / "new").empty());
  CHECK(names_in(dir / "cur").empty());
}

TEST_CASE(
    "unique names are distinct across many deliveries and follow SECONDS.M<usec>P<pid>Q<n>.HOST") {
  TempDir temp;
  WriterOptions options;
  options.host = "mx.example.org";
  MaildirWriter writer(temp.root() / "Maildir", options);
  std::set<std::string> names;
  for (int i = 0; i < 300; ++i) {
    const auto d = writer.deliver("message " + std::to_string(i) + "\n");
    CHECK(names.insert(d.unique).second);
    CHECK(pop3::valid_uidl(d.unique));
    CHECK(pop3::maildir::delivery_stamp(d.unique).known);
  }
  CHECK(names_in(temp.root() / "Maildir" / "new").size() == 300);
  const std::string sample = *names.begin();
  CHECK(sample.find(".M") != std::string::npos);
  CHECK(sample.find(".mx.example.org,S=") != std::string::npos);
}

TEST_CASE("the host part of delivered names has '/' and ':' escaped") {
  TempDir temp;
  WriterOptions options;
  options.host = "odd/host:name";
  const auto d = MaildirWriter(temp.root() / "Maildir", options).deliver("x\n");
  CHECK(d.unique.find(".odd\\057host\\072name,S=2,W=3") != std::string::npos);
  CHECK(d.unique.find(':') == std::string::npos);
}

TEST_CASE("CRLF is stored as LF by default, and exactly as given with crlf_to_lf off") {
  TempDir temp;
  const std::string message = "A: 1\r\nB: 2\r\n\r\nbody\r\n";
  const auto lf = MaildirWriter(temp.root() / "lf").deliver(message);
  CHECK(read_file(lf.path) == "A: 1\nB: 2\n\nbody\n");
  CHECK(lf.size == 16);
  CHECK(lf.wire_size == message.size());

  WriterOptions raw;
  raw.crlf_to_lf = false;
  const auto kept = MaildirWriter(temp.root() / "raw", raw).deliver(message);
  CHECK(read_file(kept.path) == message);
  CHECK(kept.size == message.size());
  CHECK(kept.wire_size == message.size());
}

TEST_CASE("a delivery with an info part goes to cur/NAME:INFO; an info with '/' is refused") {
  TempDir temp;
  MaildirWriter writer(temp.root() / "Maildir");
  const auto d = writer.deliver("seen\n", "2,S");
  CHECK(d.path.parent_path() == temp.root() / "Maildir" / "cur");
  CHECK(d.path.filename().string() == d.unique + ":2,S");
  CHECK(names_in(temp.root() / "Maildir" / "new").empty());
  CHECK_THROWS_AS((void)writer.begin("2,/S"), std::invalid_argument);
  CHECK_THROWS_AS((void)writer.begin(std::string_view("2,\0S", 4)), std::invalid_argument);
}

TEST_CASE("the writer creates a missing Maildir owner-only, and message files are 0600") {
  TempDir temp;
  const fs::path dir = temp.root() / "deep" / "er" / "Maildir";
  const auto d = MaildirWriter(dir).deliver("x\n");
  for (const fs::path& p : {dir, dir / "tmp", dir / "new", dir / "cur"}) {
    INFO(p.string());
    CHECK((fs::status(p).permissions() & fs::perms::all) == fs::perms::owner_all);
  }
  CHECK((fs::status(d.path).permissions() & fs::perms::all) ==
        (fs::perms::owner_read | fs::perms::owner_write));
  CHECK_NOTHROW(MaildirWriter{dir});  // an existing Maildir is left as it is
  CHECK(names_in(dir / "new").size() == 1);
}

TEST_CASE("a writer refuses a path whose parts exist but are not directories") {
  TempDir temp;
  write_file(temp.root() / "file", "x");
  CHECK_THROWS_AS(MaildirWriter(temp.root() / "file"), std::system_error);
  fs::create_directories(temp.root() / "m");
  write_file(temp.root() / "m" / "new", "x");
  CHECK_THROWS_AS(MaildirWriter(temp.root() / "m"), std::system_error);
}
