#pragma once
// The state machine, drawn from the core's transition and command tables: the states as
// boxes (the AUTHORIZATION sub-states inside their phase), the transitions as labelled
// arrows. The session's state as of the cursor is lit, the last transition is drawn bold
// with a dot travelling along it for a moment, and the commands legal now are listed.
#include <cstddef>
#include <optional>

#include "panels/panel.hpp"

namespace pop3::viz {

class StatePanel final : public Panel {
 public:
  [[nodiscard]] const char* name() const noexcept override { return "State machine"; }
  void draw(PanelContext& ctx) override;
  // An animation is running (the app keeps drawing frames while it does).
  [[nodiscard]] bool animating(double now) const noexcept { return now - changed_at_ < kAnimation; }

  static constexpr double kAnimation = 1.0;  // seconds

 private:
  std::optional<std::size_t> last_change_record_;
  double changed_at_ = -100;
};

}  // namespace pop3::viz
