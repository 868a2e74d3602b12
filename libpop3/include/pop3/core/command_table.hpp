#pragma once
// The one command table: for every verb, its argument rule, the states where it is
// legal, whether its +OK reply is multi-line, which argument is secret, the capability
// that advertises it and the RFC section that defines it. The codec, both sessions, the
// shell's completion and the visualizer all read this table; none keeps its own copy.
#include <optional>
#include <span>
#include <string_view>

#include "pop3/core/command.hpp"
#include "pop3/core/exposure.hpp"
#include "pop3/core/state.hpp"

namespace pop3 {

enum class ArgKind : std::uint8_t {
  None,
  Word,           // a token without spaces, at most 40 octets (RFC 2449 §3)
  LongWord,       // a token without spaces, up to the line limit (user names, SASL data)
  MessageNumber,  // decimal, 1-based
  LineCount,      // decimal, 0 allowed (TOP's second argument)
  RestOfLine,     // everything after the keyword and one space, spaces included (PASS)
};

enum class MultiLine : std::uint8_t {
  Never,
  Always,           // RETR, TOP, CAPA
  WithoutArgument,  // LIST, UIDL, AUTH: multi-line only when no argument was given
};

struct CommandSpec {
  Verb verb;
  std::string_view name;
  ArgKind arg1 = ArgKind::None;
  ArgKind arg2 = ArgKind::None;
  std::uint8_t min_args = 0;
  std::uint8_t max_args = 0;
  StateSet legal;
  MultiLine multiline = MultiLine::Never;
  int secret_arg = -1;  // index of the argument that carries a secret
  Exposure secret_exposure = Exposure::None;
  std::string_view capability;  // the CAPA tag that advertises it ("" = base RFC 1939)
  std::string_view rfc;         // "RFC 1939 §7"
  std::string_view synopsis;    // "RETR msg"
  std::string_view summary;     // what it does, in one sentence
};

[[nodiscard]] std::span<const CommandSpec> command_table() noexcept;
[[nodiscard]] const CommandSpec& spec_of(Verb verb) noexcept;
// Does an +OK reply to this command carry a body? Decided by verb *and* arguments.
[[nodiscard]] bool expects_multiline(Verb verb, std::size_t arg_count) noexcept;
[[nodiscard]] bool expects_multiline(const Command& command) noexcept;

// Line limits (RFC 2449 §4): a command line is at most 255 octets and a reply's first
// line at most 512, both counting the CRLF.
inline constexpr std::size_t kMaxCommandLine = 255;
inline constexpr std::size_t kMaxReplyLine = 512;
inline constexpr std::size_t kMaxArgument = 40;
// SASL client responses are not bound by the 255-octet rule (RFC 5034 §4).
inline constexpr std::size_t kMaxSaslLine = 8192;

}  // namespace pop3
