#pragma once
// Determinism: everything random in a simulated run comes from the scenario's seed.
//
// SeededRandom is one named stream of numbers: std::mt19937_64 seeded (through
// std::seed_seq) with the seed and an FNV-1a hash of the stream's name. Both algorithms
// are fixed by the C++ standard, and values are derived from the raw engine output
// without std::uniform_int_distribution (whose algorithm is left to the library), so a
// seed gives the same numbers with any conforming compiler. Each purpose has its own
// stream, so drawing one more chunk size never shifts a nonce.
//
// LabNonces makes the protocol's "fresh random" values from those streams: the APOP
// timestamp, CRAM-MD5 challenges, SCRAM nonces and salts. They are predictable by
// design: a lab must replay byte for byte. Never use them outside the simulator.
#include <cstdint>
#include <random>
#include <string>
#include <string_view>

#include "pop3/auth/server_mechanisms.hpp"

namespace pop3::sim {

class SeededRandom {
 public:
  SeededRandom(std::uint64_t seed, std::string_view stream);

  std::uint64_t next() { return engine_(); }
  // Uniform in [0, bound) by rejection sampling; bound must be > 0.
  std::uint64_t below(std::uint64_t bound);
  // Uniform in [lo, hi]; lo <= hi.
  std::uint64_t between(std::uint64_t lo, std::uint64_t hi);
  std::string bytes(std::size_t count);
  // `length` characters drawn uniformly from `alphabet` (1..256 characters).
  std::string token(std::size_t length, std::string_view alphabet);
  std::string hex(std::size_t octets);

 private:
  std::mt19937_64 engine_;
};

class LabNonces {
 public:
  // host: the right-hand side of APOP timestamps and CRAM-MD5 challenges.
  LabNonces(std::uint64_t seed, std::string host);
  LabNonces(const LabNonces&) = delete;  // the options below point at this object
  LabNonces& operator=(const LabNonces&) = delete;

  [[nodiscard]] std::uint64_t seed() const noexcept { return seed_; }
  [[nodiscard]] const std::string& host() const noexcept { return host_; }

  // "<16 hex.16 hex@host>", valid for pop3::auth::valid_apop_timestamp().
  std::string apop_timestamp();
  // "<10 digits.10 digits@host>", in the shape of RFC 2195's example.
  std::string cram_md5_challenge();
  // 24 characters of the base64 alphabet (printable, no ',': RFC 5802 §7).
  std::string scram_server_nonce();
  std::string scram_client_nonce();
  // The key that turns a user name into a SCRAM salt for users stored in plaintext:
  // fixed for a seed.
  [[nodiscard]] const std::string& scram_salt_key() const noexcept { return salt_key_; }
  // The 16-octet salt of a user whose account is stored as SCRAM-SHA-256 keys; depends
  // on the seed and the user only.
  [[nodiscard]] std::string scram_salt(std::string_view user) const;

  // Options for pop3::auth::StoreAuthenticator whose challenges and nonces come from
  // this object (which must outlive every mechanism started with them).
  [[nodiscard]] auth::ServerMechanismOptions server_mechanism_options();

 private:
  std::uint64_t seed_;
  std::string host_;
  SeededRandom apop_;
  SeededRandom cram_;
  SeededRandom server_nonce_;
  SeededRandom client_nonce_;
  std::string salt_key_;
};

}  // namespace pop3::sim
