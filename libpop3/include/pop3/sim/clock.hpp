#pragma once
// VirtualClock: the simulator's time. It starts at a fixed point (so traces replay) and
// moves only when the simulation moves it: to the next delivery on the link, to the
// server's deadline, or by run_for(). Nothing here reads a real clock.
#include <chrono>
#include <stdexcept>

#include "pop3/core/time.hpp"

namespace pop3::sim {

class VirtualClock {
 public:
  explicit VirtualClock(TimePoint start = TimePoint{}) : start_(start), now_(start) {}

  [[nodiscard]] TimePoint now() const noexcept { return now_; }
  [[nodiscard]] TimePoint start() const noexcept { return start_; }
  [[nodiscard]] Duration elapsed() const noexcept { return now_ - start_; }
  [[nodiscard]] std::chrono::milliseconds elapsed_ms() const noexcept {
    return std::chrono::duration_cast<std::chrono::milliseconds>(elapsed());
  }

  // Time never goes back: a simulation bug otherwise.
  void advance_to(TimePoint t) {
    if (t < now_) throw std::logic_error("virtual clock: time cannot go back");
    now_ = t;
  }
  void advance(Duration d) { advance_to(now_ + d); }

 private:
  TimePoint start_;
  TimePoint now_;
};

}  // namespace pop3::sim
