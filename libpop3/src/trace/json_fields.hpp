#pragma once
// Typed, checked access to the fields of one record's JSON object. Every failure throws
// FieldError naming the field, so the reader can say exactly what is wrong with a line.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "json_codec.hpp"

namespace pop3::trace::detail {

struct FieldError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class JsonFields {
 public:
  explicit JsonFields(const Json& object) : object_(object) {}

  [[nodiscard]] std::string text(std::string_view key) const;   // a plain JSON string
  [[nodiscard]] std::string bytes(std::string_view key) const;  // string or {"hex": ...}
  [[nodiscard]] std::optional<std::string> optional_bytes(std::string_view key) const;
  [[nodiscard]] std::vector<std::string> byte_list(std::string_view key) const;
  [[nodiscard]] std::optional<std::vector<std::string>> optional_byte_list(
      std::string_view key) const;
  [[nodiscard]] std::uint64_t unsigned_integer(std::string_view key) const;
  [[nodiscard]] std::int64_t integer(std::string_view key) const;
  [[nodiscard]] bool boolean(std::string_view key) const;

 private:
  [[nodiscard]] const Json& required(std::string_view key) const;
  [[nodiscard]] const Json* optional(std::string_view key) const;  // absent or null: nullptr
  const Json& object_;
};

}  // namespace pop3::trace::detail
