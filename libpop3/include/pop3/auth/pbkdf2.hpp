#pragma once
// PBKDF2 with HMAC-SHA-256 (RFC 8018 §5.2), SCRAM's Hi() function (RFC 5802 §2.2),
// through OpenSSL's PKCS5_PBKDF2_HMAC.
//
// The result is as good as the password to anyone who wants to log in with SCRAM, so it
// is returned as a Secret.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "pop3/core/secret.hpp"

namespace pop3::auth {

// Throws std::invalid_argument for iterations == 0 or values OpenSSL cannot take.
[[nodiscard]] Secret pbkdf2_hmac_sha256(const Secret& password, std::string_view salt,
                                        std::uint32_t iterations, std::size_t length = 32);

}  // namespace pop3::auth
