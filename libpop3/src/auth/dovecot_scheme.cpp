#include "pop3/auth/dovecot_scheme.hpp"

#include <crypt.h>
#include <openssl/crypto.h>

#include <array>
#include <memory>
#include <stdexcept>
#include <vector>

#include "ascii.hpp"
#include "openssl_util.hpp"
#include "pop3/auth/base64.hpp"
#include "pop3/auth/digest.hpp"
#include "pop3/auth/random.hpp"

namespace pop3::auth {

namespace {

constexpr std::array<PasswordScheme, 4> all_schemes = {
    PasswordScheme::Plain, PasswordScheme::Cleartext, PasswordScheme::Sha512Crypt,
    PasswordScheme::ScramSha256};

constexpr std::size_t sha512_crypt_hash_chars = 86;  // 512 bits in crypt's base64
constexpr std::size_t scram_salt_octets = 16;        // what doveadm uses

bool is_crypt64(char c) noexcept {
  return detail::is_alnum(c) || c == '.' || c == '/';
}

bool all_crypt64(std::string_view s) noexcept {
  for (const char c : s) {
    if (!is_crypt64(c)) return false;
  }
  return true;
}

// "$6$" ["rounds=" digits "$"] salt(1..16) "$" hash(86)
bool valid_sha512_crypt(std::string_view s) noexcept {
  if (!s.starts_with("$6$")) return false;
  s.remove_prefix(3);
  if (s.starts_with("rounds=")) {
    const std::size_t end = s.find('$');
    if (end == std::string_view::npos || end == 7 || end > 7 + 9) return false;
    for (const char c : s.substr(7, end - 7)) {
      if (c < '0' || c > '9') return false;
    }
    s.remove_prefix(end + 1);
  }
  const std::size_t dollar = s.find('$');
  if (dollar == std::string_view::npos || dollar == 0 || dollar > 16) return false;
  const std::string_view salt = s.substr(0, dollar);
  const std::string_view hash = s.substr(dollar + 1);
  return all_crypt64(salt) && hash.size() == sha512_crypt_hash_chars && all_crypt64(hash);
}

std::vector<std::string_view> split_commas(std::string_view s) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const std::size_t comma = s.find(',', start);
    parts.push_back(s.substr(start, comma == std::string_view::npos ? comma : comma - start));
    if (comma == std::string_view::npos) return parts;
    start = comma + 1;
  }
}

std::optional<std::uint32_t> parse_count(std::string_view text) {
  if (text.empty() || text.size() > 9 || text[0] == '0') return std::nullopt;
  std::uint32_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint32_t>(c - '0');
  }
  return value;
}

ParsedPassword error(std::string scheme, std::string_view what) {
  return ParsedPassword{std::nullopt, "{" + scheme + "}: " + std::string(what)};
}

ParsedPassword parse_scram(std::string_view data) {
  const auto parts = split_commas(data);
  if (parts.size() != 4) {
    return error("SCRAM-SHA-256", "expected iterations,salt,StoredKey,ServerKey");
  }
  const auto iterations = parse_count(parts[0]);
  if (!iterations || *iterations > scram::max_iterations) {
    return error("SCRAM-SHA-256", "bad iteration count");
  }
  ScramSha256Keys keys;
  keys.iterations = *iterations;
  auto salt = base64_decode(parts[1]);
  auto stored = base64_decode(parts[2]);
  auto server = base64_decode(parts[3]);
  if (!salt || salt->empty()) return error("SCRAM-SHA-256", "salt is not base64");
  if (!stored || stored->size() != sha256_size) {
    return error("SCRAM-SHA-256", "StoredKey is not 32 octets of base64");
  }
  if (!server || server->size() != sha256_size) {
    return error("SCRAM-SHA-256", "ServerKey is not 32 octets of base64");
  }
  keys.salt = std::move(*salt);
  keys.stored_key = std::move(*stored);
  keys.server_key = std::move(*server);
  return ParsedPassword{StoredCredential::scram_sha256(std::move(keys)), {}};
}

std::string encode_scram(const ScramSha256Keys& keys) {
  return std::to_string(keys.iterations) + ',' + base64_encode(keys.salt) + ',' +
         base64_encode(keys.stored_key) + ',' + base64_encode(keys.server_key);
}

std::string sha512_crypt(const Secret& password) {
  // libxcrypt needs at least 13 random octets for the 16-character salt doveadm writes
  // (fewer give a shorter salt).
  const std::string rbytes = random_bytes(16);
  std::array<char, CRYPT_GENSALT_OUTPUT_SIZE> setting{};
  if (crypt_gensalt_rn("$6$", 0, rbytes.data(), static_cast<int>(rbytes.size()), setting.data(),
                       static_cast<int>(setting.size())) == nullptr) {
    throw std::runtime_error("crypt_gensalt_rn failed for $6$");
  }
  std::string phrase(password.reveal());
  auto scratch = std::make_unique<crypt_data>();
  const char* hashed =
      crypt_rn(phrase.c_str(), setting.data(), scratch.get(), static_cast<int>(sizeof(crypt_data)));
  detail::wipe(phrase);
  std::string out = (hashed != nullptr && hashed[0] != '*') ? hashed : "";
  OPENSSL_cleanse(scratch.get(), sizeof(crypt_data));
  if (out.empty()) throw std::runtime_error("crypt_rn failed for $6$");
  return out;
}

}  // namespace

std::string_view scheme_name(PasswordScheme scheme) noexcept {
  switch (scheme) {
    case PasswordScheme::Plain:
      return "PLAIN";
    case PasswordScheme::Cleartext:
      return "CLEARTEXT";
    case PasswordScheme::Sha512Crypt:
      return "SHA512-CRYPT";
    case PasswordScheme::ScramSha256:
      return "SCRAM-SHA-256";
  }
  return "?";
}

std::optional<PasswordScheme> parse_scheme_name(std::string_view name) noexcept {
  for (const PasswordScheme s : all_schemes) {
    if (detail::iequals(name, scheme_name(s))) return s;
  }
  return std::nullopt;
}

ParsedPassword parse_dovecot_password(std::string_view field) {
  if (!field.starts_with('{')) {
    return ParsedPassword{std::nullopt, "no {SCHEME} prefix (e.g. {SHA512-CRYPT})"};
  }
  const std::size_t close = field.find('}');
  if (close == std::string_view::npos) return ParsedPassword{std::nullopt, "unclosed {SCHEME}"};
  const std::string_view name = field.substr(1, close - 1);
  const std::string_view data = field.substr(close + 1);
  const auto scheme = parse_scheme_name(name);
  if (!scheme) {
    return ParsedPassword{std::nullopt,
                          "unsupported scheme {" + detail::printable(name) +
                              "} (supported: PLAIN, CLEARTEXT, SHA512-CRYPT, SCRAM-SHA-256)"};
  }
  const std::string canonical(scheme_name(*scheme));
  switch (*scheme) {
    case PasswordScheme::Plain:
    case PasswordScheme::Cleartext:
      if (data.empty()) return error(canonical, "empty password");
      return ParsedPassword{StoredCredential::plaintext(Secret(data)), {}};
    case PasswordScheme::Sha512Crypt:
      if (!valid_sha512_crypt(data)) {
        return error(canonical, "not a $6$ crypt string ($6$[rounds=N$]salt$hash)");
      }
      return ParsedPassword{StoredCredential::sha512_crypt(std::string(data)), {}};
    case PasswordScheme::ScramSha256:
      return parse_scram(data);
  }
  return ParsedPassword{std::nullopt, "unsupported scheme"};
}

Secret encode_dovecot_password(PasswordScheme scheme, const Secret& password) {
  if (password.reveal().find('\0') != std::string_view::npos) {
    throw std::invalid_argument("a password cannot contain NUL");
  }
  std::string out = "{" + std::string(scheme_name(scheme)) + "}";
  switch (scheme) {
    case PasswordScheme::Plain:
    case PasswordScheme::Cleartext:
      out += password.reveal();
      break;
    case PasswordScheme::Sha512Crypt:
      out += sha512_crypt(password);
      break;
    case PasswordScheme::ScramSha256:
      out += encode_scram(
          scram::derive_keys(password, random_bytes(scram_salt_octets), scram::default_iterations));
      break;
  }
  return Secret(std::move(out));
}

Secret encode_dovecot_credential(const StoredCredential& credential) {
  std::string out;
  if (const Secret* plain = credential.plaintext_password()) {
    out = "{PLAIN}";
    out += plain->reveal();
  } else if (const std::string* crypt_string = credential.crypt_string()) {
    out = "{SHA512-CRYPT}" + *crypt_string;
  } else if (const ScramSha256Keys* keys = credential.scram_keys()) {
    out = "{SCRAM-SHA-256}" + encode_scram(*keys);
  }
  return Secret(std::move(out));
}

}  // namespace pop3::auth
