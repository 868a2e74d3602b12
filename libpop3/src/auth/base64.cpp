#include "pop3/auth/base64.hpp"

#include <openssl/evp.h>

#include "openssl_util.hpp"

namespace pop3::auth {

std::string base64_encode(std::string_view octets) {
  if (octets.empty()) return {};
  // The output (4 characters per 3 octets) must fit OpenSSL's int too.
  if (octets.size() > static_cast<std::size_t>(INT_MAX) / 4 * 3 - 3) {
    throw std::length_error("base64_encode: input too long");
  }
  const int in_len = static_cast<int>(octets.size());
  // EVP_EncodeBlock writes a terminating NUL after the 4*ceil(n/3) characters.
  std::string out(4 * ((octets.size() + 2) / 3) + 1, '\0');
  const int written = EVP_EncodeBlock(detail::octets(out), detail::octets(octets), in_len);
  out.resize(static_cast<std::size_t>(written));
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.empty()) return std::string{};
  if (text.size() % 4 != 0) return std::nullopt;
  const int in_len = detail::int_length(text.size(), "base64_decode: input too long");

  std::string out(text.size() / 4 * 3, '\0');
  const int written = EVP_DecodeBlock(detail::octets(out), detail::octets(text), in_len);
  if (written < 0) {
    detail::wipe(out);
    return std::nullopt;
  }
  // EVP_DecodeBlock counts the zero octets that padding stands for; drop them.
  std::size_t pad = 0;
  if (text.back() == '=') ++pad;
  if (text[text.size() - 2] == '=') ++pad;
  if (static_cast<std::size_t>(written) < pad) {
    detail::wipe(out);
    return std::nullopt;
  }
  out.resize(static_cast<std::size_t>(written) - pad);

  // EVP_DecodeBlock is lenient (it skips surrounding whitespace and ignores pad bits).
  // Strictness in one rule: the text must be exactly what encoding the result gives.
  // That rejects whitespace, misplaced '=', foreign characters and non-zero pad bits.
  std::string canonical = base64_encode(out);
  const bool strict = canonical == text;
  detail::wipe(canonical);  // the octets may be a password (PLAIN, LOGIN)
  if (!strict) {
    detail::wipe(out);
    return std::nullopt;
  }
  return out;
}

}  // namespace pop3::auth
