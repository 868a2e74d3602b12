#include "openssl_util.hpp"

#include <openssl/crypto.h>

namespace pop3::auth::detail {

void wipe(std::string& s) noexcept {
  if (!s.empty()) OPENSSL_cleanse(s.data(), s.size());
  s.clear();
}

}  // namespace pop3::auth::detail
