#pragma once
// Command: one POP3 command as a client sends it, already split into keyword and arguments.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pop3 {

// Every command pop3lab knows: RFC 1939, RFC 2449 (CAPA), RFC 2595 (STLS),
// RFC 5034 (AUTH) and RFC 6856 (UTF8).
enum class Verb : std::uint8_t {
  User,
  Pass,
  Apop,
  Auth,
  Stls,
  Capa,
  Utf8,
  Stat,
  List,
  Retr,
  Dele,
  Noop,
  Rset,
  Quit,
  Top,
  Uidl,
};
inline constexpr std::size_t kVerbCount = 16;

struct Command {
  Verb verb{};
  // Arguments as they appear on the wire. PASS has exactly one, which may contain
  // spaces; for PASS (and APOP's digest) the argument is secret: print with
  // describe(), which redacts it, never by hand.
  std::vector<std::string> args;

  friend bool operator==(const Command&, const Command&) = default;
};

// The keyword in canonical upper case ("RETR").
[[nodiscard]] std::string_view verb_name(Verb verb) noexcept;
// Case-insensitive keyword lookup (RFC 1939: keywords are case-insensitive).
[[nodiscard]] std::optional<Verb> parse_verb(std::string_view keyword) noexcept;
// The command as it would be shown to a person: secrets replaced by <redacted>.
[[nodiscard]] std::string describe(const Command& command);

}  // namespace pop3
