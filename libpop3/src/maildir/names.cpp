#include "pop3/maildir/names.hpp"

#include <unistd.h>

#include <climits>
#include <limits>

namespace pop3::maildir {

std::string_view unique_part(std::string_view file_name) noexcept {
  return file_name.substr(0, file_name.find(':'));
}

namespace {
bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

// Parses leading digits at `at`; false when there are none or they overflow.
bool parse_number(std::string_view s, std::size_t& at, std::uint64_t& value) noexcept {
  const std::size_t start = at;
  value = 0;
  while (at < s.size() && is_digit(s[at])) {
    const auto digit = static_cast<std::uint64_t>(s[at] - '0');
    if (value > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) return false;
    value = value * 10 + digit;
    ++at;
  }
  return at > start;
}
}  // namespace

DeliveryStamp delivery_stamp(std::string_view unique) noexcept {
  DeliveryStamp stamp;
  std::size_t at = 0;
  if (!parse_number(unique, at, stamp.seconds)) return {};
  // The seconds must be a whole component ("1700000000.xxx"), not the start of a word.
  if (at != unique.size() && unique[at] != '.') return {};
  stamp.known = true;
  if (at + 1 < unique.size() && unique[at + 1] == 'M') {
    std::size_t m = at + 2;
    std::uint64_t micros = 0;
    if (parse_number(unique, m, micros)) stamp.micros = micros;
  }
  return stamp;
}

bool natural_less(std::string_view a, std::string_view b) noexcept {
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() && j < b.size()) {
    if (is_digit(a[i]) && is_digit(b[j])) {
      while (i < a.size() && a[i] == '0')
        ++i;
      while (j < b.size() && b[j] == '0')
        ++j;
      std::size_t ei = i;
      std::size_t ej = j;
      while (ei < a.size() && is_digit(a[ei]))
        ++ei;
      while (ej < b.size() && is_digit(b[ej]))
        ++ej;
      const auto da = a.substr(i, ei - i);
      const auto db = b.substr(j, ej - j);
      if (da.size() != db.size()) return da.size() < db.size();  // more digits, larger number
      if (da != db) return da < db;
      i = ei;
      j = ej;
      continue;
    }
    if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]);
    ++i;
    ++j;
  }
  if (i == a.size() && j == b.size()) return a < b;  // equal as numbers: bytes decide
  return i == a.size();                              // a prefix sorts first
}

std::string escape_host(std::string_view host) {
  if (host.empty()) return "localhost";
  std::string out;
  out.reserve(host.size());
  for (const char c : host) {
    if (c == '/') {
      out += "\\057";
    } else if (c == ':') {
      out += "\\072";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string make_unique_name(std::chrono::system_clock::time_point when, pid_t pid,
                             std::uint64_t counter, std::string_view host) {
  const auto since = when.time_since_epoch();
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since);
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(since - seconds);
  return std::to_string(seconds.count()) + ".M" + std::to_string(micros.count()) + "P" +
         std::to_string(pid) + "Q" + std::to_string(counter) + "." + escape_host(host);
}

std::string local_host_name() {
  char buffer[256] = {};
  if (::gethostname(buffer, sizeof buffer - 1) != 0 || buffer[0] == '\0') return "localhost";
  return buffer;
}

}  // namespace pop3::maildir
