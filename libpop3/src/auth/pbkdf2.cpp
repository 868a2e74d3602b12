#include "pop3/auth/pbkdf2.hpp"

#include <openssl/evp.h>

#include <stdexcept>

#include "openssl_util.hpp"

namespace pop3::auth {

Secret pbkdf2_hmac_sha256(const Secret& password, std::string_view salt, std::uint32_t iterations,
                          std::size_t length) {
  if (iterations == 0) throw std::invalid_argument("PBKDF2 needs at least one iteration");
  if (iterations > static_cast<std::uint32_t>(INT_MAX)) {
    throw std::invalid_argument("PBKDF2 iteration count too large");
  }
  const std::string_view pass = password.reveal();
  std::string out(length, '\0');
  if (PKCS5_PBKDF2_HMAC(pass.data(), detail::int_length(pass.size(), "password too long"),
                        detail::octets(salt), detail::int_length(salt.size(), "salt too long"),
                        static_cast<int>(iterations), EVP_sha256(),
                        detail::int_length(length, "key too long"), detail::octets(out)) != 1) {
    detail::openssl_failed("PKCS5_PBKDF2_HMAC");
  }
  Secret result(std::move(out));
  return result;
}

}  // namespace pop3::auth
