#pragma once
// Reading lab files (TOML, docs/lab-format.md).
#include <filesystem>
#include <string>
#include <vector>

#include "pop3/labs/lab.hpp"
#include "pop3/labs/personalize.hpp"

namespace pop3::labs {

// Reads DIR/lab.toml. Message files named with `file = "..."` are read relative to DIR.
// Throws std::runtime_error naming the file, line and key for anything malformed: an
// unknown key, a step with an unknown action, a check with an unknown kind or missing
// parameter, a login for an account the scenario does not have.
// `student`: make the lab that student's (personalize.hpp): with `randomize = true`, its own
// seed, passwords and code word; placeholders such as {password:alice} are expanded either way.
[[nodiscard]] Lab load_lab(const std::filesystem::path& directory, const std::string& student = {});
// The same, with a real account standing in for the lab's first account (grading a trace
// recorded against a class's pop3-server: pop3-lab grade --class).
[[nodiscard]] Lab load_lab(const std::filesystem::path& directory, const std::string& student,
                           const StandIn& as);

// Every lab under `root` (each subdirectory with a lab.toml), ordered by number.
[[nodiscard]] std::vector<Lab> load_labs(const std::filesystem::path& root,
                                         const std::string& student = {});

// Where the labs are: $POP3LAB_LABS_DIR, else the source tree's labs/ (compiled in),
// else the installed share directory.
[[nodiscard]] std::filesystem::path default_labs_root();

}  // namespace pop3::labs
