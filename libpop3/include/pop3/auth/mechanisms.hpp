#pragma once
// The ways a POP3 client can prove who it is, named as in the RFCs, and how they rank.
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace pop3::auth {

enum class Mechanism : std::uint8_t {
  UserPass,     // RFC 1939 §7 USER/PASS: the password in cleartext
  Apop,         // RFC 1939 §7 APOP: MD5(timestamp + secret)
  Plain,        // RFC 4616 SASL PLAIN: the password, base64-encoded
  Login,        // draft-murchison-sasl-login: user name, then password, base64-encoded
  CramMd5,      // RFC 2195: HMAC-MD5 of a server challenge, keyed with the secret
  ScramSha256,  // RFC 5802 + RFC 7677: salted challenge-response, mutual authentication
};

// "USER/PASS", "APOP", "PLAIN", "LOGIN", "CRAM-MD5", "SCRAM-SHA-256".
[[nodiscard]] std::string_view mechanism_name(Mechanism m) noexcept;

// A SASL mechanism name as it appears in CAPA or AUTH, case-insensitively (RFC 4422 §3.1
// names are upper case, but RFC 5034 AUTH compares them case-insensitively). nullopt for
// names this library does not implement, and for USER/PASS and APOP (not SASL).
[[nodiscard]] std::optional<Mechanism> parse_sasl_mechanism(std::string_view name) noexcept;

// The SASL mechanisms this library implements, strongest first. The ranking is for a
// plaintext link, where it matters most: SCRAM reveals only a salted proof and checks
// the server too; CRAM-MD5 reveals a digest open to a dictionary attack; PLAIN and
// LOGIN reveal the password (PLAIN ahead of LOGIN because it is standardised and takes
// one round trip).
inline constexpr std::array<Mechanism, 4> sasl_mechanisms_strongest_first = {
    Mechanism::ScramSha256, Mechanism::CramMd5, Mechanism::Plain, Mechanism::Login};

// One sentence on what the mechanism protects, for explanations.
[[nodiscard]] std::string_view mechanism_summary(Mechanism m) noexcept;

}  // namespace pop3::auth
