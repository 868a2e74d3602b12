#pragma once
// The header's wall-clock time as text: RFC 3339 in UTC with microseconds,
// "2024-05-01T12:00:00.000000Z". Formatting and parsing only; the producer reads the
// clock (std::chrono::floor<Micros>(std::chrono::system_clock::now())) and passes it in.
#include <optional>
#include <string>
#include <string_view>

#include "pop3/trace/record.hpp"

namespace pop3::trace {

[[nodiscard]] std::string format_timestamp(WallTime time);
// Accepts what format_timestamp writes, and also 0 to 9 fraction digits (more than six
// are truncated) and a lower-case 't'/'z'. Only UTC ("Z") is accepted: traces compare
// across machines, so a local offset would be a trap.
[[nodiscard]] std::optional<WallTime> parse_timestamp(std::string_view text) noexcept;

}  // namespace pop3::trace
