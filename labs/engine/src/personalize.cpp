#include "pop3/labs/personalize.hpp"

#include <array>
#include <stdexcept>
#include <vector>

#include "pop3/attack/wordlist.hpp"
#include "pop3/sim/seeded.hpp"

namespace pop3::labs {

std::uint64_t student_seed(std::uint64_t seed, std::string_view student) {
  if (student.empty()) return seed;
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : student) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  // Keep it small enough to read in a trace header and a TOML file.
  return (seed ^ h) % 1'000'000'000ULL;
}

std::string made_up_password(std::uint64_t seed, std::string_view purpose) {
  static constexpr std::array<const char*, 32> words{
      "maple",  "harbor",  "copper", "lantern", "meadow",  "violet", "granite", "pebble",
      "falcon", "willow",  "orbit",  "saffron", "thistle", "cobalt", "juniper", "quartz",
      "ember",  "tundra",  "marble", "cricket", "walnut",  "heron",  "indigo",  "canyon",
      "fennel", "glacier", "hazel",  "kestrel", "lagoon",  "nutmeg", "otter",   "prairie"};
  sim::SeededRandom r(seed, std::string("password ") + std::string(purpose));
  std::string word = words[r.below(words.size())];
  return word + "-" + std::to_string(r.between(1000, 9999));
}

std::string code_word(std::uint64_t seed) {
  sim::SeededRandom r(seed, "code word");
  constexpr std::string_view alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  return r.token(4, alphabet) + "-" + r.token(4, alphabet);
}

namespace {

// The lab's own account names, in order, for the placeholders (a stand-in renames the first).
using Names = std::vector<std::string>;

void expand(std::string& text, const Lab& lab, const Names& names, const std::string& code) {
  if (text.find('{') == std::string::npos) return;
  auto replace_all = [&](const std::string& from, const std::string& to) {
    for (std::size_t at = text.find(from); at != std::string::npos;
         at = text.find(from, at + to.size()))
      text.replace(at, from.size(), to);
  };
  replace_all("{student}", lab.student);
  replace_all("{code}", code);
  for (const std::string prefix : {"{password:", "{user:"}) {
    for (std::size_t at = text.find(prefix); at != std::string::npos; at = text.find(prefix, at)) {
      const auto close = text.find('}', at);
      if (close == std::string::npos) break;
      const std::string user = text.substr(at + prefix.size(), close - at - prefix.size());
      const Account* acc = nullptr;
      for (std::size_t i = 0; i < names.size() && i < lab.scenario.accounts.size(); ++i)
        if (names[i] == user) acc = &lab.scenario.accounts[i];
      if (!acc)
        throw std::runtime_error("lab " + std::to_string(lab.number) + ": " + prefix + user +
                                 "} names no account");
      const std::string& value = prefix == "{user:" ? acc->user : acc->password;
      text.replace(at, close + 1 - at, value);
      at += value.size();
    }
  }
}

}  // namespace

void personalize(Lab& lab, const std::string& student, const StandIn* as) {
  lab.student = student;
  Scenario& s = lab.scenario;
  if (s.randomize && !student.empty()) {
    s.seed = student_seed(s.seed, student);
    for (auto& a : s.accounts) {
      if (!a.random_from.empty()) {
        for (const auto& dir : {lab.directory, lab.directory.parent_path() / "wordlists"}) {
          if (!std::filesystem::is_regular_file(dir / a.random_from)) continue;
          const auto words = attack::Wordlist::load(dir / a.random_from);
          if (words.empty()) break;
          sim::SeededRandom r(s.seed, "password from wordlist for " + a.user);
          a.password = words.words()[r.below(words.size())];
          break;
        }
      } else {
        a.password = made_up_password(s.seed, a.user);
      }
    }
  }
  Names names;
  for (const auto& a : s.accounts)
    names.push_back(a.user);
  if (as && !s.accounts.empty()) {
    const std::string old = s.accounts.front().user;
    s.accounts.front().user = as->user;
    s.accounts.front().password = as->password;
    for (auto& m : s.messages)
      if (m.user == old) m.user = as->user;
    for (auto& st : lab.steps)
      if (st.user == old) st.user = as->user;
  }
  const std::string code = code_word(s.seed);
  auto x = [&](std::string& text) { expand(text, lab, names, code); };
  x(lab.background);
  for (auto& o : lab.objectives)
    x(o);
  for (auto& m : s.messages)
    x(m.text);
  x(s.inject);
  for (auto& st : lab.steps) {
    for (std::string* f : {&st.line, &st.title, &st.look, &st.question, &st.answer})
      x(*f);
    for (auto& l : st.lines)
      x(l);
  }
  for (auto& c : lab.checks)
    for (std::string* f : {&c.text, &c.description, &c.hint})
      x(*f);
}

}  // namespace pop3::labs
