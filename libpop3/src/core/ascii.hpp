#pragma once
// ASCII helpers shared by the core's parsers. Internal: not part of the public API.
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pop3::detail {

constexpr char to_upper(char c) noexcept {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
}

constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (to_upper(a[i]) != to_upper(b[i])) return false;
  return true;
}

inline std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = to_upper(c);
  return out;
}

constexpr bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

// A decimal number without sign or spaces. RFC 1939 numbers are plain digits.
inline std::optional<std::uint64_t> parse_decimal(std::string_view s) noexcept {
  if (s.empty() || s.size() > 19) return std::nullopt;
  for (char c : s)
    if (!is_digit(c)) return std::nullopt;
  std::uint64_t value = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || ptr != s.data() + s.size()) return std::nullopt;
  return value;
}

constexpr bool has_line_break_or_nul(std::string_view s) noexcept {
  for (char c : s)
    if (c == '\r' || c == '\n' || c == '\0') return true;
  return false;
}

}  // namespace pop3::detail
