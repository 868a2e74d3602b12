#include "pop3/auth/hmac.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "openssl_util.hpp"

namespace pop3::auth {

namespace {

std::string hmac(const EVP_MD* md, std::string_view key, std::string_view data) {
  // An empty string_view may carry a null pointer, which HMAC() reads as "no key".
  static constexpr unsigned char empty[1] = {0};
  const unsigned char* key_ptr = key.empty() ? empty : detail::octets(key);
  const unsigned char* data_ptr = data.empty() ? empty : detail::octets(data);

  std::string out(EVP_MAX_MD_SIZE, '\0');
  unsigned int written = 0;
  if (HMAC(md, key_ptr, detail::int_length(key.size(), "HMAC key too long"), data_ptr, data.size(),
           detail::octets(out), &written) == nullptr) {
    detail::openssl_failed("HMAC");
  }
  out.resize(written);
  return out;
}

}  // namespace

std::string hmac_md5(std::string_view key, std::string_view data) {
  return hmac(EVP_md5(), key, data);
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  return hmac(EVP_sha256(), key, data);
}

}  // namespace pop3::auth
