#pragma once
// Hexadecimal text for digests: APOP and CRAM-MD5 send them as lower-case hex
// (RFC 1939 §7, RFC 2195 §2).
#include <optional>
#include <string>
#include <string_view>

namespace pop3::auth {

// Two lower-case hex digits per octet.
[[nodiscard]] std::string hex_encode(std::string_view octets);
// Accepts upper and lower case; nullopt for odd length or a non-hex character.
[[nodiscard]] std::optional<std::string> hex_decode(std::string_view text);

}  // namespace pop3::auth
