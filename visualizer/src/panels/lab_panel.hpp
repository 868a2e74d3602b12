#pragma once
// The lab: its text and objectives, the steps with Step / Run / Pause / Restart, what to
// look at after the step and its question (the answer behind a button), and the checks,
// evaluated with pop3::labs::evaluate on the model's records up to the cursor, turning
// green as they hold.
#include <cstdint>
#include <set>
#include <vector>

#include "panels/panel.hpp"
#include "pop3/labs/checks.hpp"

namespace pop3::viz {

class LabPanel final : public Panel {
 public:
  [[nodiscard]] const char* name() const noexcept override { return "Lab"; }
  void draw(PanelContext& ctx) override;

  // The checks as of the cursor (cached on the model's revision and the cursor).
  [[nodiscard]] const std::vector<labs::CheckResult>& checks(PanelContext& ctx);
  // The checks as last drawn, and whether a step's answer is shown: for tests.
  [[nodiscard]] const std::vector<labs::CheckResult>& last_checks() const noexcept {
    return checks_;
  }
  [[nodiscard]] bool answer_shown(std::size_t step) const { return answers_shown_.contains(step); }

 private:
  void draw_controls(PanelContext& ctx);
  void draw_steps(PanelContext& ctx);
  void draw_current_step(PanelContext& ctx);
  void draw_checks(PanelContext& ctx);
  // The step whose records hold the cursor (the last one done at or before it).
  [[nodiscard]] std::optional<std::size_t> step_at_cursor(const PanelContext& ctx) const;

  std::vector<labs::CheckResult> checks_;
  const labs::Lab* checks_lab_ = nullptr;
  std::uint64_t checks_revision_ = ~std::uint64_t{0};
  std::size_t checks_cursor_ = ~std::size_t{0};
  std::size_t seen_cursor_ = ~std::size_t{0};
  double cursor_moved_at_ = 0;
  std::set<std::size_t> answers_shown_;
  std::uint64_t generation_ = ~std::uint64_t{0};
};

}  // namespace pop3::viz
