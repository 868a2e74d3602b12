// The lab-file reader (labs/engine, docs/lab-format.md) fed arbitrary TOML.
//
// The input is written as lab.toml in a private temporary directory (the reader takes a
// directory: message files and wordlists are found beside lab.toml), then read twice: as
// is, and for a student id (randomize and the {password:...} placeholders).
// Invariants:
//  - the only exception is the documented std::runtime_error (toml++ parse errors, bad
//    keys and values all become one), with a message;
//  - a lab that loads has what the reader promises: a positive number, a title, steps;
//    every login/victim_login step names an account of the scenario; every check's kind
//    is a known one; no {password:...} or {student} placeholder is left in a text;
//  - loading is deterministic: the same input and student give the same lab.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "invariant.hpp"
#include "pop3/labs/checks.hpp"
#include "pop3/labs/lab_file.hpp"

namespace {

// One directory for the whole run, removed at exit.
class LabDirectory {
 public:
  LabDirectory() {
    std::string pattern = (std::filesystem::temp_directory_path() / "pop3lab-fuzz-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    root_ = pattern;
    lab_ = root_ / "99-fuzz";
    std::filesystem::create_directory(lab_);
  }
  ~LabDirectory() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  LabDirectory(const LabDirectory&) = delete;
  LabDirectory& operator=(const LabDirectory&) = delete;
  [[nodiscard]] const std::filesystem::path& lab() const noexcept { return lab_; }

 private:
  std::filesystem::path root_;
  std::filesystem::path lab_;
};

bool account_exists(const pop3::labs::Lab& lab, const std::string& user) {
  for (const auto& account : lab.scenario.accounts)
    if (account.user == user) return true;
  return false;
}

bool known_check_kind(const std::string& kind) {
  for (const auto& known : pop3::labs::check_kinds())
    if (known == kind) return true;
  return false;
}

void check_lab(const pop3::labs::Lab& lab) {
  FUZZ_CHECK(lab.number > 0);
  FUZZ_CHECK(!lab.title.empty());
  FUZZ_CHECK(!lab.steps.empty());
  for (const auto& step : lab.steps) {
    FUZZ_CHECK(step.client == 1 || step.client == 2);
    if (step.action == "login" || step.action == "victim_login")
      FUZZ_CHECK(account_exists(lab, step.user));
    FUZZ_CHECK(step.line.find("{password:") == std::string::npos);
  }
  for (const auto& check : lab.checks)
    FUZZ_CHECK(known_check_kind(check.kind));
  FUZZ_CHECK(lab.background.find("{password:") == std::string::npos);
  FUZZ_CHECK(lab.background.find("{student}") == std::string::npos);
  for (const auto& message : lab.scenario.messages)
    FUZZ_CHECK(message.text.find("{password:") == std::string::npos);
}

bool same(const pop3::labs::Lab& a, const pop3::labs::Lab& b) {
  if (a.number != b.number || a.title != b.title || a.steps.size() != b.steps.size() ||
      a.checks.size() != b.checks.size() || a.scenario.seed != b.scenario.seed ||
      a.scenario.accounts.size() != b.scenario.accounts.size())
    return false;
  for (std::size_t i = 0; i < a.scenario.accounts.size(); ++i)
    if (a.scenario.accounts[i].user != b.scenario.accounts[i].user ||
        a.scenario.accounts[i].password != b.scenario.accounts[i].password)
      return false;
  return true;
}

void load(const std::filesystem::path& dir, const std::string& student) {
  std::optional<pop3::labs::Lab> first;
  try {
    first = pop3::labs::load_lab(dir, student);
  } catch (const std::runtime_error& e) {
    FUZZ_CHECK(*e.what() != '\0');
    return;
  }
  check_lab(*first);
  FUZZ_CHECK(same(*first, pop3::labs::load_lab(dir, student)));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const LabDirectory directory;
  {
    std::ofstream out(directory.lab() / "lab.toml", std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    if (!out) std::abort();
  }
  load(directory.lab(), "");
  load(directory.lab(), "student-7");
  return 0;
}
