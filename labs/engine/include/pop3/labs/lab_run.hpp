#pragma once
// LabRun: a lab played on the simulator, one step at a time. It builds the simulation from
// the lab's scenario, performs each step's action, keeps the trace, and evaluates the
// checks on it whenever asked. pop3-lab and the visualizer both drive labs through it.
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "pop3/labs/checks.hpp"
#include "pop3/labs/lab.hpp"
#include "pop3/sim/simulation.hpp"
#include "pop3/trace/sink.hpp"

namespace pop3::labs {

struct StepOutcome {
  const Step* step = nullptr;
  std::size_t index = 0;         // 0-based
  std::size_t first_record = 0;  // records() added by this step: [first_record, end_record)
  std::size_t end_record = 0;
  sim::Exchange exchange;
  std::size_t first_observation = 0;  // eavesdropper observations added by this step
  std::size_t end_observation = 0;
};

// The simulator's scenario for a lab (exposed for tests and the visualizer).
[[nodiscard]] sim::Scenario make_scenario(const Lab& lab);

class LabRun {
 public:
  explicit LabRun(const Lab& lab);
  ~LabRun();
  LabRun(const LabRun&) = delete;
  LabRun& operator=(const LabRun&) = delete;

  [[nodiscard]] const Lab& lab() const noexcept { return lab_; }
  [[nodiscard]] std::size_t next_step() const noexcept { return next_; }
  [[nodiscard]] bool done() const noexcept { return next_ >= lab_.steps.size(); }
  // Performs the next step. Throws std::logic_error when done().
  StepOutcome run_next();
  // Runs every remaining step, then ends the trace.
  void run_all();
  // Ends the trace sessions (the simulator's destructor would too).
  void finish();

  [[nodiscard]] const std::vector<trace::Record>& records() const noexcept { return sink_.records; }
  [[nodiscard]] std::vector<CheckResult> checks() const { return evaluate(lab_, sink_.records); }
  [[nodiscard]] bool all_checks_hold() const;
  [[nodiscard]] sim::Simulation& simulation() noexcept { return *simulation_; }
  // The trace as JSON Lines, header first.
  void write_trace(std::ostream& out) const;

 private:
  sim::Exchange perform(const Step& step);
  Lab lab_;
  trace::MemorySink sink_;
  std::unique_ptr<sim::Simulation> simulation_;
  std::size_t next_ = 0;
};

}  // namespace pop3::labs
