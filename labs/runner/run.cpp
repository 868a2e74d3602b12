#include <unistd.h>

#include <fstream>
#include <iostream>

#include "commands.hpp"
#include "display.hpp"
#include "pop3/labs/lab_run.hpp"

namespace pop3::labs {

std::string step_description(const Step& s);

namespace {

// Characters, not octets: the rule is drawn with a multi-octet box-drawing character.
std::size_t columns(const std::string& utf8) {
  std::size_t n = 0;
  for (const char c : utf8) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

void rule(const std::string& title) {
  std::string line = "── " + title + " ";
  for (std::size_t n = columns(line); n < 78; ++n) line += "─";
  std::cout << "\n" << line << "\n";
}

// Waits for Enter (or end of input); false when the student typed q.
bool pause(const std::string& prompt) {
  std::cout << prompt << std::flush;
  std::string typed;
  if (!std::getline(std::cin, typed)) return true;
  return typed != "q" && typed != "quit";
}

}  // namespace

int run_lab(const Lab& lab, const RunOptions& options) {
  LabRun run(lab);
  const bool interactive = !options.automatic;
  std::cout << "Lab " << lab.number << ": " << lab.title << "\n";
  if (interactive) {
    std::cout << "\n" << lab.background << "\n";
    if (!pause("Press Enter to begin (q to stop) ")) return 0;
  }
  StepDisplay display(std::cout);
  while (!run.done()) {
    const Step& next = lab.steps[run.next_step()];
    rule("Step " + std::to_string(run.next_step() + 1) + "/" + std::to_string(lab.steps.size()) + ": " +
         (next.title.empty() ? step_description(next) : next.title));
    std::cout << "  action: " << step_description(next) << "\n";
    const StepOutcome out = run.run_next();
    display.records(run.records(), out.first_record, out.end_record);
    const auto seen = run.simulation().eavesdropper().observations();
    display.observations(std::vector<sim::Observation>(seen.begin() + static_cast<std::ptrdiff_t>(out.first_observation),
                                                       seen.begin() + static_cast<std::ptrdiff_t>(out.end_observation)));
    if (!next.look.empty()) std::cout << "  look: " << next.look << "\n";
    if (!next.question.empty()) {
      std::cout << "  question: " << next.question << "\n";
      if (interactive) {
        std::cout << "  your answer: " << std::flush;
        std::string answer;
        std::getline(std::cin, answer);
      }
      std::cout << "  answer: " << next.answer << "\n";
    }
    if (interactive && !run.done() && !pause("\n[Enter] next step, q to stop ")) break;
  }
  run.finish();
  if (options.trace) {
    std::ofstream out(*options.trace, std::ios::trunc);
    run.write_trace(out);
    std::cout << "\nTrace written to " << options.trace->string() << "\n";
  }
  rule("Checks");
  const bool all = print_checks(lab, run.checks());
  std::cout << (all ? "\nEvery check holds.\n" : "\nSome checks do not hold.\n");
  return all ? 0 : 1;
}

}  // namespace pop3::labs
