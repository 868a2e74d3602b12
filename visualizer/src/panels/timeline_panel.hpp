#pragma once
// The timeline: a slider over the records, to scrub back and forth; every panel shows the
// conversation as of the cursor. Under it a strip marks what happened where (commands,
// -ERR, state changes, secrets, TLS) and the lab's step boundaries; clicking the strip
// moves the cursor. "Live" follows new records.
#include <cstdint>
#include <vector>

#include "panels/panel.hpp"

namespace pop3::viz {

class TimelinePanel final : public Panel {
 public:
  [[nodiscard]] const char* name() const noexcept override { return "Timeline"; }
  void draw(PanelContext& ctx) override;
  [[nodiscard]] ImGuiWindowFlags flags() const noexcept override {
    return ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse;
  }

  // Moves the cursor to the previous / next transcript row of the focused session.
  static void step_back(TraceModel& model);
  static void step_forward(TraceModel& model);

 private:
  void build_strip(const TraceModel& model, int width);
  std::vector<ImU32> strip_;  // one colour per pixel column (0: nothing)
  std::uint64_t strip_revision_ = ~std::uint64_t{0};
  int strip_width_ = 0;
  std::size_t strip_focus_ = ~std::size_t{0};
};

}  // namespace pop3::viz
