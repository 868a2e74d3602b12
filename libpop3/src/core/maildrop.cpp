#include "pop3/core/maildrop.hpp"

namespace pop3 {

std::size_t Maildrop::live_count() const {
  std::size_t n = 0;
  for (std::size_t i = 1; i <= count(); ++i)
    if (!is_deleted(i)) ++n;
  return n;
}

std::uint64_t Maildrop::live_octets() const {
  std::uint64_t total = 0;
  for (std::size_t i = 1; i <= count(); ++i)
    if (!is_deleted(i)) total += info(i).octets;
  return total;
}

bool valid_uidl(std::string_view uidl) noexcept {
  if (uidl.empty() || uidl.size() > 70) return false;
  for (char c : uidl)
    if (c < 0x21 || c > 0x7E) return false;
  return true;
}

}  // namespace pop3
