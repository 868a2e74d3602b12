#include "pop3/auth/passwd_file.hpp"

#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include "pop3/auth/dovecot_scheme.hpp"

using namespace pop3::auth;
using pop3::Secret;

namespace {

constexpr std::string_view sample =
    "# users of the lab server\n"
    "\n"
    "alice:{SHA512-CRYPT}$6$PryRNAlFo1dmn0Ay$EYsaIZy417Ikvx3DNQs8xYNc8vh3kCfFVmmtrrlk2Leu4SW9tnnCq"
    "UCvd4lNbo/VY1jtXB5kXDu0itYonLsQY0:1000:1000::/home/alice::\n"
    "bob:{PLAIN}hunter2\r\n"
    "  # an indented comment\n"
    "carol:{SCRAM-SHA-256}4096,iTG9KIInPf/UawdDyGD3+A==,MtzaeJjoezKKntdeajad7el7kFqnx0oV0lFrLQbS"
    "Iss=,+hO04vxZTmXO+Y8n1oTm9azV8ocvi5uQHxQQEeB54HU=\n"
    "no colon here secret42\n"
    "dave:\n"
    "erin:{MD5}secret43\n"
    "bob:{PLAIN}secret44\n"
    "frank:{SHA512-CRYPT}secret45\n"
    ":{PLAIN}secret46\n"
    "   \t\n"
    "gina:{CLEARTEXT}last line without newline";

std::filesystem::path temp_path(const char* name) {
  return std::filesystem::temp_directory_path() /
         (std::string("pop3lab-auth-") + name + "-" + std::to_string(::getpid()));
}

}  // namespace

TEST_CASE("parse_passwd_file reads users, skips comments and blanks, ignores extra fields") {
  const PasswdFile file = parse_passwd_file(sample);
  CHECK(file.store.users() == std::vector<std::string>{"alice", "bob", "carol", "gina"});
  CHECK(file.store.lookup("alice")->verify_password(Secret("pencil")));
  CHECK(file.store.lookup("bob")->verify_password(Secret("hunter2")));  // CRLF stripped
  CHECK(file.store.lookup("carol")->verify_password(Secret("pencil")));
  CHECK(file.store.lookup("gina")->verify_password(Secret("last line without newline")));
}

TEST_CASE("parse_passwd_file reports each malformed line by number, never its secret") {
  const PasswdFile file = parse_passwd_file(sample);
  std::vector<std::size_t> lines;
  for (const auto& error : file.errors) {
    lines.push_back(error.line);
    CAPTURE(error.message);
    CHECK(error.message.find("secret") == std::string::npos);
    CHECK(error.message.find("hunter") == std::string::npos);
  }
  CHECK(lines == std::vector<std::size_t>{7, 8, 9, 10, 11, 12});
  CHECK(file.errors[0].message.find("':'") != std::string::npos);
  CHECK(file.errors[1].message.find("dave") != std::string::npos);
  CHECK(file.errors[2].message.find("MD5") != std::string::npos);
  CHECK(file.errors[3].message.find("line 4") != std::string::npos);    // duplicate bob
  CHECK(file.store.lookup("bob")->verify_password(Secret("hunter2")));  // the first one wins
}

TEST_CASE("set_passwd_entry replaces one user's field in place and keeps everything else") {
  const std::string text =
      "# header\r\n"
      "alice:{PLAIN}a:1000:1000::/home/alice::\r\n"
      "bob:{PLAIN}b\n"
      "\n";
  const std::string updated = set_passwd_entry(text, "alice", Secret("{PLAIN}new"));
  CHECK(updated ==
        "# header\r\n"
        "alice:{PLAIN}new:1000:1000::/home/alice::\r\n"
        "bob:{PLAIN}b\n"
        "\n");
  CHECK(set_passwd_entry(text, "bob", Secret("{PLAIN}x")) ==
        "# header\r\nalice:{PLAIN}a:1000:1000::/home/alice::\r\nbob:{PLAIN}x\n\n");
}

TEST_CASE("set_passwd_entry appends a new user, adding a missing final newline") {
  CHECK(set_passwd_entry("", "carol", Secret("{PLAIN}c")) == "carol:{PLAIN}c\n");
  CHECK(set_passwd_entry("alice:{PLAIN}a", "carol", Secret("{PLAIN}c")) ==
        "alice:{PLAIN}a\ncarol:{PLAIN}c\n");
  // A comment that mentions the user is not the user's line.
  CHECK(set_passwd_entry("#carol:{PLAIN}old\n", "carol", Secret("{PLAIN}c")) ==
        "#carol:{PLAIN}old\ncarol:{PLAIN}c\n");
}

TEST_CASE("set_passwd_entry refuses bad user names and fields that would break the file") {
  CHECK_THROWS_AS((void)set_passwd_entry("", "a:b", Secret("{PLAIN}x")), std::invalid_argument);
  CHECK_THROWS_AS((void)set_passwd_entry("", "", Secret("{PLAIN}x")), std::invalid_argument);
  CHECK_THROWS_AS((void)set_passwd_entry("", "#x", Secret("{PLAIN}x")), std::invalid_argument);
  CHECK_THROWS_AS((void)set_passwd_entry("", "a b", Secret("{PLAIN}x")), std::invalid_argument);
  CHECK_THROWS_AS((void)set_passwd_entry("", "a", Secret("{PLAIN}x:y")), std::invalid_argument);
  CHECK_THROWS_AS((void)set_passwd_entry("", "a", Secret("{PLAIN}x\ny")), std::invalid_argument);
  CHECK_THROWS_AS((void)set_passwd_entry("", "a", Secret("plain")), std::invalid_argument);
  try {
    (void)set_passwd_entry("", "a", Secret("{PLAIN}topsecret:y"));
  } catch (const std::invalid_argument& e) {
    CHECK(std::string(e.what()).find("topsecret") == std::string::npos);
  }
}

TEST_CASE("remove_passwd_entry drops the user's lines only") {
  CHECK(remove_passwd_entry("# bob\nalice:{PLAIN}a\nbob:{PLAIN}b\nbob:{PLAIN}c\n", "bob") ==
        "# bob\nalice:{PLAIN}a\n");
}

TEST_CASE("update_passwd_file creates an owner-only file, then rewrites it atomically") {
  namespace fs = std::filesystem;
  const fs::path path = temp_path("passwd");
  fs::remove(path);
  update_passwd_file(path, "alice",
                     encode_dovecot_password(PasswordScheme::Sha512Crypt, Secret("pencil")));
  CHECK((fs::status(path).permissions() & fs::perms::all) ==
        (fs::perms::owner_read | fs::perms::owner_write));
  update_passwd_file(path, "bob", Secret("{PLAIN}b"));
  update_passwd_file(path, "alice", Secret("{PLAIN}changed"));

  const PasswdFile file = read_passwd_file(path);
  CHECK(file.errors.empty());
  CHECK(file.store.users() == std::vector<std::string>{"alice", "bob"});
  CHECK(file.store.lookup("alice")->verify_password(Secret("changed")));
  std::size_t entries = 0;
  for (const auto& e : fs::directory_iterator(path.parent_path())) {
    if (e.path().filename().string().starts_with(path.filename().string())) ++entries;
  }
  CHECK(entries == 1);  // no temporary file left behind
  fs::remove(path);
  CHECK_THROWS_AS((void)read_passwd_file(path), std::system_error);
}
