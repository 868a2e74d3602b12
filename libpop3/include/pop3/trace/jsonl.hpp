#pragma once
// One record <-> one line of JSON, without the newline. The writer and the reader are
// built on these; a live feed (one line per message over a socket) can use them directly.
#include <string>
#include <string_view>
#include <variant>

#include "pop3/trace/record.hpp"

namespace pop3::trace {

// Throws std::invalid_argument only for values the format cannot hold (a header whose
// version is not positive); every byte string is representable.
[[nodiscard]] std::string encode_line(const Record& record);

// A line whose "type" this build does not know: skip it (a newer producer wrote it).
struct UnknownRecordType {
  std::string type;
};
struct DecodeError {
  std::string message;  // says which field and what was wrong, without the line number
};
using DecodeResult = std::variant<Record, UnknownRecordType, DecodeError>;

// Fields this build does not know are ignored. Does not judge the header's version:
// that is the reader's job (JsonlReader), because it decides how the rest is read.
[[nodiscard]] DecodeResult decode_line(std::string_view line);

}  // namespace pop3::trace
