#pragma once
// The file's representation of a byte string (docs/trace-format.md, "Byte strings"):
// a JSON string when the bytes are readable text, {"hex": "..."} otherwise. Private to
// the trace library; exactness is the point, so both directions live here together.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace pop3::trace::detail {

// Valid UTF-8 (no overlong forms, surrogates or code points past U+10FFFF) with no
// control characters but TAB, CR and LF: a JSON string shows such bytes as they are.
[[nodiscard]] bool is_readable_text(std::string_view bytes) noexcept;

[[nodiscard]] std::string to_hex(std::string_view bytes);
// Either case; nullopt for an odd length or a non-hex digit.
[[nodiscard]] std::optional<std::string> from_hex(std::string_view hex);

[[nodiscard]] nlohmann::ordered_json bytes_to_json(std::string_view bytes);
// nullopt when the value is neither a string nor {"hex": valid hex}.
[[nodiscard]] std::optional<std::string> bytes_from_json(const nlohmann::ordered_json& value);

}  // namespace pop3::trace::detail
