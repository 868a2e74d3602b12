#include "pop3/attack/offline_cracker.hpp"

#include <algorithm>
#include <cstdio>
#include <functional>

#include "pop3/auth/apop.hpp"
#include "pop3/auth/constant_time.hpp"
#include "pop3/auth/cram_md5.hpp"
#include "pop3/auth/scram.hpp"

namespace pop3::attack {

std::chrono::nanoseconds CrackReport::time_per_try() const noexcept {
  return tries == 0 ? std::chrono::nanoseconds{0} : elapsed / static_cast<std::int64_t>(tries);
}

std::string CrackReport::summary() const {
  char buf[200];
  std::snprintf(
      buf, sizeof buf,
      "%s exchange of %s: %zu of %zu words tried in %.3f s (%.0f tries/s, %.1f us each)\n",
      kind.c_str(), user.c_str(), tries, words, std::chrono::duration<double>(elapsed).count(),
      tries_per_second, std::chrono::duration<double, std::micro>(time_per_try()).count());
  std::string s = buf;
  s += "one guess costs: " + cost + "\n";
  if (password)
    s += "password found at word " + std::to_string(found_at.value_or(0)) + ": \"" + *password +
         "\"\n";
  else
    s += "password not in the wordlist\n";
  return s;
}

namespace {

// One guess: true when it matches the capture.
using Check = std::function<bool(const std::string&)>;

struct Method {
  Check check;
  std::uint64_t iterations = 1;
  std::string cost;
};

Method method_for(const CapturedApop& c) {
  return {[c](const std::string& w) {
            return auth::constant_time_equals(auth::apop_digest(c.timestamp, Secret(w)), c.digest);
          },
          1, "MD5(timestamp + guess): one MD5"};
}

Method method_for(const CapturedCramMd5& c) {
  return {[c](const std::string& w) {
            return auth::constant_time_equals(auth::cram_md5_digest(c.challenge, Secret(w)),
                                              c.digest);
          },
          1, "HMAC-MD5(guess, challenge): one HMAC-MD5"};
}

Method method_for(const CapturedScram& c) {
  const std::string message = c.auth_message();
  return {[c, message](const std::string& w) {
            const auth::ScramSha256Keys keys =
                auth::scram::derive_keys(Secret(w), c.salt, c.iterations);
            return auth::scram::verify_client_proof(keys, message, c.proof);
          },
          c.iterations,
          "PBKDF2-HMAC-SHA-256(guess, salt, " + std::to_string(c.iterations) +
              " iterations), then ClientKey, StoredKey, ClientSignature and the proof: " +
              std::to_string(c.iterations) + "+ HMAC-SHA-256"};
}

}  // namespace

CrackReport OfflineCracker::crack(const CapturedExchange& exchange, const Wordlist& words) const {
  CrackReport r;
  r.kind = std::string(captured_kind(exchange));
  r.user = captured_user(exchange);
  r.words = words.size();
  const Method m = std::visit([](const auto& c) { return method_for(c); }, exchange);
  r.iterations_per_guess = m.iterations;
  r.cost = m.cost;
  const std::size_t limit =
      options_.max_tries > 0 ? std::min(options_.max_tries, words.size()) : words.size();
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < limit; ++i) {
    ++r.tries;
    if (!m.check(words.words()[i])) continue;
    if (!r.password) {
      r.password = words.words()[i];
      r.found_at = i + 1;
    }
    if (options_.stop_at_first) break;
  }
  r.elapsed = std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::steady_clock::now() - start);
  const double s = std::chrono::duration<double>(r.elapsed).count();
  r.tries_per_second = s > 0 ? static_cast<double>(r.tries) / s : 0.0;
  return r;
}

std::string cost_table(const std::vector<CrackReport>& reports) {
  double fastest = 0;
  for (const auto& r : reports)
    fastest = std::max(fastest, r.tries_per_second);
  std::string out =
      "mechanism        iterations/guess   tries/s        us/try     slower than the fastest\n";
  char buf[200];
  for (const auto& r : reports) {
    const double slower = r.tries_per_second > 0 ? fastest / r.tries_per_second : 0.0;
    std::snprintf(buf, sizeof buf, "%-16s %16llu %12.0f %12.1f %12.0fx\n", r.kind.c_str(),
                  static_cast<unsigned long long>(r.iterations_per_guess), r.tries_per_second,
                  std::chrono::duration<double, std::micro>(r.time_per_try()).count(), slower);
    out += buf;
  }
  return out;
}

}  // namespace pop3::attack
