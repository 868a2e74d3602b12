#pragma once
// CRAM-MD5 (RFC 2195), the computation both sides share.
//
// The server sends a challenge shaped like an APOP timestamp; the client answers
// "user SP hex(HMAC-MD5(key = secret, text = challenge))". The digest never reveals the
// secret directly, but anyone who records challenge and answer can test guesses offline
// at the speed of MD5.
#include <optional>
#include <string>
#include <string_view>

#include "pop3/core/secret.hpp"

namespace pop3::auth {

// Lower-case hex HMAC-MD5(secret, challenge): 32 characters.
[[nodiscard]] std::string cram_md5_digest(std::string_view challenge, const Secret& secret);

// The decoded client response "user SP digest".
[[nodiscard]] std::string cram_md5_response(std::string_view user, std::string_view challenge,
                                            const Secret& secret);

struct CramMd5Response {
  std::string user;
  std::string digest;  // as sent, lower-cased
};
// Splits a decoded response at its last space; nullopt unless the digest is 32 hex
// digits and the user name is non-empty.
[[nodiscard]] std::optional<CramMd5Response> parse_cram_md5_response(std::string_view text);

}  // namespace pop3::auth
