// Which bytes are written as text, and hex that round-trips.
#include "../../libpop3/src/trace/byte_string.hpp"

#include <doctest/doctest.h>

namespace pop3::trace::detail {

TEST_CASE("readable text: valid UTF-8 without controls other than TAB, CR and LF") {
  CHECK(is_readable_text(""));
  CHECK(is_readable_text("USER alice\r\n\t"));
  CHECK(
      is_readable_text("Gr\xc3\xbc\xc3\x9f"
                       "e \xe2\x82\xac \xf0\x9f\x93\xa7"));
  CHECK(is_readable_text("\xf4\x8f\xbf\xbf"));  // U+10FFFF
  CHECK_FALSE(is_readable_text(std::string("\0", 1)));
  CHECK_FALSE(is_readable_text("\x1b[0m"));           // ESC
  CHECK_FALSE(is_readable_text("\x7f"));              // DEL
  CHECK_FALSE(is_readable_text("\xc2\x85"));          // NEL, a C1 control
  CHECK_FALSE(is_readable_text("\xfc"));              // Latin-1
  CHECK_FALSE(is_readable_text("\xc0\xaf"));          // overlong '/'
  CHECK_FALSE(is_readable_text("\xe0\x80\xaf"));      // overlong, 3 bytes
  CHECK_FALSE(is_readable_text("\xed\xa0\x80"));      // a surrogate
  CHECK_FALSE(is_readable_text("\xf4\x90\x80\x80"));  // past U+10FFFF
  CHECK_FALSE(is_readable_text("\xe2\x82"));          // cut short
  CHECK_FALSE(is_readable_text("\x80"));              // a lone continuation byte
}

TEST_CASE("hex encodes every byte value and decodes back, either case") {
  std::string all;
  for (int i = 0; i < 256; ++i)
    all.push_back(static_cast<char>(i));
  const std::string hex = to_hex(all);
  CHECK(hex.size() == 512);
  CHECK(hex.substr(0, 8) == "00010203");
  CHECK(from_hex(hex) == all);
  CHECK(from_hex("DEADbeef") == std::string("\xde\xad\xbe\xef"));
  CHECK_FALSE(from_hex("abc"));
  CHECK_FALSE(from_hex("zz"));
}

}  // namespace pop3::trace::detail
