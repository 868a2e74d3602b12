#include "pop3/trace/timestamp.hpp"

#include <array>
#include <cstdio>

namespace pop3::trace {
namespace {

using std::chrono::days;
using std::chrono::hh_mm_ss;
using std::chrono::year_month_day;

// Reads exactly `width` decimal digits at `pos`.
std::optional<int> digits(std::string_view text, std::size_t pos, std::size_t width) noexcept {
  if (pos + width > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

bool is_char(std::string_view text, std::size_t pos, char lower, char upper) noexcept {
  return pos < text.size() && (text[pos] == lower || text[pos] == upper);
}

}  // namespace

std::string format_timestamp(WallTime time) {
  const auto day = std::chrono::floor<days>(time);
  const year_month_day date{day};
  const hh_mm_ss clock{time - day};
  std::array<char, 40> buffer{};
  // snprintf, not iostreams: fixed-width fields without touching a stream's state.
  const int n = std::snprintf(
      buffer.data(), buffer.size(), "%04d-%02u-%02uT%02d:%02d:%02d.%06dZ",
      static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
      static_cast<unsigned>(date.day()), static_cast<int>(clock.hours().count()),
      static_cast<int>(clock.minutes().count()), static_cast<int>(clock.seconds().count()),
      static_cast<int>(clock.subseconds().count()));
  return std::string(buffer.data(), n > 0 ? static_cast<std::size_t>(n) : 0);
}

std::optional<WallTime> parse_timestamp(std::string_view text) noexcept {
  const auto year = digits(text, 0, 4);
  const auto month = digits(text, 5, 2);
  const auto day = digits(text, 8, 2);
  const auto hour = digits(text, 11, 2);
  const auto minute = digits(text, 14, 2);
  const auto second = digits(text, 17, 2);
  if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
  if (!is_char(text, 4, '-', '-') || !is_char(text, 7, '-', '-') || !is_char(text, 10, 't', 'T') ||
      !is_char(text, 13, ':', ':') || !is_char(text, 16, ':', ':')) {
    return std::nullopt;
  }
  std::size_t pos = 19;
  std::int64_t micros = 0;
  if (is_char(text, pos, '.', '.')) {
    ++pos;
    std::size_t count = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (count < 6) micros = micros * 10 + (text[pos] - '0');
      ++count;
      ++pos;
    }
    if (count == 0 || count > 9) return std::nullopt;
    for (std::size_t i = count; i < 6; ++i)
      micros *= 10;
  }
  if (!is_char(text, pos, 'z', 'Z') || pos + 1 != text.size()) return std::nullopt;
  // Leap seconds (":60") are refused: sys_time cannot hold them.
  if (*hour > 23 || *minute > 59 || *second > 59) return std::nullopt;
  const year_month_day date{std::chrono::year{*year},
                            std::chrono::month{static_cast<unsigned>(*month)},
                            std::chrono::day{static_cast<unsigned>(*day)}};
  if (!date.ok()) return std::nullopt;
  return WallTime{std::chrono::sys_days{date}} + std::chrono::hours{*hour} +
         std::chrono::minutes{*minute} + std::chrono::seconds{*second} + Micros{micros};
}

}  // namespace pop3::trace
