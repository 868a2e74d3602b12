#pragma once
// Message digests (OpenSSL EVP): MD5 for APOP, SHA-256 for SCRAM-SHA-256.
// Results are raw octets; hex_encode() or base64_encode() them for display.
// Throws std::runtime_error only if OpenSSL itself fails (e.g. out of memory).
#include <initializer_list>
#include <string>
#include <string_view>

namespace pop3::auth {

inline constexpr std::size_t md5_size = 16;
inline constexpr std::size_t sha256_size = 32;

[[nodiscard]] std::string md5(std::string_view data);
// The digest of the parts concatenated, without building the concatenation: APOP hashes
// timestamp + secret, and the secret should not be copied into a temporary.
[[nodiscard]] std::string md5_parts(std::initializer_list<std::string_view> parts);

[[nodiscard]] std::string sha256(std::string_view data);

}  // namespace pop3::auth
