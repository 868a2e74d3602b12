#pragma once
// Exposure: what an on-path observer learns from bytes that carry a secret, if the
// channel is plaintext. (Under TLS every case becomes "encrypted"; the trace records the
// channel separately.)
#include <cstdint>
#include <string_view>

namespace pop3 {

enum class Exposure : std::uint8_t {
  None,       // the bytes reveal nothing secret
  Cleartext,  // the secret itself (USER/PASS)
  Base64,     // the secret, base64-encoded: as good as cleartext (PLAIN, LOGIN)
  Digest,     // a challenge-response digest: open to an offline dictionary attack (APOP, CRAM-MD5)
  SaltedProof,  // SCRAM: an offline guess costs the iteration count of PBKDF2 per word
};

[[nodiscard]] std::string_view exposure_name(Exposure e) noexcept;  // "cleartext", ...
[[nodiscard]] bool parse_exposure_name(std::string_view name, Exposure& out) noexcept;
// What an eavesdropper on a plaintext link can do with it, in a sentence.
[[nodiscard]] std::string_view exposure_consequence(Exposure e) noexcept;

}  // namespace pop3
