#pragma once
// Randomness for nonces, challenges and salts: OpenSSL's RAND_bytes (a CSPRNG).
// Throws std::runtime_error if the generator cannot be seeded.
#include <cstddef>
#include <string>
#include <string_view>

namespace pop3::auth {

[[nodiscard]] std::string random_bytes(std::size_t count);

// `length` characters drawn uniformly from `alphabet` (rejection sampling, so no
// character is favoured). Throws std::invalid_argument for an empty alphabet or one with
// more than 256 characters.
[[nodiscard]] std::string random_token(std::size_t length, std::string_view alphabet);

}  // namespace pop3::auth
