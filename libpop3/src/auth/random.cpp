#include "pop3/auth/random.hpp"

#include <openssl/rand.h>

#include <stdexcept>

#include "openssl_util.hpp"

namespace pop3::auth {

std::string random_bytes(std::size_t count) {
  std::string out(count, '\0');
  if (count > 0 &&
      RAND_bytes(detail::octets(out), detail::int_length(count, "random_bytes: too many")) != 1) {
    detail::openssl_failed("RAND_bytes");
  }
  return out;
}

std::string random_token(std::size_t length, std::string_view alphabet) {
  if (alphabet.empty() || alphabet.size() > 256) {
    throw std::invalid_argument("random_token: alphabet must have 1 to 256 characters");
  }
  // Bytes at or above `limit` would favour the first (256 % size) characters: redraw them.
  const std::size_t limit = 256 - 256 % alphabet.size();
  std::string out;
  out.reserve(length);
  while (out.size() < length) {
    for (const char c : random_bytes(length - out.size())) {
      const auto byte = static_cast<unsigned char>(c);
      if (byte < limit) out.push_back(alphabet[byte % alphabet.size()]);
    }
  }
  return out;
}

}  // namespace pop3::auth
