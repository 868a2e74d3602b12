#include "json_fields.hpp"

#include <limits>

#include "byte_string.hpp"

namespace pop3::trace::detail {
namespace {

[[noreturn]] void fail(std::string_view key, std::string_view what) {
  throw FieldError("field \"" + std::string(key) + "\" " + std::string(what));
}

std::string bytes_of(std::string_view key, const Json& value) {
  auto bytes = bytes_from_json(value);
  if (!bytes) fail(key, "must be a string or {\"hex\": \"<even number of hex digits>\"}");
  return std::move(*bytes);
}

}  // namespace

const Json& JsonFields::required(std::string_view key) const {
  const auto it = object_.find(key);
  if (it == object_.end()) fail(key, "is missing");
  return *it;
}

const Json* JsonFields::optional(std::string_view key) const {
  const auto it = object_.find(key);
  if (it == object_.end() || it->is_null()) return nullptr;
  return &*it;
}

std::string JsonFields::text(std::string_view key) const {
  const Json& value = required(key);
  if (!value.is_string()) fail(key, "must be a string");
  return value.get<std::string>();
}

std::string JsonFields::bytes(std::string_view key) const {
  return bytes_of(key, required(key));
}

std::optional<std::string> JsonFields::optional_bytes(std::string_view key) const {
  const Json* value = optional(key);
  if (value == nullptr) return std::nullopt;
  return bytes_of(key, *value);
}

std::vector<std::string> JsonFields::byte_list(std::string_view key) const {
  const Json& value = required(key);
  if (!value.is_array()) fail(key, "must be an array");
  std::vector<std::string> items;
  items.reserve(value.size());
  for (const Json& item : value)
    items.push_back(bytes_of(key, item));
  return items;
}

std::optional<std::vector<std::string>> JsonFields::optional_byte_list(std::string_view key) const {
  if (optional(key) == nullptr) return std::nullopt;
  return byte_list(key);
}

std::uint64_t JsonFields::unsigned_integer(std::string_view key) const {
  const Json& value = required(key);
  // nlohmann parses every non-negative integer as unsigned.
  if (!value.is_number_unsigned()) fail(key, "must be a non-negative integer");
  return value.get<std::uint64_t>();
}

std::int64_t JsonFields::integer(std::string_view key) const {
  const Json& value = required(key);
  if (value.is_number_unsigned()) {
    const auto u = value.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      fail(key, "is too large");
    }
    return static_cast<std::int64_t>(u);
  }
  if (!value.is_number_integer()) fail(key, "must be an integer");
  return value.get<std::int64_t>();
}

bool JsonFields::boolean(std::string_view key) const {
  const Json& value = required(key);
  if (!value.is_boolean()) fail(key, "must be true or false");
  return value.get<bool>();
}

}  // namespace pop3::trace::detail
