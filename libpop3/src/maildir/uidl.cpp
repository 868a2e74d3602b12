#include "pop3/maildir/uidl.hpp"

#include "pop3/core/maildrop.hpp"

namespace pop3::maildir {

std::uint64_t fnv1a64(std::string_view bytes) noexcept {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return hash;
}

namespace {

constexpr std::size_t kMaxUidl = 70;
constexpr std::size_t kHashDigits = 16;
constexpr std::size_t kMaxPrefix = kMaxUidl - 1 - kHashDigits;  // 53

std::string hex16(std::uint64_t value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(kHashDigits, '0');
  for (std::size_t i = kHashDigits; i-- > 0; value >>= 4)
    out[i] = kDigits[value & 0xF];
  return out;
}

std::string derived(std::string_view readable, std::string_view hashed) {
  std::size_t prefix = 0;
  while (prefix < readable.size() && prefix < kMaxPrefix && readable[prefix] >= 0x21 &&
         readable[prefix] <= 0x7E)
    ++prefix;
  return std::string(readable.substr(0, prefix)) + "~" + hex16(fnv1a64(hashed));
}

}  // namespace

std::string uidl_for(std::string_view unique_name) {
  if (valid_uidl(unique_name)) return std::string(unique_name);
  return derived(unique_name, unique_name);
}

std::string disambiguated_uidl(std::string_view uidl, std::string_view file_name) {
  // A NUL cannot occur in either, so the pair is hashed without ambiguity.
  std::string key(uidl);
  key.push_back('\0');
  key.append(file_name);
  return derived(uidl, key);
}

}  // namespace pop3::maildir
