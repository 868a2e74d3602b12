#pragma once
// Parsing and serialising commands and reply status lines, driven by the command table.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <variant>

#include "pop3/core/command.hpp"
#include "pop3/core/errors.hpp"
#include "pop3/core/reply.hpp"

namespace pop3 {

struct ParseError {
  Errc code{};
  std::string message;  // suitable for the -ERR text; never echoes a secret
};

// A command line without its CRLF. Checks the keyword, the argument count and kinds, the
// 40-octet argument limit and forbidden characters (NUL, CR, LF).
[[nodiscard]] std::variant<Command, ParseError> parse_command(std::string_view line);

// "VERB arg arg\r\n". Refuses (returns the error) when an argument contains CR, LF or NUL
// (CRLF injection), when the arguments break the table's rules, or when the line would
// exceed 255 octets.
[[nodiscard]] std::variant<std::string, ParseError> serialize_command(const Command& command);

// The byte range of the secret argument inside a serialised command line, if the verb
// has one (for the exposure annotations).
struct ByteRange {
  std::size_t offset = 0;
  std::size_t length = 0;
};
[[nodiscard]] std::optional<ByteRange> secret_range(const Command& command);

// A reply's status line without its CRLF: "+OK text", "-ERR [CODE] text", "+ data".
struct StatusLine {
  Status status{};
  std::optional<ResponseCode> code;
  std::string text;
};
[[nodiscard]] std::variant<StatusLine, ParseError> parse_status_line(std::string_view line);

// The status line with CRLF. Does not check for CR/LF in the text: server code builds
// texts itself.
[[nodiscard]] std::string serialize_status_line(Status status,
                                                const std::optional<ResponseCode>& code,
                                                std::string_view text);
// A whole reply: status line and, when multiline, the stuffed body and ".\r\n".
// RETR/TOP bodies come from Reply::body, other bodies from Reply::lines.
[[nodiscard]] std::string serialize_reply(const Reply& reply);

// RFC 1939 section 5: a scan listing, "2 491" (LIST's lines, and its one-message reply
// text), or STAT's drop listing, "2 1024": a number, one space, a size in octets. The RFC
// leaves what follows the size to the server: ignored. nullopt unless both are plain
// decimal numbers.
struct ScanListing {
  std::uint64_t number = 0;
  std::uint64_t octets = 0;
  friend bool operator==(const ScanListing&, const ScanListing&) = default;
};
[[nodiscard]] std::optional<ScanListing> parse_scan_listing(std::string_view text);

// RFC 1939 section 7: a unique-id listing, "1 whqtswO00WBw418f9t5JxYwZ" (UIDL's lines,
// and its one-message reply text): a number, one space, the unique-id up to the next
// space or the end. nullopt unless the number is plain decimal and the unique-id is
// 1 or more octets in 0x21-0x7E (the RFC's range; its 70-octet limit is not enforced).
struct UniqueIdListing {
  std::uint64_t number = 0;
  std::string unique_id;
};
[[nodiscard]] std::optional<UniqueIdListing> parse_unique_id_listing(std::string_view text);

// The timestamp of an APOP greeting ("<...>" including the brackets), if present.
[[nodiscard]] std::optional<std::string> apop_timestamp(std::string_view greeting_text);

}  // namespace pop3
