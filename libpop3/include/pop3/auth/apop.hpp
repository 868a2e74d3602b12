#pragma once
// APOP (RFC 1939 §7): the server puts a timestamp in its greeting, the client answers
// with MD5(timestamp + shared secret) in lower-case hex.
#include <string>
#include <string_view>

#include "pop3/core/secret.hpp"

namespace pop3::auth {

// A fresh "<RANDOMHEX.RANDOMHEX@host>" from RAND_bytes (64 random bits each side of the
// dot), unique per call, so a recorded digest cannot be replayed. It uses only
// characters valid in an RFC 5322 msg-id, which strict clients (mpop) require. An empty
// or unusable host (anything but letters, digits, '-' and dot-separated labels) is
// replaced by "localhost".
[[nodiscard]] std::string make_apop_timestamp(std::string_view host = {});

// Whether text has the shape of an RFC 5322 msg-id "<left@right>" with dot-atom parts
// (what make_apop_timestamp produces and what clients accept).
[[nodiscard]] bool valid_apop_timestamp(std::string_view text) noexcept;

// Lower-case hex MD5(timestamp + secret).
[[nodiscard]] std::string apop_digest(std::string_view timestamp, const Secret& secret);

}  // namespace pop3::auth
