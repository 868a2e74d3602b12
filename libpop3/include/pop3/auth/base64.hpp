#pragma once
// Base64 (RFC 4648 §4, the standard alphabet with '=' padding), as SASL uses it on the
// POP3 wire (RFC 5034). Both directions go through OpenSSL's EVP_EncodeBlock and
// EVP_DecodeBlock.
//
// Contract of base64_decode: strict. It accepts exactly the canonical encoding of some
// octet string and nothing else: no whitespace or line breaks, length a multiple of 4,
// '=' only as final padding, pad bits zero (RFC 4648 §3.5). Anything else yields
// nullopt, because a lenient decoder lets two different wire strings mean one message,
// which is how smuggling bugs start.
#include <optional>
#include <string>
#include <string_view>

namespace pop3::auth {

[[nodiscard]] std::string base64_encode(std::string_view octets);
[[nodiscard]] std::optional<std::string> base64_decode(std::string_view text);

}  // namespace pop3::auth
