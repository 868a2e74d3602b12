#pragma once
// The shape of an authentication mechanism as the sessions drive it.
//
// The session frames the exchange (AUTH, "+ " continuations, "*" to cancel, the final
// +OK/-ERR); the mechanism computes it. Mechanisms live in pop3::auth, which implements
// these interfaces with OpenSSL; the core only sees the interfaces. Data crosses this
// boundary as base64 text exactly as it is on the wire, so that decoding (and refusing
// bad base64) is done once, by the mechanism, with OpenSSL's decoder.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "pop3/core/exposure.hpp"

namespace pop3 {

// One server-side step.
struct SaslStep {
  enum class Kind { Challenge, Success, Failure, Malformed };
  Kind kind = Kind::Failure;
  std::string challenge;  // Challenge: base64 text for the "+ " line (may be empty)
  std::string user;       // Success: the identity now logged in
  // Failure: for the log only (the client is told "authentication failed").
  // Malformed: also the -ERR text. Never a secret.
  std::string reason;
  std::string explanation;               // for the shell and the labs: what the server just checked
  std::string response_code;             // Failure: RFC 2449 code to send ("AUTH", "SYS/TEMP", ...)
  std::chrono::milliseconds penalty{0};  // Failure: delay the -ERR by this much more
  // What the client's message that this step consumed gives away on a plaintext link.
  Exposure client_exposure = Exposure::None;
};

class ServerMechanism {
 public:
  virtual ~ServerMechanism() = default;
  [[nodiscard]] virtual std::string_view name() const noexcept = 0;  // "CRAM-MD5"
  // First step. initial_response is the base64 argument of AUTH (RFC 5034 §4: "=" stands
  // for an empty initial response), or nullopt when the client sent none.
  virtual SaslStep start(std::optional<std::string_view> initial_response) = 0;
  // Every further client line (never "*": the session handles cancellation).
  virtual SaslStep step(std::string_view response) = 0;
};

// One client-side step.
struct ClientSaslStep {
  bool ok = true;
  std::string response;  // base64 text to send (may be empty)
  std::string error;     // !ok: why the client gives up (e.g. SCRAM server signature wrong)
  Exposure exposure = Exposure::None;  // what this response gives away
  std::string explanation;  // for the shell and labs: what was computed, secrets redacted
};

class ClientMechanism {
 public:
  virtual ~ClientMechanism() = default;
  [[nodiscard]] virtual std::string_view name() const noexcept = 0;
  // The initial response to send with AUTH (base64; "=" for empty), or nullopt when the
  // mechanism waits for the server to speak first (LOGIN, CRAM-MD5).
  virtual std::optional<ClientSaslStep> initial_response() = 0;
  // The answer to a "+ " challenge (base64 text as received).
  virtual ClientSaslStep respond(std::string_view challenge) = 0;
};

}  // namespace pop3
