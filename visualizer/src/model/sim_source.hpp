#pragma once
// SimSource: a lab played on the embedded simulator, one step at a time, through
// pop3::labs::LabRun (the same runner pop3-lab uses). Step performs the next step now;
// Run performs the rest one at a time, `interval` seconds apart, so each can be watched;
// Pause stops Run; Restart starts the lab again from a fresh simulation (same seed, same
// bytes). Beside it runs the comparison: the same lab with TLS the other way round
// (lab_variant.hpp), stepped in lockstep, for the credentials panel.
#include <cstddef>
#include <memory>
#include <vector>

#include "model/lab_variant.hpp"
#include "model/source.hpp"
#include "pop3/labs/lab_run.hpp"

namespace pop3::viz {

struct StepMark {
  std::size_t index = 0;         // the step (0-based)
  std::size_t first_record = 0;  // model records it added: [first_record, end_record)
  std::size_t end_record = 0;
  bool refused = false;  // the client refused locally: nothing was sent
};

class SimSource final : public Source {
 public:
  explicit SimSource(labs::Lab lab, double interval = 0.8);
  ~SimSource() override;

  [[nodiscard]] SourceKind kind() const noexcept override { return SourceKind::Simulator; }
  [[nodiscard]] std::string title() const override;
  void poll(TraceModel& model, double now) override;
  [[nodiscard]] std::string status() const override;

  [[nodiscard]] bool can_step() const noexcept override { return true; }
  void step() override;
  void run() override;
  void pause() override { running_ = false; }
  void restart() override;
  [[nodiscard]] bool running() const noexcept override { return running_; }
  [[nodiscard]] bool finished() const noexcept override;

  void set_interval(double seconds) noexcept { interval_ = seconds; }
  [[nodiscard]] double interval() const noexcept { return interval_; }

  [[nodiscard]] const labs::Lab& lab() const noexcept { return lab_; }
  [[nodiscard]] std::size_t next_step() const noexcept;
  [[nodiscard]] std::size_t step_count() const noexcept { return lab_.steps.size(); }
  [[nodiscard]] const std::vector<StepMark>& marks() const noexcept { return marks_; }
  // The comparison run (TLS the other way round) and what it is.
  [[nodiscard]] const TraceModel& comparison() const noexcept { return comparison_; }
  [[nodiscard]] const LabVariant& variant() const noexcept { return variant_; }
  [[nodiscard]] const labs::LabRun& run_state() const noexcept { return *run_; }

 private:
  void start();
  void perform();
  void catch_up_variant();

  labs::Lab lab_;
  double interval_;
  std::unique_ptr<labs::LabRun> run_;
  std::vector<StepMark> marks_;
  std::size_t copied_ = 0;
  bool running_ = false;
  double next_at_ = 0;
  bool reset_model_ = true;  // the next poll clears the model first
  bool moved_ = false;       // a step ran since the last poll: follow the end
  LabVariant variant_;
  std::unique_ptr<labs::LabRun> variant_run_;
  TraceModel comparison_;
  std::size_t variant_copied_ = 0;
};

}  // namespace pop3::viz
