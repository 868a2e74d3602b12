#pragma once
// The size of a reply's body as the trace reports it, and a message body cut into lines.
// Sizes are of the unstuffed body with CRLF line ends, without the terminating ".CRLF".
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pop3/core/reply.hpp"

namespace pop3::trace::detail {

struct BodySize {
  std::uint64_t lines = 0;
  std::uint64_t octets = 0;
};

[[nodiscard]] BodySize body_size(const Reply& reply) noexcept;
// Lines without their CRLF; a last line without one is kept.
[[nodiscard]] std::vector<std::string> split_body(std::string_view body);

}  // namespace pop3::trace::detail
