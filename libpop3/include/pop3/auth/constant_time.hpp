#pragma once
// Comparing secrets and digests without a timing side channel (CRYPTO_memcmp): an
// early-exit comparison tells a guesser how many leading bytes were right.
#include <string_view>

namespace pop3::auth {

// True if equal. The time depends on the lengths only, which must not be secret: compare
// fixed-size digests, or hash variable-length secrets first.
[[nodiscard]] bool constant_time_equals(std::string_view a, std::string_view b) noexcept;

}  // namespace pop3::auth
