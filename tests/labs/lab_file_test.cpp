#include "pop3/labs/lab_file.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>

using namespace pop3::labs;
namespace fs = std::filesystem;

namespace {

struct LabDir {
  fs::path root;
  LabDir() {
    std::random_device rd;
    root = fs::temp_directory_path() / ("pop3lab-labs-" + std::to_string(rd()));
    fs::create_directories(root);
  }
  ~LabDir() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
  fs::path write(const std::string& name, const std::string& toml) {
    fs::create_directories(root / name);
    std::ofstream(root / name / "lab.toml") << toml;
    return root / name;
  }
};

const std::string kGood = R"(
number = 1
title = "First contact"
objectives = ["One", "Two"]
background = """
Text.
"""
[scenario]
seed = 3
tls = "stls"
[[scenario.accounts]]
user = "alice"
password = "wonderland"
[[scenario.messages]]
user = "alice"
file = "m1.eml"
[[steps]]
action = "connect"
question = "Which state?"
answer = "AUTHORIZATION"
[[steps]]
action = "login"
mechanism = "CRAM-MD5"
[[steps]]
action = "pipeline"
lines = ["STAT", "LIST"]
[[checks]]
id = "in"
description = "logged in"
kind = "state"
state = "TRANSACTION"
)";

}  // namespace

TEST_CASE("a lab file gives the text, the scenario with message files, the steps and the checks") {
  LabDir d;
  const auto dir = d.write("01-first", kGood);
  std::ofstream(dir / "m1.eml") << "Subject: hi\n\nbody\n";
  const Lab lab = load_lab(dir);
  CHECK(lab.number == 1);
  CHECK(lab.slug == "01-first");
  CHECK(lab.objectives.size() == 2);
  CHECK(lab.scenario.tls == "stls");
  CHECK(lab.scenario.seed == 3);
  REQUIRE(lab.scenario.messages.size() == 1);
  CHECK(lab.scenario.messages[0].text == "Subject: hi\n\nbody\n");
  REQUIRE(lab.steps.size() == 3);
  CHECK(lab.steps[1].user == "alice");  // defaults to the first account
  CHECK(lab.steps[2].lines.size() == 2);
  REQUIRE(lab.checks.size() == 1);
}

TEST_CASE("mistakes in a lab file are reported with the file, the line and what is wrong") {
  LabDir d;
  auto bad = [&](const std::string& from, const std::string& to) {
    std::string text = kGood;
    text.replace(text.find(from), from.size(), to);
    const auto dir = d.write("x", text);
    std::ofstream(dir / "m1.eml") << "x\n";
    return dir;
  };
  CHECK_THROWS_WITH_AS(load_lab(bad("action = \"connect\"", "action = \"teleport\"")),
                       doctest::Contains("action must be one of"), std::runtime_error);
  CHECK_THROWS_WITH_AS(load_lab(bad("kind = \"state\"", "kind = \"vibes\"")),
                       doctest::Contains("unknown kind"), std::runtime_error);
  CHECK_THROWS_WITH_AS(load_lab(bad("state = \"TRANSACTION\"", "")),
                       doctest::Contains("needs state"), std::runtime_error);
  CHECK_THROWS_WITH_AS(load_lab(bad("mechanism = \"CRAM-MD5\"", "user = \"mallory\"")),
                       doctest::Contains("not an account"), std::runtime_error);
  CHECK_THROWS_WITH_AS(load_lab(bad("answer = \"AUTHORIZATION\"", "")),
                       doctest::Contains("needs its answer"), std::runtime_error);
  CHECK_THROWS_WITH_AS(load_lab(bad("seed = 3", "sead = 3")),
                       doctest::Contains("lab.toml:9: scenario.sead"), std::runtime_error);
}

TEST_CASE("a message file that is not a regular file is refused, not read forever") {
  // Found by fuzz/fuzz_lab_file: file = "/dev/zero" read until memory ran out (std::bad_alloc).
  LabDir d;
  for (const std::string& target : {std::string("/dev/zero"), std::string("subdir")}) {
    std::string text = kGood;
    text.replace(text.find("m1.eml"), 6, target);
    const auto dir = d.write("x", text);
    fs::create_directories(dir / "subdir");
    CAPTURE(target);
    CHECK_THROWS_WITH_AS(load_lab(dir), doctest::Contains("scenario.messages.file: cannot read"),
                         std::runtime_error);
  }
}

TEST_CASE("labs load in number order and two labs with one number are refused") {
  LabDir d;
  auto second = kGood;
  second.replace(second.find("number = 1"), 10, "number = 2");
  std::ofstream(d.write("b", second) / "m1.eml") << "x\n";
  std::ofstream(d.write("a", kGood) / "m1.eml") << "x\n";
  auto labs = load_labs(d.root);
  REQUIRE(labs.size() == 2);
  CHECK(labs[0].number == 1);
  CHECK(labs[1].number == 2);
  std::ofstream(d.write("c", kGood) / "m1.eml") << "x\n";
  CHECK_THROWS_WITH_AS(load_labs(d.root), doctest::Contains("two labs are number 1"),
                       std::runtime_error);
}

TEST_CASE(
    "the security keys: attackers, verification, the login policy, attack steps and per-student "
    "values") {
  LabDir d;
  fs::create_directories(d.root / "wordlists");
  std::ofstream(d.root / "wordlists" / "few.txt") << "# a list\nsunshine\ndragon\n";
  const std::string lab = R"(
number = 7
title = "Attacks"
[scenario]
seed = 70
tls = "implicit"
attacker = "substitute-certificate"
certificate = "wrong-host"
verify_certificate = false
client_starttls = "required"
failed_login_delay_ms = 500
penalty_step_ms = 250
penalty_max_ms = 3000
lockout_after = 5
lockout_seconds = 60
randomize = true
[[scenario.accounts]]
user = "bob"
password = "builder"
random_from = "few.txt"
[[scenario.accounts]]
user = "carol"
password = "x"
[[scenario.messages]]
user = "bob"
text = "Subject: {student}\n\ncode {code}, {user:carol}'s password {password:carol}\n"
[[steps]]
action = "connect"
[[steps]]
action = "guess"
user = "bob"
wordlist = "few.txt"
max = 3
[[steps]]
action = "victim_login"
user = "bob"
policy = "opportunistic"
ask_capa = false
[[steps]]
action = "crack"
wordlist = "few.txt"
[[steps]]
action = "reconnect"
seconds = 61
attacker = "none"
verify_certificate = true
[[steps]]
action = "replay"
verb = "APOP"
[[checks]]
id = "c"
description = "cracked {password:bob}"
kind = "cracked"
wordlist = "few.txt"
text = "{password:bob}"
[[checks]]
id = "d"
description = "slow"
kind = "delay"
verb = "PASS"
ms = 500
)";
  const auto dir = d.write("07-attacks", lab);
  const Lab plain = load_lab(dir);
  CHECK(plain.scenario.attacker == "substitute-certificate");
  CHECK(plain.scenario.certificate == "wrong-host");
  CHECK_FALSE(plain.scenario.verify_certificate);
  CHECK(plain.scenario.client_starttls == "required");
  CHECK(plain.scenario.lockout_after == 5);
  CHECK(plain.steps[1].wordlist_path == d.root / "wordlists" / "few.txt");
  CHECK(plain.steps[1].max == 3);
  CHECK_FALSE(plain.steps[2].ask_capa);
  CHECK(plain.steps[4].attacker == "none");
  CHECK(plain.steps[4].verify_certificate == true);
  CHECK(plain.steps[5].verb == "APOP");
  CHECK(plain.checks[0].text == "builder");  // no student: the passwords as written
  CHECK(plain.checks[1].ms == 500);
  CHECK(plain.scenario.messages[0].text.find("carol's password x") != std::string::npos);

  // A student's copy: its own seed, a password from the wordlist, its own code word.
  const Lab a = load_lab(dir, "student-a");
  const Lab b = load_lab(dir, "student-b");
  CHECK(a.scenario.seed != 70);
  CHECK(a.scenario.seed != b.scenario.seed);
  CHECK((a.scenario.accounts[0].password == "sunshine" ||
         a.scenario.accounts[0].password == "dragon"));
  CHECK(a.scenario.accounts[1].password != "x");  // made up: "word-1234"
  CHECK(a.scenario.accounts[1].password.find('-') != std::string::npos);
  CHECK(a.checks[0].text == a.scenario.accounts[0].password);
  CHECK(a.scenario.messages[0].text.starts_with("Subject: student-a\n"));
  CHECK(a.scenario.messages[0].text != b.scenario.messages[0].text);
  CHECK(load_lab(dir, "student-a").scenario.messages[0].text ==
        a.scenario.messages[0].text);  // reproducible

  // A class account standing in for the first account.
  const StandIn as{"ada", "maple-1234"};
  const Lab graded = load_lab(dir, "student-a", as);
  CHECK(graded.scenario.accounts[0].user == "ada");
  CHECK(graded.steps[1].user == "ada");
  CHECK(graded.scenario.messages[0].user == "ada");
  CHECK(graded.checks[0].text == "maple-1234");
  CHECK(graded.checks[0].description == "cracked maple-1234");
}

TEST_CASE("mistakes in the security keys are named") {
  LabDir d;
  auto with = [&](const std::string& scenario, const std::string& steps) {
    const std::string text = "number = 1\ntitle = \"x\"\n[scenario]\n" + scenario +
                             "\n[[scenario.accounts]]\nuser = \"alice\"\npassword = "
                             "\"p\"\n[[steps]]\naction = \"connect\"\n" +
                             steps;
    return d.write("x", text);
  };
  CHECK_THROWS_WITH_AS(load_lab(with("attacker = \"dragon\"", "")),
                       doctest::Contains("is not one of strip-stls"), std::runtime_error);
  CHECK_THROWS_WITH_AS(load_lab(with("certificate = \"fake\"", "")),
                       doctest::Contains("untrusted, wrong-host, expired"), std::runtime_error);
  CHECK_THROWS_WITH_AS(
      load_lab(with("", "[[steps]]\naction = \"crack\"\nwordlist = \"nope.txt\"\n")),
      doctest::Contains("no wordlist \"nope.txt\""), std::runtime_error);
  CHECK_THROWS_WITH_AS(load_lab(with("", "[[steps]]\naction = \"replay\"\n")),
                       doctest::Contains("replay needs verb"), std::runtime_error);
  CHECK_THROWS_WITH_AS(
      load_lab(with("", "[[steps]]\naction = \"send\"\nline = \"NOOP\"\nattacker = \"none\"\n")),
      doctest::Contains("are for reconnect steps"), std::runtime_error);
  CHECK_THROWS_WITH_AS(
      load_lab(with(
          "", "[[steps]]\naction = \"quit\"\n[[steps]]\naction = \"send\"\nline = \"NOOP\"\n")),
      doctest::Contains("only wait, crack and reconnect may follow"), std::runtime_error);
  // After a reconnect the connection is open again.
  CHECK_NOTHROW((void)load_lab(
      with("",
           "[[steps]]\naction = \"quit\"\n[[steps]]\naction = \"reconnect\"\n[[steps]]\n"
           "action = \"send\"\nline = \"NOOP\"\n")));
  CHECK_THROWS_WITH_AS(
      load_lab(with(
          "", "[[checks]]\nid = \"p\"\ndescription = \"p\"\nkind = \"delay\"\nverb = \"PASS\"\n")),
      doctest::Contains("needs verb = \"...\" and ms = N"), std::runtime_error);
  CHECK_THROWS_WITH_AS(
      load_lab(with("", "[[steps]]\naction = \"send\"\nline = \"PASS {password:zed}\"\n")),
      doctest::Contains("{password:zed} names no account"), std::runtime_error);
}

TEST_CASE(
    "a second client's steps: connect first, its own connection's end, only what a mail client "
    "does") {
  LabDir d;
  auto with = [&](const std::string& steps) {
    const std::string text =
        "number = 1\ntitle = \"x\"\n[scenario]\n[[scenario.accounts]]\nuser = \"alice\"\npassword "
        "= \"p\"\n"
        "[[steps]]\naction = \"connect\"\n" +
        steps;
    return d.write("x", text);
  };
  const std::string c2 = "client = 2\n";
  const Lab ok = load_lab(
      with("[[steps]]\naction = \"connect\"\n" + c2 + "[[steps]]\naction = \"login\"\n" + c2 +
           "[[steps]]\naction = \"drop\"\n" + c2 + "[[steps]]\naction = \"connect\"\n" + c2 +
           "[[steps]]\naction = \"send\"\nline = \"NOOP\"\n"));
  REQUIRE(ok.steps.size() == 6);
  CHECK(ok.steps[0].client == 1);
  CHECK(ok.steps[1].client == 2);
  CHECK(ok.steps[4].client == 2);
  CHECK(ok.steps[5].client == 1);  // the default
  CHECK_THROWS_WITH_AS(load_lab(with("[[steps]]\naction = \"send\"\nline = \"NOOP\"\n" + c2)),
                       doctest::Contains("client 2 has no connection here"), std::runtime_error);
  CHECK_THROWS_WITH_AS(load_lab(with("[[steps]]\naction = \"connect\"\n" + c2 +
                                     "[[steps]]\naction = \"connect\"\n" + c2)),
                       doctest::Contains("client 2 is still connected"), std::runtime_error);
  CHECK_THROWS_WITH_AS(
      load_lab(with("[[steps]]\naction = \"connect\"\n" + c2 + "[[steps]]\naction = \"quit\"\n" +
                    c2 + "[[steps]]\naction = \"send\"\nline = \"NOOP\"\n" + c2)),
      doctest::Contains("client 2 has no connection here"), std::runtime_error);
  CHECK_THROWS_WITH_AS(load_lab(with("[[steps]]\naction = \"reconnect\"\n" + c2)),
                       doctest::Contains("client 2 may connect, send"), std::runtime_error);
  CHECK_THROWS_WITH_AS(load_lab(with("[[steps]]\naction = \"connect\"\nclient = 3\n")),
                       doctest::Contains("client must be 1"), std::runtime_error);
  // Client 2's quit does not end client 1's connection.
  CHECK_NOTHROW((void)load_lab(with("[[steps]]\naction = \"connect\"\n" + c2 +
                                    "[[steps]]\naction = \"quit\"\n" + c2 +
                                    "[[steps]]\naction = \"send\"\nline = \"NOOP\"\n")));
}
