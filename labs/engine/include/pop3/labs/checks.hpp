#pragma once
// Evaluating a lab's checks on a trace: the same code judges the simulator's run, a
// student's trace from pop3-client or pop3-server, and the visualizer's live view.
#include <string>
#include <vector>

#include "pop3/labs/lab.hpp"
#include "pop3/trace/record.hpp"

namespace pop3::labs {

struct CheckResult {
  const Check* check = nullptr;
  bool holds = false;
  std::string
      evidence;  // what in the trace decided it ("state TRANSACTION at seq 12 of session server")
};

[[nodiscard]] CheckResult evaluate(const Check& check, const std::vector<trace::Record>& records);
[[nodiscard]] std::vector<CheckResult> evaluate(const Lab& lab,
                                                const std::vector<trace::Record>& records);

// A trace from pop3-client has only the client's side, one from pop3-server only the
// server's: the lab with its checks aimed at a side the trace lacks turned to the side it has.
[[nodiscard]] Lab judged_on_present_sides(Lab lab, const std::vector<trace::Record>& records);

// The check kinds this build knows, for the file reader's validation.
[[nodiscard]] const std::vector<std::string>& check_kinds();

}  // namespace pop3::labs
