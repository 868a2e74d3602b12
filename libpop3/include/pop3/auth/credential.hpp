#pragma once
// StoredCredential: what a server keeps for one user, and what that allows.
//
// Which mechanisms a server can offer depends on what it stores, and that is a lesson
// in itself: APOP and CRAM-MD5 need the password itself (the server must compute the
// same keyed digest), so a server that stores only a hash cannot offer them; SCRAM
// needs its derived keys (or the password to derive them from); USER/PASS, PLAIN and
// LOGIN send the password, which any stored form can check.
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "pop3/auth/mechanisms.hpp"
#include "pop3/auth/scram.hpp"
#include "pop3/core/secret.hpp"

namespace pop3::auth {

class StoredCredential {
 public:
  enum class Kind : std::uint8_t {
    Plaintext,       // the password itself
    Sha512Crypt,     // "$6$salt$hash" (crypt(3) SHA-512, as in /etc/shadow)
    ScramSha256Keys  // iterations, salt, StoredKey, ServerKey
  };

  static StoredCredential plaintext(Secret password);
  // The full crypt string, "$6$[rounds=N$]salt$hash". Not checked here; see
  // parse_dovecot_password() for a validating parser.
  static StoredCredential sha512_crypt(std::string crypt_string);
  static StoredCredential scram_sha256(ScramSha256Keys keys);

  [[nodiscard]] Kind kind() const noexcept;
  // The parts; nullptr when the credential is of another kind.
  [[nodiscard]] const Secret* plaintext_password() const noexcept;
  [[nodiscard]] const std::string* crypt_string() const noexcept;
  [[nodiscard]] const ScramSha256Keys* scram_keys() const noexcept;

  // Whether a user holding this credential can log in with mechanism m.
  [[nodiscard]] bool supports(Mechanism m) const noexcept;

  // Checks a password sent in the clear (USER/PASS, PLAIN, LOGIN), in time that does not
  // depend on how much of it is right.
  [[nodiscard]] bool verify_password(const Secret& password) const;

 private:
  struct CryptString {
    std::string value;
  };
  explicit StoredCredential(std::variant<Secret, CryptString, ScramSha256Keys> value)
      : value_(std::move(value)) {}
  std::variant<Secret, CryptString, ScramSha256Keys> value_;
};

// "plaintext", "SHA512-CRYPT hash", "SCRAM-SHA-256 keys".
[[nodiscard]] std::string_view kind_name(StoredCredential::Kind kind) noexcept;

}  // namespace pop3::auth
