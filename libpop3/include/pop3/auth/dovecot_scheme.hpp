#pragma once
// Dovecot's password schemes ("{SCHEME}data"), the password field of a passwd-file, as
// `doveadm pw -s SCHEME` writes them (Dovecot 2.3):
//   {PLAIN}secret  {CLEARTEXT}secret       the password itself
//   {SHA512-CRYPT}$6$salt$hash             crypt(3) SHA-512, 16-character salt
//   {SCRAM-SHA-256}4096,SALT,STOREDKEY,SERVERKEY   base64 fields; 16-octet salt
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "pop3/auth/credential.hpp"
#include "pop3/core/secret.hpp"

namespace pop3::auth {

enum class PasswordScheme : std::uint8_t { Plain, Cleartext, Sha512Crypt, ScramSha256 };

// "PLAIN", "CLEARTEXT", "SHA512-CRYPT", "SCRAM-SHA-256".
[[nodiscard]] std::string_view scheme_name(PasswordScheme scheme) noexcept;
// Case-insensitive, without braces.
[[nodiscard]] std::optional<PasswordScheme> parse_scheme_name(std::string_view name) noexcept;

struct ParsedPassword {
  std::optional<StoredCredential> credential;
  std::string error;  // when !credential: what is wrong, never the secret itself
};

// "{SCHEME}data" -> the credential it describes. The crypt string and the SCRAM fields
// are checked for shape (a malformed one would lock the user out silently).
[[nodiscard]] ParsedPassword parse_dovecot_password(std::string_view field);

// A password -> "{SCHEME}data", with a fresh random salt (RAND_bytes) for SHA512-CRYPT
// (crypt_gensalt_rn, default 5000 rounds) and SCRAM-SHA-256 (16 octets, 4096
// iterations). The result holds the password (PLAIN) or material to attack it offline,
// so it is a Secret too. Throws std::invalid_argument for a password containing NUL
// (crypt(3) cannot hash it).
[[nodiscard]] Secret encode_dovecot_password(PasswordScheme scheme, const Secret& password);

// A stored credential back to its field: plaintext as {PLAIN}.
[[nodiscard]] Secret encode_dovecot_credential(const StoredCredential& credential);

}  // namespace pop3::auth
