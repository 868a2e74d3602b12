#pragma once
// The three ways every framing test feeds its input (after h11): all at once, one byte
// at a time, and whole but followed by bytes that belong to what comes next.
#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace pop3test {

enum class Feeding { Whole, ByteByByte, WithTrailing };
inline constexpr std::array kAllFeedings{Feeding::Whole, Feeding::ByteByByte,
                                         Feeding::WithTrailing};

inline const char* feeding_name(Feeding f) {
  switch (f) {
    case Feeding::Whole:
      return "whole";
    case Feeding::ByteByByte:
      return "byte by byte";
    case Feeding::WithTrailing:
      return "with trailing bytes";
  }
  return "?";
}

// Bytes appended in WithTrailing mode: the start of another line, never complete.
inline constexpr std::string_view kTrailing = "NOOP\r";

// The chunks to feed for `input` in a mode.
inline std::vector<std::string> chunks(std::string_view input, Feeding f) {
  std::vector<std::string> out;
  switch (f) {
    case Feeding::Whole:
      out.emplace_back(input);
      break;
    case Feeding::ByteByByte:
      for (char c : input)
        out.emplace_back(1, c);
      break;
    case Feeding::WithTrailing:
      out.emplace_back(std::string(input) + std::string(kTrailing));
      break;
  }
  return out;
}

}  // namespace pop3test
