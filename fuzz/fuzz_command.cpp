// Command lines: parse, serialise, parse again.
//
// The input is used twice:
//  1. as one command line as the server's framer hands it over (without CRLF, so at most
//     253 octets): if parse_command() accepts it, serialize_command() must accept the result,
//     produce one CRLF-terminated line of at most 255 octets that parses back to the same command
//     and serialises to the same bytes again; the secret range must cover exactly the secret
//     argument; a refusal must not echo a PASS argument;
//  2. as a command built field by field (first byte: the verb; the rest: arguments split at
//     0x1F): if serialize_command() accepts it, the line must hold no CR, LF or NUL but its
//     CRLF, fit in 255 octets and parse back to the same command (the client can never send
//     what the server would read differently).
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "invariant.hpp"
#include "pop3/core/codec.hpp"
#include "pop3/core/command.hpp"
#include "pop3/core/command_table.hpp"

namespace {

bool is_single_line(std::string_view line) {
  return line.ends_with("\r\n") &&
         line.find_first_of(std::string_view("\r\n\0", 3)) == line.size() - 2;
}

std::string_view without_crlf(std::string_view line) {
  return line.substr(0, line.size() - 2);
}

void check_secret(const pop3::Command& command, std::string_view serialised) {
  const pop3::CommandSpec& spec = spec_of(command.verb);
  const auto range = pop3::secret_range(command);
  if (spec.secret_arg < 0 || static_cast<std::size_t>(spec.secret_arg) >= command.args.size()) {
    FUZZ_CHECK(!range);
    return;
  }
  const std::string& secret = command.args[static_cast<std::size_t>(spec.secret_arg)];
  FUZZ_CHECK(range.has_value());
  FUZZ_CHECK(range->offset + range->length <= serialised.size());
  FUZZ_CHECK(serialised.substr(range->offset, range->length) == secret);
  // describe() is what logs show: it must not show the secret. Only a long secret that no
  // other argument contains can be looked for without false alarms.
  bool shared =
      secret.size() < 12 || verb_name(command.verb).find(secret) != std::string_view::npos;
  for (std::size_t i = 0; i < command.args.size(); ++i)
    if (static_cast<int>(i) != spec.secret_arg && command.args[i].find(secret) != std::string::npos)
      shared = true;
  // A secret that describe() shows even with the secret replaced is fixed wording
  // (a "secret" of "PASS <redact" is in "PASS <redacted>").
  pop3::Command blanked = command;
  blanked.args[static_cast<std::size_t>(spec.secret_arg)].assign(1, '\x01');
  if (describe(blanked).find(secret) != std::string::npos) shared = true;
  if (!shared) FUZZ_CHECK(describe(command).find(secret) == std::string::npos);
}

void check_parsed_line(std::string_view line) {
  auto parsed = pop3::parse_command(line);
  if (const auto* error = std::get_if<pop3::ParseError>(&parsed)) {
    FUZZ_CHECK(!error->message.empty());
    // "never echoes a secret": the text of a refused PASS goes back to the client and into logs.
    if (line.size() > 5 + 12 && (line.starts_with("PASS ") || line.starts_with("pass "))) {
      const std::string_view secret = line.substr(5);
      FUZZ_CHECK(error->message.find(secret) == std::string::npos);
    }
    return;
  }
  const pop3::Command& command = std::get<pop3::Command>(parsed);
  FUZZ_CHECK(line.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos);
  FUZZ_CHECK(pop3::parse_verb(pop3::verb_name(command.verb)) == command.verb);
  const pop3::CommandSpec& spec = spec_of(command.verb);
  FUZZ_CHECK(command.args.size() >= spec.min_args && command.args.size() <= spec.max_args);

  // parse_command() leaves the line length to the framer (255 octets with the CRLF): only
  // a line the framer can deliver must serialise again.
  if (line.size() + 2 > pop3::kMaxCommandLine) return;
  auto serialised = pop3::serialize_command(command);
  FUZZ_CHECK(std::holds_alternative<std::string>(serialised));
  const std::string& wire = std::get<std::string>(serialised);
  FUZZ_CHECK(is_single_line(wire));
  FUZZ_CHECK(wire.size() <= pop3::kMaxCommandLine);
  auto reparsed = pop3::parse_command(without_crlf(wire));
  FUZZ_CHECK(std::holds_alternative<pop3::Command>(reparsed));
  FUZZ_CHECK(std::get<pop3::Command>(reparsed) == command);
  auto again = pop3::serialize_command(std::get<pop3::Command>(reparsed));
  FUZZ_CHECK(std::holds_alternative<std::string>(again) && std::get<std::string>(again) == wire);
  check_secret(command, wire);
}

void check_built_command(std::string_view input) {
  pop3fuzz::Controls controls(input);
  pop3::Command command;
  command.verb = static_cast<pop3::Verb>(controls.byte() % pop3::kVerbCount);
  while (!controls.rest().empty() && command.args.size() < 4)
    command.args.emplace_back(controls.until('\x1f'));
  auto serialised = pop3::serialize_command(command);
  if (std::holds_alternative<pop3::ParseError>(serialised)) return;
  const std::string& wire = std::get<std::string>(serialised);
  FUZZ_CHECK(is_single_line(wire));
  FUZZ_CHECK(wire.size() <= pop3::kMaxCommandLine);
  auto reparsed = pop3::parse_command(without_crlf(wire));
  FUZZ_CHECK(std::holds_alternative<pop3::Command>(reparsed));
  FUZZ_CHECK(std::get<pop3::Command>(reparsed) == command);
  check_secret(command, wire);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = pop3fuzz::as_text(data, size);
  check_parsed_line(input);
  check_built_command(input);
  return 0;
}
