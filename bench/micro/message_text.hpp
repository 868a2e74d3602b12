#pragma once
// Deterministic message text for the microbenchmarks: 76-octet base64-like lines with CRLF,
// one line in 64 starting with "." (so dot-stuffing has work to do).
#include <cstddef>
#include <string>

namespace pop3::bench {

[[nodiscard]] std::string message_text(std::size_t octets);

}  // namespace pop3::bench
