#pragma once
// Internal: building ClientSaslStep values.
#include <string>

#include "openssl_util.hpp"
#include "pop3/auth/base64.hpp"
#include "pop3/core/mechanism.hpp"

namespace pop3::auth::detail {

// Encodes `message` for the wire and wipes it (it may hold a password).
inline ClientSaslStep send_step(std::string& message, Exposure exposure, std::string explanation) {
  ClientSaslStep step;
  step.response = base64_encode(message);
  wipe(message);
  step.exposure = exposure;
  step.explanation = std::move(explanation);
  return step;
}

inline ClientSaslStep give_up(std::string error) {
  ClientSaslStep step;
  step.ok = false;
  step.explanation = "giving up: " + error;
  step.error = std::move(error);
  return step;
}

}  // namespace pop3::auth::detail
