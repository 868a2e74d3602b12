#pragma once
// Internal: locale-independent ASCII helpers.
#include <string>
#include <string_view>

namespace pop3::auth::detail {

inline constexpr char to_upper(char c) noexcept {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}
inline constexpr char to_lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
inline constexpr bool is_alnum(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

inline bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (to_upper(a[i]) != to_upper(b[i])) return false;
  }
  return true;
}

inline std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = to_lower(c);
  return out;
}

// For showing peer-supplied text in an explanation: printable ASCII as is, the rest as
// \xNN, so a hostile challenge cannot inject control sequences into a terminal.
inline std::string printable(std::string_view s) {
  static constexpr std::string_view hex = "0123456789abcdef";
  std::string out;
  for (const char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if (b >= 0x20 && b < 0x7F && c != '\\') {
      out.push_back(c);
    } else {
      out += "\\x";
      out.push_back(hex[b >> 4U]);
      out.push_back(hex[b & 0x0FU]);
    }
  }
  return out;
}

}  // namespace pop3::auth::detail
