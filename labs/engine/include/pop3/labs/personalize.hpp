#pragma once
// Per-student labs (docs/lab-format.md, "Per-student values"; docs/instructors.md). A lab
// with `randomize = true` made for a student id gets its own seed (so its own APOP
// timestamps, challenges and nonces), its own passwords and its own code word, all
// derived from the lab's seed and the id: two students cannot copy each other's answers,
// and the instructor can make any student's lab again from the id alone.
//
// Placeholders, expanded in every text of a lab (background, steps, messages, checks),
// randomized or not:
//   {password:USER}  the password of the scenario's account USER
//   {user:USER}      the name of the account USER (another name when a class account
//                    stands in for it: grading a student's trace from a real server)
//   {student}        the student id ("" when none was given)
//   {code}           a code word for the student, e.g. "K7QM-29XD" (from the seed and id)
#include <cstdint>
#include <string>
#include <string_view>

#include "pop3/labs/lab.hpp"

namespace pop3::labs {

// The seed of a student's copy: the lab's seed mixed with the id (FNV-1a); the lab's own
// seed for the empty id.
[[nodiscard]] std::uint64_t student_seed(std::uint64_t seed, std::string_view student);
// A password made up from a seed: a word, a dash and four digits ("maple-4821").
[[nodiscard]] std::string made_up_password(std::uint64_t seed, std::string_view purpose);
// A code word from a seed: 4 + 4 characters of an unambiguous alphabet ("K7QM-29XD").
[[nodiscard]] std::string code_word(std::uint64_t seed);

// Makes the lab the student's: with randomize, a new seed, new passwords (from each
// account's random_from wordlist, or made up) and a new code; then the placeholders
// expanded. Throws std::runtime_error for {password:USER} naming no account.
// `as`: a real account that stands in for the lab's first account (pop3-lab grade --class):
// its name and password replace that account's everywhere, placeholders included.
struct StandIn {
  std::string user;
  std::string password;
};
void personalize(Lab& lab, const std::string& student, const StandIn* as = nullptr);

}  // namespace pop3::labs
