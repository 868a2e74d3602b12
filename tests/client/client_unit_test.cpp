#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "mbox.hpp"
#include "pop3/maildir/writer.hpp"
#include "pop3/net/client.hpp"
#include "session.hpp"
#include "settings.hpp"
#include "uidl_store.hpp"

using namespace pop3;
using namespace pop3::client;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    std::random_device rd;
    path = fs::temp_directory_path() / ("pop3lab-client-test-" + std::to_string(rd()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("pop3 and pop3s URLs give user, host, port and an optional AUTH") {
  auto u = net::parse_pop3_url("pop3://alice@127.0.0.1:1110");
  REQUIRE(u);
  CHECK(u->user == "alice");
  CHECK(u->host == "127.0.0.1");
  CHECK(u->port == 1110);
  CHECK_FALSE(u->implicit_tls);
  auto s = net::parse_pop3_url("pop3s://bob%40example.org;AUTH=CRAM-MD5@[::1]/");
  REQUIRE(s);
  CHECK(s->user == "bob@example.org");
  CHECK(s->auth == "CRAM-MD5");
  CHECK(s->host == "::1");
  CHECK(s->port == 995);
  CHECK(s->implicit_tls);
  CHECK_FALSE(net::parse_pop3_url("imap://x@y"));
  CHECK_FALSE(net::parse_pop3_url("pop3://x@y:99999"));
  CHECK_FALSE(net::parse_pop3_url("pop3://x@y/INBOX"));
}

TEST_CASE("the login choice prefers SCRAM, then CRAM-MD5, then APOP, then PLAIN, then USER") {
  auto caps = [](std::vector<std::string> sasl) {
    Capabilities c;
    if (!sasl.empty()) c.add({"SASL", std::move(sasl)});
    c.add({"USER", {}});
    return c;
  };
  CHECK(choose_login(caps({"PLAIN", "SCRAM-SHA-256", "CRAM-MD5"}), true, std::nullopt).mechanism ==
        "SCRAM-SHA-256");
  CHECK(choose_login(caps({"PLAIN", "CRAM-MD5"}), true, std::nullopt).mechanism == "CRAM-MD5");
  CHECK(choose_login(caps({"PLAIN", "LOGIN"}), true, std::nullopt).mechanism == "APOP");
  CHECK(choose_login(caps({"LOGIN", "PLAIN"}), false, std::nullopt).mechanism == "PLAIN");
  CHECK(choose_login(caps({}), false, std::nullopt).mechanism == "USER");
  CHECK(choose_login(Capabilities{}, false, std::nullopt).mechanism == "USER");
  CHECK(choose_login(caps({"SCRAM-SHA-256"}), true, std::string("user")).mechanism == "USER");
  CHECK(choose_login(caps({}), true, std::string("apop")).mechanism == "APOP");
  CHECK_FALSE(choose_login(caps({"CRAM-MD5"}), false, std::nullopt).reason.empty());
}

TEST_CASE("the UIDL store remembers seen UIDLs across runs and retains only those on the server") {
  TempDir t;
  const auto file = t.path / "state" / "uidls";
  {
    UidlStore s(file, std::nullopt, std::nullopt);
    CHECK_FALSE(s.seen("a"));
    s.mark_seen("a");
    s.mark_seen("b");
  }
  {
    UidlStore s(file, std::nullopt, std::nullopt);
    CHECK(s.seen("a"));
    CHECK(s.seen("b"));
    s.retain({"b", "c"});
    CHECK_FALSE(s.seen("a"));
  }
  CHECK(slurp(file) == "pop3lab-uidl 1\nseen b\n");
}

TEST_CASE(
    "a Maildir delivery cut off after the journal's pending entry is resolved on the next run") {
  TempDir t;
  const auto md = t.path / "Maildir";
  maildir::MaildirWriter writer(md);
  const auto store_file = t.path / "uidls";
  {
    UidlStore s(store_file, md, std::nullopt);
    // Delivered, but the run died before "seen": the file is there, so it counts as seen.
    auto d = writer.begin();
    s.pending("uid-delivered", "maildir:" + d.tmp_path().filename().string());
    d.append("Subject: x\n\nbody\n");
    d.commit();
    // Not delivered: the run died before commit, so it must be fetched again.
    auto lost = writer.begin();
    s.pending("uid-lost", "maildir:" + lost.tmp_path().filename().string());
    lost.append("Subject: y\n\nhalf");
    lost.abort();
  }
  UidlStore s(store_file, md, std::nullopt);
  CHECK(s.seen("uid-delivered"));
  CHECK_FALSE(s.seen("uid-lost"));
}

TEST_CASE(
    "an mbox append cut off after the pending entry is rolled back, so nothing is duplicated") {
  TempDir t;
  const auto mbox = t.path / "mbox";
  const auto store_file = t.path / "uidls";
  std::uint64_t offset = 0;
  {
    MboxWriter w(mbox);
    w.begin();
    w.append("Subject: one\r\n\r\nfirst\r\n");
    w.commit();
    offset = w.end_offset();
    UidlStore s(store_file, std::nullopt, mbox);
    s.mark_seen("one");
    s.pending("two", "mbox:" + std::to_string(offset));
  }
  std::ofstream(mbox, std::ios::app)
      << "From MAILER-DAEMON x\nSubject: two\n\nhalf a mess";  // crash mid-append
  UidlStore s(store_file, std::nullopt, mbox);
  CHECK(s.seen("one"));
  CHECK_FALSE(s.seen("two"));
  CHECK(fs::file_size(mbox) == offset);
}

TEST_CASE(
    "a journal line cut off by a crash is dropped, never acted on, and does not glue to the next") {
  TempDir t;
  const auto mbox = t.path / "mbox";
  const auto store_file = t.path / "uidls";
  {
    MboxWriter w(mbox);
    w.begin();
    w.append("Subject: one\r\n\r\nfirst\r\n");
    w.commit();
  }
  const auto size = fs::file_size(mbox);
  // "pending two mbox:<size>" torn after two digits of the offset: acting on it would cut
  // the mbox down to those digits' worth of octets.
  const std::string offset = std::to_string(size);
  std::ofstream(store_file, std::ios::binary)
      << "pop3lab-uidl 1\nseen one\npending two mbox:" << offset.substr(0, 2);
  {
    UidlStore s(store_file, std::nullopt, mbox);
    CHECK(s.seen("one"));
    CHECK_FALSE(s.seen("two"));
    CHECK(fs::file_size(mbox) == size);  // nothing rolled back on a torn entry's account
    s.mark_seen("three");
  }
  CHECK(slurp(store_file) == "pop3lab-uidl 1\nseen one\nseen three\n");
}

TEST_CASE("a journal entry that is not one of the format's is a clear error, not an exception") {
  TempDir t;
  const auto store_file = t.path / "uidls";
  for (const std::string entry :
       {"pending two mbox:12x", "pending two mbox:", "pending two mbox:-1",
        "pending two elsewhere:3", "seen one extra", "pending two"}) {
    CAPTURE(entry);
    std::ofstream(store_file, std::ios::binary | std::ios::trunc) << "pop3lab-uidl 1\n"
                                                                  << entry << "\n";
    try {
      UidlStore s(store_file, std::nullopt, t.path / "mbox");
      FAIL("accepted");
    } catch (const std::runtime_error& e) {
      CHECK(std::string(e.what()).ends_with(":2: malformed entry"));
    }
  }
}

TEST_CASE("mbox messages get a From line, LF line ends and mboxrd quoting, whatever the chunking") {
  const std::string message = "Subject: q\r\n\r\nFrom here\r\n>From there\r\nnot From\r\n.\r\nend";
  for (std::size_t piece : {std::size_t{1}, std::size_t{3}, message.size()}) {
    TempDir t;
    MboxWriter w(t.path / "mbox");
    w.begin();
    for (std::size_t i = 0; i < message.size(); i += piece)
      w.append(std::string_view(message).substr(i, piece));
    w.commit();
    const std::string got = slurp(t.path / "mbox");
    CHECK(got.starts_with("From MAILER-DAEMON "));
    CHECK(got.substr(got.find('\n') + 1) ==
          "Subject: q\n\n>From here\n>>From there\nnot From\n.\nend\n\n");
  }
}

TEST_CASE("accounts come from TOML with paths relative to the file and a clear error otherwise") {
  TempDir t;
  const auto file = t.path / "accounts.toml";
  std::ofstream(file)
      << "[accounts.work]\nurl = \"pop3s://alice@mail.example\"\ncafile = \"ca.pem\"\n"
         "maildir = \"Mail/work\"\nkeep = false\nonly_new = true\nmax_size = 1000\n"
         "[accounts.home]\nurl = \"pop3://bob@127.0.0.1:1110\"\ntls = \"none\"\nmbox = "
         "\"/tmp/x\"\n";
  auto accounts = load_accounts(file);
  REQUIRE(accounts.size() == 2);
  const auto& work = accounts[0].account == "work" ? accounts[0] : accounts[1];
  const auto& home = accounts[0].account == "work" ? accounts[1] : accounts[0];
  CHECK(work.tls == net::TlsMode::Implicit);
  CHECK(work.url.port == 995);
  CHECK(work.tls_options.cafile == t.path / "ca.pem");
  CHECK(work.maildir == t.path / "Mail/work");
  CHECK_FALSE(work.keep);
  CHECK(work.only_new);
  CHECK(work.max_size == 1000);
  CHECK(home.tls == net::TlsMode::None);
  std::ofstream(file) << "[accounts.bad]\nurl = \"pop3://a@b\"\nkeeep = true\n";
  CHECK_THROWS_WITH_AS(load_accounts(file), doctest::Contains("keeep: unknown setting"),
                       std::runtime_error);
}
