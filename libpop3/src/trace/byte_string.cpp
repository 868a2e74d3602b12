#include "byte_string.hpp"

#include <array>
#include <cstdint>

namespace pop3::trace::detail {
namespace {

bool is_control(std::uint32_t code_point) noexcept {
  if (code_point == '\t' || code_point == '\r' || code_point == '\n') return false;
  return code_point < 0x20 || (code_point >= 0x7F && code_point <= 0x9F);
}

std::uint8_t octet(std::string_view bytes, std::size_t i) noexcept {
  return static_cast<std::uint8_t>(bytes[i]);
}

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool is_readable_text(std::string_view bytes) noexcept {
  std::size_t i = 0;
  while (i < bytes.size()) {
    const std::uint8_t lead = octet(bytes, i);
    std::size_t extra = 0;
    std::uint32_t code_point = 0;
    std::uint32_t min = 0;
    if (lead < 0x80) {
      code_point = lead;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
      extra = 1;
      code_point = lead & 0x1Fu;
      min = 0x80;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      extra = 2;
      code_point = lead & 0x0Fu;
      min = 0x800;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      extra = 3;
      code_point = lead & 0x07u;
      min = 0x10000;
    } else {
      return false;  // a continuation byte, or a lead that can only start an overlong form
    }
    if (bytes.size() - i <= extra) return false;
    for (std::size_t k = 1; k <= extra; ++k) {
      const std::uint8_t next = octet(bytes, i + k);
      if ((next & 0xC0u) != 0x80u) return false;
      code_point = (code_point << 6) | (next & 0x3Fu);
    }
    if (code_point < min || code_point > 0x10FFFF) return false;
    if (code_point >= 0xD800 && code_point <= 0xDFFF) return false;
    if (is_control(code_point)) return false;
    i += extra + 1;
  }
  return true;
}

std::string to_hex(std::string_view bytes) {
  static constexpr std::array<char, 16> kDigits{'0', '1', '2', '3', '4', '5', '6', '7',
                                                '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const std::uint8_t b = octet(bytes, i);
    hex.push_back(kDigits[b >> 4]);
    hex.push_back(kDigits[b & 0x0Fu]);
  }
  return hex;
}

std::optional<std::string> from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string bytes;
  bytes.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int high = hex_value(hex[i]);
    const int low = hex_value(hex[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    bytes.push_back(static_cast<char>(high * 16 + low));
  }
  return bytes;
}

nlohmann::ordered_json bytes_to_json(std::string_view bytes) {
  if (is_readable_text(bytes)) return std::string(bytes);
  nlohmann::ordered_json object = nlohmann::ordered_json::object();
  object["hex"] = to_hex(bytes);
  return object;
}

std::optional<std::string> bytes_from_json(const nlohmann::ordered_json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (!value.is_object()) return std::nullopt;
  const auto hex = value.find("hex");
  if (hex == value.end() || !hex->is_string()) return std::nullopt;
  return from_hex(hex->get_ref<const std::string&>());
}

}  // namespace pop3::trace::detail
