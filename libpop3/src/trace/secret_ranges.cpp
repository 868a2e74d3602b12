#include "pop3/trace/secret_ranges.hpp"

#include <algorithm>
#include <limits>

namespace pop3::trace {

void SecretRanges::add(std::uint64_t offset, std::uint64_t length) {
  if (length == 0) return;
  const std::uint64_t room = std::numeric_limits<std::uint64_t>::max() - offset;
  std::uint64_t begin = offset;
  std::uint64_t end = offset + std::min(length, room);
  // Ranges touching [begin, end) merge into it; the rest keep their order.
  auto first = std::partition_point(ranges_.begin(), ranges_.end(),
                                    [&](const auto& r) { return r.second < begin; });
  auto last = first;
  while (last != ranges_.end() && last->first <= end) {
    begin = std::min(begin, last->first);
    end = std::max(end, last->second);
    ++last;
  }
  first = ranges_.erase(first, last);
  ranges_.insert(first, {begin, end});
}

std::uint64_t SecretRanges::mask(std::uint64_t offset, std::string& bytes) const {
  const std::uint64_t size = bytes.size();
  const std::uint64_t room = std::numeric_limits<std::uint64_t>::max() - offset;
  const std::uint64_t end = offset + std::min(size, room);
  std::uint64_t masked = 0;
  auto it = std::partition_point(ranges_.begin(), ranges_.end(),
                                 [&](const auto& r) { return r.second <= offset; });
  for (; it != ranges_.end() && it->first < end; ++it) {
    const std::uint64_t from = std::max(it->first, offset) - offset;
    const std::uint64_t to = std::min(it->second, end) - offset;
    std::fill(bytes.begin() + static_cast<std::ptrdiff_t>(from),
              bytes.begin() + static_cast<std::ptrdiff_t>(to), '*');
    masked += to - from;
  }
  return masked;
}

bool SecretRanges::overlaps(std::uint64_t offset, std::uint64_t length) const noexcept {
  if (length == 0) return false;
  const std::uint64_t room = std::numeric_limits<std::uint64_t>::max() - offset;
  const std::uint64_t end = offset + std::min(length, room);
  const auto it = std::partition_point(ranges_.begin(), ranges_.end(),
                                       [&](const auto& r) { return r.second <= offset; });
  return it != ranges_.end() && it->first < end;
}

}  // namespace pop3::trace
