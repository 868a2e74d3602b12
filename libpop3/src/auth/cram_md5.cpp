#include "pop3/auth/cram_md5.hpp"

#include "ascii.hpp"
#include "pop3/auth/hex.hpp"
#include "pop3/auth/hmac.hpp"

namespace pop3::auth {

std::string cram_md5_digest(std::string_view challenge, const Secret& secret) {
  return hex_encode(hmac_md5(secret.reveal(), challenge));
}

std::string cram_md5_response(std::string_view user, std::string_view challenge,
                              const Secret& secret) {
  return std::string(user) + ' ' + cram_md5_digest(challenge, secret);
}

std::optional<CramMd5Response> parse_cram_md5_response(std::string_view text) {
  const std::size_t space = text.rfind(' ');
  if (space == std::string_view::npos || space == 0) return std::nullopt;
  const std::string_view digest = text.substr(space + 1);
  if (digest.size() != 32 || !hex_decode(digest)) return std::nullopt;
  return CramMd5Response{std::string(text.substr(0, space)), detail::lower(digest)};
}

}  // namespace pop3::auth
