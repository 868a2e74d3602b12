#pragma once
// Private to pop3::attack: ASCII helpers for protocol text.
#include <string_view>

namespace pop3::attack::detail {

[[nodiscard]] constexpr char lower(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

[[nodiscard]] constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

// Up to the first space.
[[nodiscard]] constexpr std::string_view first_word(std::string_view line) noexcept {
  return line.substr(0, line.find(' '));
}

}  // namespace pop3::attack::detail
