#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "pop3/labs/lab_file.hpp"

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
  CHECK_THROWS_WITH_AS(load_lab(bad("kind = \"state\"", "kind = \"vibes\"")), doctest::Contains("unknown kind"),
                       std::runtime_error);
  CHECK_THROWS_WITH_AS(load_lab(bad("state = \"TRANSACTION\"", "")), doctest::Contains("needs state"),
                       std::runtime_error);
  CHECK_THROWS_WITH_AS(load_lab(bad("mechanism = \"CRAM-MD5\"", "user = \"mallory\"")),
                       doctest::Contains("not an account"), std::runtime_error);
  CHECK_THROWS_WITH_AS(load_lab(bad("answer = \"AUTHORIZATION\"", "")), doctest::Contains("needs its answer"),
                       std::runtime_error);
  CHECK_THROWS_WITH_AS(load_lab(bad("seed = 3", "sead = 3")), doctest::Contains("lab.toml:9: scenario.sead"),
                       std::runtime_error);
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
  CHECK_THROWS_WITH_AS(load_labs(d.root), doctest::Contains("two labs are number 1"), std::runtime_error);
}
