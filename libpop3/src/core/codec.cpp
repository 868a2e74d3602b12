#include "pop3/core/codec.hpp"

#include <utility>

#include "ascii.hpp"
#include "pop3/core/command_table.hpp"
#include "pop3/core/dot_stuffing.hpp"

namespace pop3 {
namespace {

ParseError error(Errc code, std::string message) {
  return {code, std::move(message)};
}

std::string usage(const CommandSpec& spec) {
  return "usage: " + std::string(spec.synopsis) + " (" + std::string(spec.rfc) + ")";
}

// The argument rules of the table, shared by the parser (server side) and the
// serialiser (client side) so the two can never disagree.
std::optional<ParseError> check_arguments(const CommandSpec& spec,
                                          const std::vector<std::string>& args) {
  if (args.size() < spec.min_args || args.size() > spec.max_args)
    return error(Errc::wrong_arguments, usage(spec));
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (detail::has_line_break_or_nul(arg))
      return error(Errc::crlf_injection, "arguments must not contain CR, LF or NUL");
    const ArgKind kind = i == 0 ? spec.arg1 : spec.arg2;
    if (arg.empty()) return error(Errc::wrong_arguments, usage(spec));
    if (kind != ArgKind::RestOfLine && arg.find(' ') != std::string::npos)
      return error(Errc::wrong_arguments, usage(spec));
    switch (kind) {
      case ArgKind::None:
      case ArgKind::RestOfLine:
      case ArgKind::LongWord:
        break;
      case ArgKind::Word:
        if (arg.size() > kMaxArgument)
          return error(Errc::argument_too_long, "argument longer than 40 octets (RFC 2449 §3)");
        break;
      case ArgKind::MessageNumber: {
        auto n = detail::parse_decimal(arg);
        if (!n || *n == 0)
          return error(Errc::bad_message_number,
                       "\"" + arg.substr(0, 20) + "\" is not a message number (they start at 1)");
        break;
      }
      case ArgKind::LineCount:
        if (!detail::parse_decimal(arg))
          return error(Errc::wrong_arguments, "the line count must be a number: " + usage(spec));
        break;
    }
  }
  return std::nullopt;
}

}  // namespace

std::variant<Command, ParseError> parse_command(std::string_view line) {
  if (detail::has_line_break_or_nul(line))
    return error(Errc::invalid_character, "NUL, CR or LF inside the command line");
  if (line.empty()) return error(Errc::empty_command, "empty command");
  const std::size_t space = line.find(' ');
  const std::string_view keyword = line.substr(0, space);
  const auto verb = parse_verb(keyword);
  if (!verb) {
    // Not echoed: people type their password on a line of its own more often than one
    // would think, and the reply ends up in logs and traces.
    return error(Errc::unknown_command, "unknown command");
  }
  const CommandSpec& spec = spec_of(*verb);
  Command command{*verb, {}};
  if (space != std::string_view::npos) {
    std::string_view rest = line.substr(space + 1);
    if (spec.arg1 == ArgKind::RestOfLine) {
      command.args.emplace_back(rest);
    } else {
      std::size_t start = 0;
      for (;;) {
        const std::size_t next = rest.find(' ', start);
        command.args.emplace_back(rest.substr(start, next - start));
        if (next == std::string_view::npos) break;
        start = next + 1;
      }
    }
  }
  if (auto problem = check_arguments(spec, command.args)) return *problem;
  return command;
}

std::variant<std::string, ParseError> serialize_command(const Command& command) {
  const CommandSpec& spec = spec_of(command.verb);
  if (auto problem = check_arguments(spec, command.args)) return *problem;
  std::string line(spec.name);
  for (const auto& arg : command.args) {
    line += ' ';
    line += arg;
  }
  line += "\r\n";
  if (line.size() > kMaxCommandLine)
    return error(Errc::line_too_long, "command line longer than 255 octets (RFC 2449 §4)");
  return line;
}

std::optional<ByteRange> secret_range(const Command& command) {
  const CommandSpec& spec = spec_of(command.verb);
  if (spec.secret_arg < 0) return std::nullopt;
  const auto index = static_cast<std::size_t>(spec.secret_arg);
  if (index >= command.args.size()) return std::nullopt;
  std::size_t offset = spec.name.size() + 1;
  for (std::size_t i = 0; i < index; ++i)
    offset += command.args[i].size() + 1;
  return ByteRange{offset, command.args[index].size()};
}

std::variant<StatusLine, ParseError> parse_status_line(std::string_view line) {
  if (detail::has_line_break_or_nul(line))
    return error(Errc::malformed_reply, "NUL, CR or LF inside a reply line");
  StatusLine status;
  std::string_view rest;
  auto starts = [&](std::string_view token) {
    return line.substr(0, token.size()) == token &&
           (line.size() == token.size() || line[token.size()] == ' ');
  };
  if (starts("+OK")) {
    status.status = Status::Ok;
    rest = line.substr(3);
  } else if (starts("-ERR")) {
    status.status = Status::Err;
    rest = line.substr(4);
  } else if (starts("+")) {
    status.status = Status::Continue;
    status.text = std::string(line.size() > 1 ? line.substr(2) : std::string_view{});
    return status;
  } else {
    return error(Errc::malformed_reply, "a reply must start with +OK or -ERR");
  }
  if (!rest.empty()) rest.remove_prefix(1);
  if (!rest.empty() && rest.front() == '[') {
    const std::size_t close = rest.find(']');
    if (close != std::string_view::npos && close > 1) {
      status.code = ResponseCode{std::string(rest.substr(1, close - 1))};
      rest.remove_prefix(close + 1);
      if (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    }
  }
  status.text = std::string(rest);
  return status;
}

std::string serialize_status_line(Status status, const std::optional<ResponseCode>& code,
                                  std::string_view text) {
  std::string line(status_token(status));
  if (status == Status::Continue) {
    line += ' ';
    line += text;
  } else {
    if (code) {
      line += " [";
      line += code->text;
      line += ']';
    }
    if (!text.empty()) {
      line += ' ';
      line += text;
    }
  }
  line += "\r\n";
  return line;
}

std::string serialize_reply(const Reply& reply) {
  std::string out = serialize_status_line(reply.status, reply.code, reply.text);
  if (!reply.multiline) return out;
  DotEncoder encoder;
  if (!reply.lines.empty()) {
    for (const auto& line : reply.lines) {
      encoder.encode(line, out);
      encoder.encode("\r\n", out);
    }
  } else {
    encoder.encode(reply.body, out);
  }
  encoder.finish(out);
  return out;
}

namespace {

// "N REST": the number and what follows the single space.
std::optional<std::pair<std::uint64_t, std::string_view>> numbered(std::string_view text) {
  const std::size_t space = text.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  const auto number = detail::parse_decimal(text.substr(0, space));
  if (!number) return std::nullopt;
  return std::pair{*number, text.substr(space + 1)};
}

std::string_view first_word(std::string_view text) {
  return text.substr(0, text.find(' '));
}

}  // namespace

std::optional<ScanListing> parse_scan_listing(std::string_view text) {
  const auto n = numbered(text);
  if (!n) return std::nullopt;
  const auto octets = detail::parse_decimal(first_word(n->second));
  if (!octets) return std::nullopt;
  return ScanListing{n->first, *octets};
}

std::optional<UniqueIdListing> parse_unique_id_listing(std::string_view text) {
  const auto n = numbered(text);
  if (!n) return std::nullopt;
  const std::string_view id = first_word(n->second);
  if (id.empty()) return std::nullopt;
  for (const char c : id)
    if (c < 0x21 || c > 0x7E) return std::nullopt;
  return UniqueIdListing{n->first, std::string(id)};
}

std::optional<std::string> apop_timestamp(std::string_view greeting_text) {
  const std::size_t open = greeting_text.find('<');
  if (open == std::string_view::npos) return std::nullopt;
  const std::size_t close = greeting_text.find('>', open);
  if (close == std::string_view::npos) return std::nullopt;
  std::string_view stamp = greeting_text.substr(open, close - open + 1);
  if (stamp.size() < 3 || stamp.find(' ') != std::string_view::npos) return std::nullopt;
  return std::string(stamp);
}

}  // namespace pop3
