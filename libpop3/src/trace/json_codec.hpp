#pragma once
// Record <-> JSON value. Private: nlohmann stays out of the public headers.
#include <nlohmann/json.hpp>

#include "pop3/trace/jsonl.hpp"
#include "pop3/trace/record.hpp"

namespace pop3::trace::detail {

// ordered_json keeps "type", "session", "seq", "t" first on every line, for people.
using Json = nlohmann::ordered_json;

[[nodiscard]] Json record_to_json(const Record& record);
[[nodiscard]] DecodeResult record_from_json(const Json& value);
// One line of text as JSON: the value, or why it is not JSON.
[[nodiscard]] std::variant<Json, DecodeError> parse_json_line(std::string_view line);

}  // namespace pop3::trace::detail
