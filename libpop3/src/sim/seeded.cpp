#include "pop3/sim/seeded.hpp"

#include <array>
#include <stdexcept>

namespace pop3::sim {
namespace {

constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kDigits = "0123456789";

std::uint64_t fnv1a(std::string_view text) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::mt19937_64 seeded_engine(std::uint64_t seed, std::string_view stream) {
  const std::uint64_t name = fnv1a(stream);
  std::seed_seq seq{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                    static_cast<std::uint32_t>(name), static_cast<std::uint32_t>(name >> 32)};
  return std::mt19937_64(seq);
}

}  // namespace

SeededRandom::SeededRandom(std::uint64_t seed, std::string_view stream)
    : engine_(seeded_engine(seed, stream)) {}

std::uint64_t SeededRandom::below(std::uint64_t bound) {
  if (bound == 0) throw std::invalid_argument("SeededRandom::below(0)");
  // Reject the top partial range so every value is equally likely.
  const std::uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
  for (;;) {
    const std::uint64_t v = engine_();
    if (v < limit) return v % bound;
  }
}

std::uint64_t SeededRandom::between(std::uint64_t lo, std::uint64_t hi) {
  if (lo > hi) throw std::invalid_argument("SeededRandom::between: lo > hi");
  if (lo == 0 && hi == UINT64_MAX) return engine_();
  return lo + below(hi - lo + 1);
}

std::string SeededRandom::bytes(std::size_t count) {
  std::string out;
  out.reserve(count);
  while (out.size() < count) {
    std::uint64_t v = engine_();
    for (int i = 0; i < 8 && out.size() < count; ++i, v >>= 8)
      out.push_back(static_cast<char>(static_cast<unsigned char>(v & 0xffU)));
  }
  return out;
}

std::string SeededRandom::token(std::size_t length, std::string_view alphabet) {
  if (alphabet.empty() || alphabet.size() > 256)
    throw std::invalid_argument("SeededRandom::token: alphabet of 1..256 characters");
  std::string out;
  out.reserve(length);
  for (std::size_t i = 0; i < length; ++i)
    out.push_back(alphabet[below(alphabet.size())]);
  return out;
}

std::string SeededRandom::hex(std::size_t octets) {
  return token(octets * 2, "0123456789abcdef");
}

LabNonces::LabNonces(std::uint64_t seed, std::string host)
    : seed_(seed),
      host_(std::move(host)),
      apop_(seed, "apop timestamp"),
      cram_(seed, "cram-md5 challenge"),
      server_nonce_(seed, "scram server nonce"),
      client_nonce_(seed, "scram client nonce"),
      salt_key_(SeededRandom(seed, "scram salt key").bytes(32)) {}

// The draws are separate statements: the operands of + are unsequenced, and another
// compiler could otherwise draw them in the other order.
std::string LabNonces::apop_timestamp() {
  const std::string left = apop_.hex(8);
  const std::string right = apop_.hex(8);
  return "<" + left + "." + right + "@" + host_ + ">";
}

std::string LabNonces::cram_md5_challenge() {
  const std::string left = cram_.token(10, kDigits);
  const std::string right = cram_.token(10, kDigits);
  return "<" + left + "." + right + "@" + host_ + ">";
}

std::string LabNonces::scram_server_nonce() {
  return server_nonce_.token(24, kBase64Alphabet);
}

std::string LabNonces::scram_client_nonce() {
  return client_nonce_.token(24, kBase64Alphabet);
}

std::string LabNonces::scram_salt(std::string_view user) const {
  std::string stream = "scram salt for ";
  stream += user;
  return SeededRandom(seed_, stream).bytes(16);
}

auth::ServerMechanismOptions LabNonces::server_mechanism_options() {
  auth::ServerMechanismOptions options;
  options.host = host_;
  options.scram_salt_key = salt_key_;
  options.cram_md5_challenge = [this] { return cram_md5_challenge(); };
  options.scram_server_nonce = [this] { return scram_server_nonce(); };
  return options;
}

}  // namespace pop3::sim
