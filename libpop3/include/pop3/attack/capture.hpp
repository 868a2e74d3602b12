#pragma once
// Captured logins: what an eavesdropper who recorded a plaintext POP3 connection can take
// home and attack offline. The challenge-response mechanisms never send the password,
// but they send enough to test guesses against it:
//
//   APOP           the greeting's timestamp and MD5(timestamp + password)
//   CRAM-MD5       the challenge and HMAC-MD5(password, challenge)
//   SCRAM-SHA-256  salt, iteration count, nonces and the ClientProof (which needs
//                  PBKDF2(password, salt, i) to check: the iteration count is the cost)
//
// USER/PASS, PLAIN and LOGIN need no cracking: the password itself is on the wire; they
// are reported as notes. Nothing under TLS can be read.
//
// Sources:
// - the two plaintext streams (as the eavesdropper reassembled them);
// - a trace: the simulator's "link" session (wire records on the plain channel, the
//   eavesdropper's view), or a client or server session (app records). A trace written
//   with secrets masked ('*') yields nothing usable, and says so in the notes;
// - the simulator's Eavesdropper directly.
//
// The streams are followed as a protocol (ConversationFollower), so a digest is paired
// with the greeting or challenge it answers, and whether the server accepted it is known.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "pop3/trace/record.hpp"

namespace pop3::sim {
class Eavesdropper;
}

namespace pop3::attack {

struct CapturedApop {
  std::string user;
  std::string timestamp;         // "<...>", brackets included, from the greeting
  std::string digest;            // 32 lower-case hex digits, as sent
  std::optional<bool> accepted;  // the server's verdict, if seen
};

struct CapturedCramMd5 {
  std::string user;
  std::string challenge;  // decoded
  std::string digest;     // 32 lower-case hex digits
  std::optional<bool> accepted;
};

struct CapturedScram {
  std::string user;
  std::string client_first_bare;
  std::string server_first;
  std::string client_final_without_proof;
  std::string salt;  // decoded octets
  std::uint32_t iterations = 0;
  std::string proof;  // decoded ClientProof, 32 octets
  std::optional<bool> accepted;

  [[nodiscard]] std::string auth_message() const;
};

using CapturedExchange = std::variant<CapturedApop, CapturedCramMd5, CapturedScram>;
[[nodiscard]] std::string_view captured_kind(const CapturedExchange& e) noexcept;  // "APOP", ...
[[nodiscard]] const std::string& captured_user(const CapturedExchange& e) noexcept;

struct Capture {
  std::vector<CapturedExchange> exchanges;  // in the order they happened
  // What else was seen, for people: passwords sent in clear, TLS started, masked or
  // malformed data that could not be used.
  std::vector<std::string> notes;
  bool tls_started = false;  // +OK to STLS (or TLS records): what follows is unreadable

  // The first exchange of that kind, if any.
  [[nodiscard]] const CapturedApop* apop() const noexcept;
  [[nodiscard]] const CapturedCramMd5* cram_md5() const noexcept;
  [[nodiscard]] const CapturedScram* scram() const noexcept;
};

[[nodiscard]] Capture capture_from_streams(std::string_view c2s, std::string_view s2c);
// `session`: the session id to read; empty: the first session with plain wire records,
// else the first with app records.
[[nodiscard]] Capture capture_from_trace(const std::vector<trace::Record>& records,
                                         std::string_view session = {});
[[nodiscard]] Capture capture_from_eavesdropper(const sim::Eavesdropper& tap);

}  // namespace pop3::attack
