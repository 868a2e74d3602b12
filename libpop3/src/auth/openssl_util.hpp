#pragma once
// Internal: the glue between std::string_view octets and OpenSSL's C signatures.
#include <climits>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace pop3::auth::detail {

// OpenSSL takes octets as unsigned char; std::string holds char. Same size and
// alignment, and accessing any object as unsigned char is allowed.
inline const unsigned char* octets(std::string_view s) noexcept {
  return reinterpret_cast<const unsigned char*>(s.data());
}
inline unsigned char* octets(std::string& s) noexcept {
  return reinterpret_cast<unsigned char*>(s.data());
}

// Many OpenSSL functions take lengths as int.
inline int int_length(std::size_t n, const char* what) {
  if (n > static_cast<std::size_t>(INT_MAX)) throw std::length_error(what);
  return static_cast<int>(n);
}

[[noreturn]] inline void openssl_failed(const char* function) {
  throw std::runtime_error(std::string("OpenSSL ") + function + " failed");
}

// Overwrites a buffer that held secret material (OPENSSL_cleanse cannot be optimised out).
void wipe(std::string& s) noexcept;

}  // namespace pop3::auth::detail
