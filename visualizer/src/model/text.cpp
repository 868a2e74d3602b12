#include "model/text.hpp"

#include <cstdio>

namespace pop3::viz {

namespace {

constexpr std::string_view kHex = "0123456789abcdef";

void append_hex(std::string& out, unsigned char c) {
  out.push_back(kHex[c >> 4]);
  out.push_back(kHex[c & 0x0F]);
}

// Length of a valid UTF-8 sequence of two or more bytes at s[i], or 0.
std::size_t utf8_sequence(std::string_view s, std::size_t i) noexcept {
  const auto c = static_cast<unsigned char>(s[i]);
  std::size_t n = 0;
  std::uint32_t cp = 0;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
    cp = c & 0x1Fu;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    cp = c & 0x0Fu;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    cp = c & 0x07u;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    const auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3Fu);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF))) return 0;
  if (cp >= 0xD800 && cp <= 0xDFFF) return 0;
  if (cp >= 0x80 && cp < 0xA0) return 0;  // C1 controls
  return n;
}

}  // namespace

std::string hex_bytes(std::string_view bytes, std::size_t max) {
  std::string out;
  const std::size_t n = bytes.size() < max ? bytes.size() : max;
  out.reserve(n * 3 + 4);
  for (std::size_t i = 0; i < n; ++i) {
    if (i) out.push_back(' ');
    append_hex(out, static_cast<unsigned char>(bytes[i]));
  }
  if (n < bytes.size()) out += " ...";
  return out;
}

std::string_view strip_line_end(std::string_view line) noexcept {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

std::string printable(std::string_view bytes) {
  bytes = strip_line_end(bytes);
  std::string out;
  out.reserve(bytes.size());
  for (std::size_t i = 0; i < bytes.size();) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c >= 0x20 && c < 0x7F) {
      out.push_back(static_cast<char>(c));
      ++i;
    } else if (c == '\t') {
      out.push_back(' ');
      ++i;
    } else if (const std::size_t n = c >= 0x80 ? utf8_sequence(bytes, i) : 0; n) {
      out.append(bytes.substr(i, n));
      i += n;
    } else {
      out += "\\x";
      append_hex(out, c);
      ++i;
    }
  }
  return out;
}

std::string_view first_word(std::string_view line) noexcept {
  line = strip_line_end(line);
  const auto space = line.find(' ');
  return space == std::string_view::npos ? line : line.substr(0, space);
}

namespace {
char lower(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}
}  // namespace

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

bool icontains(std::string_view haystack, std::string_view needle) noexcept {
  if (needle.empty()) return true;
  if (needle.size() > haystack.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
    std::size_t k = 0;
    while (k < needle.size() && lower(haystack[i + k]) == lower(needle[k]))
      ++k;
    if (k == needle.size()) return true;
  }
  return false;
}

std::string format_time(std::chrono::microseconds t) {
  const auto us = t.count();
  char buf[48];
  if (us < 0) return "-" + format_time(std::chrono::microseconds(-us));
  if (us >= 10'000'000)
    std::snprintf(buf, sizeof buf, "%.3f s", static_cast<double>(us) / 1e6);
  else
    std::snprintf(buf, sizeof buf, "%.3f ms", static_cast<double>(us) / 1e3);
  return buf;
}

std::optional<std::uint64_t> parse_number(std::string_view text) noexcept {
  if (text.empty() || text.size() > 19) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return v;
}

}  // namespace pop3::viz
