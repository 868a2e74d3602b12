#pragma once
// SCRAM-SHA-256 (RFC 5802 with the SHA-256 of RFC 7677), the pieces both sides share:
// the key schedule and the four messages. The client and server mechanisms
// (client_scram_sha256.hpp, server_scram_sha256.hpp) are built from these, and the
// pieces are public so that a lab can show every intermediate value.
//
//   SaltedPassword  = Hi(password, salt, i)                (PBKDF2-HMAC-SHA-256)
//   ClientKey       = HMAC(SaltedPassword, "Client Key")
//   StoredKey       = H(ClientKey)                          (what the server stores)
//   ServerKey       = HMAC(SaltedPassword, "Server Key")    (what the server stores)
//   AuthMessage     = client-first-bare "," server-first "," client-final-without-proof
//   ClientSignature = HMAC(StoredKey, AuthMessage)
//   ClientProof     = ClientKey XOR ClientSignature         (sent by the client)
//   ServerSignature = HMAC(ServerKey, AuthMessage)          (sent by the server)
//
// Limitations, on purpose: no channel binding (the GS2 header is "n,," from the client;
// the server also accepts "y,,"), no authorization identity other than the user itself,
// and SASLprep is reduced to the saslname escaping of '=' and ',' (passwords are used
// as their UTF-8 octets, unnormalised).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "pop3/core/secret.hpp"

namespace pop3::auth {

// What a server stores for SCRAM-SHA-256 instead of the password (RFC 5802 §3), and what
// Dovecot writes as "{SCRAM-SHA-256}i,salt,StoredKey,ServerKey".
struct ScramSha256Keys {
  std::uint32_t iterations = 0;
  std::string salt;        // raw octets
  std::string stored_key;  // raw octets, 32
  std::string server_key;  // raw octets, 32
};

namespace scram {

inline constexpr std::uint32_t default_iterations = 4096;  // RFC 7677 §4 minimum
// An iteration count above this is refused: it costs the verifier too much (a server
// could make a client burn CPU; a bad passwd-file line could stall a server).
inline constexpr std::uint32_t max_iterations = 10'000'000;
inline constexpr std::string_view gs2_header = "n,,";

[[nodiscard]] Secret salted_password(const Secret& password, std::string_view salt,
                                     std::uint32_t iterations);
[[nodiscard]] Secret client_key(const Secret& salted_password);
[[nodiscard]] std::string server_key(const Secret& salted_password);
[[nodiscard]] std::string stored_key(const Secret& client_key);
[[nodiscard]] ScramSha256Keys derive_keys(const Secret& password, std::string_view salt,
                                          std::uint32_t iterations);

// HMAC(StoredKey, AuthMessage), and ClientKey XOR ClientSignature (same lengths).
[[nodiscard]] std::string client_signature(std::string_view stored_key,
                                           std::string_view auth_message);
[[nodiscard]] std::string client_proof(const Secret& client_key, std::string_view client_signature);
[[nodiscard]] std::string server_signature(std::string_view server_key,
                                           std::string_view auth_message);
// The server's check: H(ClientProof XOR ClientSignature) == StoredKey, in constant time.
[[nodiscard]] bool verify_client_proof(const ScramSha256Keys& keys, std::string_view auth_message,
                                       std::string_view proof);

// saslname (RFC 5802 §5.1): '=' becomes "=3D" and ',' becomes "=2C".
[[nodiscard]] std::string escape_saslname(std::string_view user);
// nullopt for any other '=' sequence.
[[nodiscard]] std::optional<std::string> unescape_saslname(std::string_view saslname);
// A nonce is printable ASCII except ',' (RFC 5802 §7), here also at least one character.
[[nodiscard]] bool valid_nonce(std::string_view nonce) noexcept;
// A fresh random nonce (24 base64 characters from 18 RAND_bytes octets).
[[nodiscard]] std::string make_nonce();

// ---- Messages. Parsers take the decoded text and set `error` on failure (never a
// secret: only the names of what was wrong).

[[nodiscard]] std::string client_first_bare(std::string_view user, std::string_view nonce);

struct ClientFirst {
  std::string gs2_header;  // "n,," or "y,," (with an "a=" part when one was given)
  std::string authzid;     // decoded; empty when none
  std::string user;        // decoded saslname
  std::string nonce;
  std::string bare;  // client-first-message-bare, for the AuthMessage
};
[[nodiscard]] std::optional<ClientFirst> parse_client_first(std::string_view message,
                                                            std::string& error);

[[nodiscard]] std::string server_first(std::string_view nonce, std::string_view salt,
                                       std::uint32_t iterations);

struct ServerFirst {
  std::string nonce;  // client nonce + server nonce
  std::string salt;   // decoded octets
  std::uint32_t iterations = 0;
};
[[nodiscard]] std::optional<ServerFirst> parse_server_first(std::string_view message,
                                                            std::string& error);

// "c=" base64(gs2 header) ",r=" nonce
[[nodiscard]] std::string client_final_without_proof(std::string_view gs2, std::string_view nonce);

struct ClientFinal {
  std::string channel_binding;  // the c= value as sent (base64)
  std::string nonce;
  std::string proof;          // decoded octets
  std::string without_proof;  // client-final-message-without-proof, for the AuthMessage
};
[[nodiscard]] std::optional<ClientFinal> parse_client_final(std::string_view message,
                                                            std::string& error);

[[nodiscard]] std::string auth_message(std::string_view client_first_bare,
                                       std::string_view server_first,
                                       std::string_view client_final_without_proof);

struct ServerFinal {
  std::optional<std::string> verifier;  // decoded ServerSignature (v=)
  std::optional<std::string> error;     // server-error-value (e=)
};
[[nodiscard]] std::optional<ServerFinal> parse_server_final(std::string_view message,
                                                            std::string& error);

}  // namespace scram
}  // namespace pop3::auth
