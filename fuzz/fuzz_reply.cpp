// Reply status lines and multi-line replies: parse, serialise, parse again.
//
// The input is used twice:
//  1. as a status line as the client's framer hands it over (without CRLF): if
//     parse_status_line() accepts it, serialize_status_line() of the result must parse back
//     to the same status, code and text, and serialising that gives the same bytes (the
//     serialised form is a fixed point); an APOP timestamp found in the text is a
//     "<...>" substring of it without spaces; a response code's top() is a prefix of it;
//  2. as the body of a multi-line reply, split into lines at LF (CR and LF removed):
//     serialize_reply() must give a status line, the dot-stuffed lines and ".\r\n", and
//     the streaming decoder must give back exactly the lines, ending exactly at the end;
//  3. as a scan listing and a unique-id listing (LIST, STAT and UIDL lines): an accepted
//     one starts with its number in decimal digits and a space, followed by the size in
//     digits or the unique-id (1 or more octets in 0x21-0x7E), up to a space or the end.
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "invariant.hpp"
#include "pop3/core/codec.hpp"
#include "pop3/core/dot_stuffing.hpp"
#include "pop3/core/reply.hpp"

namespace {

void check_status_line(std::string_view line) {
  auto parsed = pop3::parse_status_line(line);
  if (const auto* error = std::get_if<pop3::ParseError>(&parsed)) {
    FUZZ_CHECK(!error->message.empty());
    return;
  }
  const pop3::StatusLine& status = std::get<pop3::StatusLine>(parsed);
  const std::string wire = pop3::serialize_status_line(status.status, status.code, status.text);
  FUZZ_CHECK(wire.ends_with("\r\n"));
  FUZZ_CHECK(wire.starts_with(pop3::status_token(status.status)));
  auto reparsed = pop3::parse_status_line(std::string_view(wire).substr(0, wire.size() - 2));
  FUZZ_CHECK(std::holds_alternative<pop3::StatusLine>(reparsed));
  const pop3::StatusLine& again = std::get<pop3::StatusLine>(reparsed);
  FUZZ_CHECK(again.status == status.status);
  FUZZ_CHECK(again.code == status.code);
  FUZZ_CHECK(again.text == status.text);
  FUZZ_CHECK(pop3::serialize_status_line(again.status, again.code, again.text) == wire);

  if (status.code) {
    FUZZ_CHECK(status.code->text.starts_with(status.code->top()));
    FUZZ_CHECK(!status.code->meaning().empty());
  }
  if (const auto stamp = pop3::apop_timestamp(status.text)) {
    FUZZ_CHECK(stamp->size() >= 3 && stamp->front() == '<' && stamp->back() == '>');
    FUZZ_CHECK(stamp->find(' ') == std::string::npos);
    FUZZ_CHECK(status.text.find(*stamp) != std::string::npos);
  }
}

void check_multiline(std::string_view input) {
  pop3::Reply reply = pop3::Reply::positive("body follows");
  reply.multiline = true;
  pop3fuzz::Controls controls(input);
  while (!controls.rest().empty()) {
    std::string line(controls.until('\n'));
    std::erase(line, '\r');
    reply.lines.push_back(std::move(line));
  }
  const std::string wire = pop3::serialize_reply(reply);
  const std::size_t body_start = wire.find("\r\n") + 2;
  FUZZ_CHECK(wire.substr(0, body_start) == "+OK body follows\r\n");
  FUZZ_CHECK(wire.ends_with(".\r\n"));

  pop3::DotDecoder decoder;
  std::string body;
  const std::string_view stuffed = std::string_view(wire).substr(body_start);
  FUZZ_CHECK(decoder.decode(stuffed, body) == stuffed.size());
  FUZZ_CHECK(decoder.done());
  std::string expected;
  for (const auto& line : reply.lines)
    expected += line + "\r\n";
  // An empty list of lines is the body of a RETR of an empty message: nothing but the dot.
  FUZZ_CHECK(body == expected);
}

}  // namespace

// The value of a run of decimal digits, or -1 when it is not one (or does not fit).
long double decimal(std::string_view digits) {
  if (digits.empty()) return -1;
  long double v = 0;
  for (const char c : digits) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

void check_listings(std::string_view line) {
  const std::size_t space = line.find(' ');
  const std::string_view rest = space == std::string_view::npos ? "" : line.substr(space + 1);
  const std::string_view word = rest.substr(0, rest.find(' '));
  // Leading zeros are digits too ("01 491" is message 1).
  if (const auto scan = pop3::parse_scan_listing(line)) {
    FUZZ_CHECK(space != std::string_view::npos);
    FUZZ_CHECK(decimal(line.substr(0, space)) == static_cast<long double>(scan->number));
    FUZZ_CHECK(decimal(word) == static_cast<long double>(scan->octets));
  }
  if (const auto uid = pop3::parse_unique_id_listing(line)) {
    FUZZ_CHECK(space != std::string_view::npos);
    FUZZ_CHECK(decimal(line.substr(0, space)) == static_cast<long double>(uid->number));
    FUZZ_CHECK(word == uid->unique_id);
    FUZZ_CHECK(!uid->unique_id.empty());
    for (const char c : uid->unique_id)
      FUZZ_CHECK(c >= 0x21 && c <= 0x7E);
  }
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = pop3fuzz::as_text(data, size);
  check_status_line(input);
  check_multiline(input);
  check_listings(input);
  return 0;
}
