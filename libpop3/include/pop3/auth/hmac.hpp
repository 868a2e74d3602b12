#pragma once
// HMAC (RFC 2104) through OpenSSL's HMAC(): HMAC-MD5 for CRAM-MD5 (RFC 2195),
// HMAC-SHA-256 for SCRAM-SHA-256 (RFC 7677). Results are raw octets.
#include <string>
#include <string_view>

namespace pop3::auth {

[[nodiscard]] std::string hmac_md5(std::string_view key, std::string_view data);
[[nodiscard]] std::string hmac_sha256(std::string_view key, std::string_view data);

}  // namespace pop3::auth
