#include "pop3/auth/credential.hpp"

#include <crypt.h>
#include <openssl/crypto.h>

#include <memory>

#include "openssl_util.hpp"
#include "pop3/auth/constant_time.hpp"
#include "pop3/auth/digest.hpp"

namespace pop3::auth {

namespace {

template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

// crypt_rn's scratch area is ~32 KiB: too big for the stack of a coroutine.
struct CryptScratch {
  crypt_data data{};
  ~CryptScratch() { OPENSSL_cleanse(&data, sizeof data); }
};

bool verify_crypt(const std::string& setting, const Secret& password) {
  // crypt() takes C strings: a password with NUL in it cannot be the one that was hashed.
  if (password.reveal().find('\0') != std::string_view::npos) return false;
  std::string phrase(password.reveal());
  const auto scratch = std::make_unique<CryptScratch>();
  const char* result = crypt_rn(phrase.c_str(), setting.c_str(), &scratch->data,
                                static_cast<int>(sizeof scratch->data));
  detail::wipe(phrase);
  // libxcrypt returns null or a string starting with '*' for a setting it cannot use.
  if (result == nullptr || result[0] == '*') return false;
  return constant_time_equals(result, setting);
}

}  // namespace

StoredCredential StoredCredential::plaintext(Secret password) {
  return StoredCredential(std::move(password));
}

StoredCredential StoredCredential::sha512_crypt(std::string crypt_string) {
  return StoredCredential(CryptString{std::move(crypt_string)});
}

StoredCredential StoredCredential::scram_sha256(ScramSha256Keys keys) {
  return StoredCredential(std::move(keys));
}

StoredCredential::Kind StoredCredential::kind() const noexcept {
  switch (value_.index()) {
    case 0:
      return Kind::Plaintext;
    case 1:
      return Kind::Sha512Crypt;
    default:
      return Kind::ScramSha256Keys;
  }
}

const Secret* StoredCredential::plaintext_password() const noexcept {
  return std::get_if<Secret>(&value_);
}

const std::string* StoredCredential::crypt_string() const noexcept {
  const auto* c = std::get_if<CryptString>(&value_);
  return c != nullptr ? &c->value : nullptr;
}

const ScramSha256Keys* StoredCredential::scram_keys() const noexcept {
  return std::get_if<ScramSha256Keys>(&value_);
}

bool StoredCredential::supports(Mechanism m) const noexcept {
  switch (m) {
    case Mechanism::UserPass:
    case Mechanism::Plain:
    case Mechanism::Login:
      return true;
    case Mechanism::Apop:
    case Mechanism::CramMd5:
      return kind() == Kind::Plaintext;
    case Mechanism::ScramSha256:
      return kind() == Kind::Plaintext || kind() == Kind::ScramSha256Keys;
  }
  return false;
}

bool StoredCredential::verify_password(const Secret& password) const {
  return std::visit(
      Overloaded{
          [&](const Secret& stored) {
            // Hash both sides first so the comparison's time does not reveal the length.
            return constant_time_equals(sha256(stored.reveal()), sha256(password.reveal()));
          },
          [&](const CryptString& stored) { return verify_crypt(stored.value, password); },
          [&](const ScramSha256Keys& stored) {
            if (stored.iterations == 0 || stored.iterations > scram::max_iterations) return false;
            const ScramSha256Keys derived =
                scram::derive_keys(password, stored.salt, stored.iterations);
            return constant_time_equals(derived.stored_key, stored.stored_key) &&
                   constant_time_equals(derived.server_key, stored.server_key);
          },
      },
      value_);
}

std::string_view kind_name(StoredCredential::Kind kind) noexcept {
  switch (kind) {
    case StoredCredential::Kind::Plaintext:
      return "plaintext";
    case StoredCredential::Kind::Sha512Crypt:
      return "SHA512-CRYPT hash";
    case StoredCredential::Kind::ScramSha256Keys:
      return "SCRAM-SHA-256 keys";
  }
  return "?";
}

}  // namespace pop3::auth
