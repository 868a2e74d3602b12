#pragma once
// The byte ranges of one direction's application stream that carry a secret, and the
// masking that keeps them out of a trace. Masking replaces each secret byte with '*', so
// lengths and offsets stay valid; the exposure records say where the secrets were.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace pop3::trace {

class SecretRanges {
 public:
  // [offset, offset+length); overlapping and adjacent ranges merge. An empty range is
  // ignored; one that would run past 2^64 is cut there.
  void add(std::uint64_t offset, std::uint64_t length);
  // Masks the bytes of `bytes` (which starts at stream offset `offset`) that fall in a
  // range. Returns how many were masked.
  std::uint64_t mask(std::uint64_t offset, std::string& bytes) const;
  // Does any byte of [offset, offset+length) fall in a range?
  [[nodiscard]] bool overlaps(std::uint64_t offset, std::uint64_t length) const noexcept;
  [[nodiscard]] bool empty() const noexcept { return ranges_.empty(); }

 private:
  std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges_;  // [begin, end), sorted, disjoint
};

}  // namespace pop3::trace
