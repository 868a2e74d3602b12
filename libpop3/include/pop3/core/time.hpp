#pragma once
// Time as the core sees it: a point on a monotonic clock that the caller passes in.
// The core names the type but never reads a clock.
#include <chrono>

namespace pop3 {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;
using Duration = Clock::duration;

}  // namespace pop3
