// SCRAM-SHA-256 key schedule (RFC 5802 §3).
#include <stdexcept>

#include "openssl_util.hpp"
#include "pop3/auth/constant_time.hpp"
#include "pop3/auth/digest.hpp"
#include "pop3/auth/hmac.hpp"
#include "pop3/auth/pbkdf2.hpp"
#include "pop3/auth/scram.hpp"

namespace pop3::auth::scram {

namespace {
std::string xor_octets(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) throw std::invalid_argument("SCRAM: XOR of unequal lengths");
  std::string out(a.size(), '\0');
  for (std::size_t i = 0; i < a.size(); ++i) {
    out[i] = static_cast<char>(static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i]));
  }
  return out;
}
}  // namespace

Secret salted_password(const Secret& password, std::string_view salt, std::uint32_t iterations) {
  return pbkdf2_hmac_sha256(password, salt, iterations, sha256_size);
}

Secret client_key(const Secret& salted) {
  return Secret(hmac_sha256(salted.reveal(), "Client Key"));
}

std::string server_key(const Secret& salted) {
  return hmac_sha256(salted.reveal(), "Server Key");
}

std::string stored_key(const Secret& client) {
  return sha256(client.reveal());
}

ScramSha256Keys derive_keys(const Secret& password, std::string_view salt,
                            std::uint32_t iterations) {
  const Secret salted = salted_password(password, salt, iterations);
  ScramSha256Keys keys;
  keys.iterations = iterations;
  keys.salt = std::string(salt);
  keys.stored_key = stored_key(client_key(salted));
  keys.server_key = server_key(salted);
  return keys;
}

std::string client_signature(std::string_view stored, std::string_view auth_msg) {
  return hmac_sha256(stored, auth_msg);
}

std::string client_proof(const Secret& client, std::string_view signature) {
  return xor_octets(client.reveal(), signature);
}

std::string server_signature(std::string_view server, std::string_view auth_msg) {
  return hmac_sha256(server, auth_msg);
}

bool verify_client_proof(const ScramSha256Keys& keys, std::string_view auth_msg,
                         std::string_view proof) {
  const std::string signature = client_signature(keys.stored_key, auth_msg);
  if (proof.size() != signature.size()) return false;
  // The proof is ClientKey masked with the signature: unmask it and check that it
  // hashes to StoredKey. The server never holds ClientKey except here, transiently.
  std::string recovered = xor_octets(proof, signature);
  const bool ok = constant_time_equals(sha256(recovered), keys.stored_key);
  detail::wipe(recovered);
  return ok;
}

}  // namespace pop3::auth::scram
