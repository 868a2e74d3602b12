#include "message_text.hpp"

#include <cstdint>

namespace pop3::bench {

std::string message_text(std::size_t octets) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::uint32_t x = 2463534242u;
  std::string out;
  out.reserve(octets + 80);
  for (std::size_t line = 0; out.size() < octets; ++line) {
    for (int i = 0; i < 76; ++i) {
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      out += kAlphabet[x % 64];
    }
    if (line % 64 == 32) out[out.size() - 76] = '.';
    out += "\r\n";
  }
  return out;
}

}  // namespace pop3::bench
