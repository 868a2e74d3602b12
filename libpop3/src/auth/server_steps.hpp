#pragma once
// Internal: building SaslStep values, and decoding client responses.
#include <optional>
#include <string>
#include <string_view>

#include "pop3/auth/base64.hpp"
#include "pop3/core/mechanism.hpp"

namespace pop3::auth::detail {

// The one reason for every credential failure: it goes to the client, and must not say
// whether the user exists.
inline constexpr std::string_view invalid_credentials = "invalid user name or password";

inline SaslStep challenge_step(std::string_view text, Exposure consumed) {
  SaslStep s;
  s.kind = SaslStep::Kind::Challenge;
  s.challenge = base64_encode(text);
  s.client_exposure = consumed;
  return s;
}

inline SaslStep success_step(std::string user, Exposure consumed) {
  SaslStep s;
  s.kind = SaslStep::Kind::Success;
  s.user = std::move(user);
  s.client_exposure = consumed;
  return s;
}

inline SaslStep failure_step(Exposure consumed, std::string_view reason = invalid_credentials) {
  SaslStep s;
  s.kind = SaslStep::Kind::Failure;
  s.reason = std::string(reason);
  s.response_code = "AUTH";
  s.client_exposure = consumed;
  return s;
}

inline SaslStep malformed_step(std::string reason, Exposure consumed = Exposure::None) {
  SaslStep s;
  s.kind = SaslStep::Kind::Malformed;
  s.reason = std::move(reason);
  s.client_exposure = consumed;
  return s;
}

// RFC 5034 §4: in the AUTH command, "=" stands for an empty initial response.
inline std::string_view initial_text(std::string_view initial_response) noexcept {
  return initial_response == "=" ? std::string_view{} : initial_response;
}

}  // namespace pop3::auth::detail
