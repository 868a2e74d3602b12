#pragma once
// OfflineCracker: tries a wordlist against a captured login (capture.hpp), as fast as
// this machine computes, with no server to slow it down or lock it out. What each guess
// costs is the mechanism's choice:
//
//   APOP           MD5(timestamp + guess)                     one hash
//   CRAM-MD5       HMAC-MD5(guess, challenge)                 one HMAC (two hashes)
//   SCRAM-SHA-256  PBKDF2-HMAC-SHA-256(guess, salt, i), then   i HMACs, and a few more
//                  ClientKey, StoredKey, ClientSignature and
//                  the proof check
//
// so a SCRAM capture costs the attacker about i times more per guess (4096 by default,
// RFC 7677), which the reports make visible: run the same wordlist against each and
// compare tries_per_second (cost_table()).
//
// Contract:
// - Words are tried in wordlist order; the run stops at the first match (or goes on,
//   with stop_at_first off, to time the whole list) or after max_tries.
// - Times are real (std::chrono::steady_clock), measured around the guessing only.
// - Comparisons of digests and proofs are the library's (constant time, though an
//   offline attacker would not care).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pop3/attack/capture.hpp"
#include "pop3/attack/wordlist.hpp"

namespace pop3::attack {

struct CrackOptions {
  bool stop_at_first = true;
  std::size_t max_tries = 0;  // 0: the whole wordlist
};

struct CrackReport {
  std::string kind;  // "APOP", "CRAM-MD5", "SCRAM-SHA-256"
  std::string user;
  std::size_t words = 0;
  std::size_t tries = 0;
  std::chrono::nanoseconds elapsed{0};
  double tries_per_second = 0;
  std::optional<std::string> password;
  std::optional<std::size_t> found_at;  // 1-based position in the wordlist
  // Keyed-hash computations per guess: 1 for APOP and CRAM-MD5, the iteration count for
  // SCRAM (PBKDF2's HMACs; the handful after it are not counted).
  std::uint64_t iterations_per_guess = 1;
  std::string cost;  // what one guess computes, in words

  [[nodiscard]] std::chrono::nanoseconds time_per_try() const noexcept;
  [[nodiscard]] std::string summary() const;  // a few lines for people
};

class OfflineCracker {
 public:
  explicit OfflineCracker(CrackOptions options = {}) : options_(options) {}
  [[nodiscard]] CrackReport crack(const CapturedExchange& exchange, const Wordlist& words) const;

 private:
  CrackOptions options_;
};

// The reports side by side: kind, iterations per guess, tries per second, time per try,
// and how many times slower than the fastest.
[[nodiscard]] std::string cost_table(const std::vector<CrackReport>& reports);

}  // namespace pop3::attack
