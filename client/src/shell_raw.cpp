// Lines sent as typed, and what the shell says about their replies.
#include <cctype>

#include "pop3/auth/base64.hpp"
#include "pop3/core/codec.hpp"
#include "pop3/core/command_table.hpp"
#include "shell_context.hpp"

namespace pop3::client {
namespace {

std::string first_word(std::string_view line) {
  return std::string(line.substr(0, line.find(' ')));
}

// A challenge for people: printable ASCII as it is, anything else as \xNN.
std::string printable(std::string_view data) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (char c : data.substr(0, 120)) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7F) {
      out += c;
    } else {
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  if (data.size() > 120) out += "...";
  return out;
}

}  // namespace

std::vector<std::string> split_words(std::string_view line) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && line[i] == ' ')
      ++i;
    const std::size_t start = i;
    while (i < line.size() && line[i] != ' ')
      ++i;
    if (i > start) out.emplace_back(line.substr(start, i - start));
  }
  return out;
}

std::string lower_case(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool line_has_secret(std::string_view line, State state) {
  if (state == State::SaslExchange) return !line.empty() && line != "*";
  std::vector<std::string> words = split_words(line);
  if (!words.empty() && lower_case(words[0]) == "raw") words.erase(words.begin());
  if (words.empty()) return false;
  const auto verb = parse_verb(words[0]);
  if (!verb) return false;
  if (*verb == Verb::Auth) return words.size() > 2;  // an initial response
  const int secret = spec_of(*verb).secret_arg;
  return secret >= 0 && words.size() > static_cast<std::size_t>(secret) + 1;
}

std::string masked_line(std::string_view line, State state) {
  if (!line_has_secret(line, state)) return std::string(line);
  if (state == State::SaslExchange) return std::string(line.size(), '*');
  // Keep the words before the secret argument (and "raw"), star the rest.
  std::vector<std::string> words = split_words(line);
  std::size_t keep = 0;
  if (lower_case(words[0]) == "raw") ++keep;
  const auto verb = parse_verb(words[keep]);
  const std::size_t secret_index =
      *verb == Verb::Auth ? 2 : static_cast<std::size_t>(spec_of(*verb).secret_arg) + 1;
  keep += secret_index;
  std::size_t pos = 0;
  for (std::size_t w = 0; w < keep; ++w) {
    pos = line.find_first_not_of(' ', pos);
    pos = line.find(' ', pos);
  }
  pos = line.find_first_not_of(' ', pos);
  if (pos == std::string_view::npos) return std::string(line);
  return std::string(line.substr(0, pos)) + std::string(line.size() - pos, '*');
}

Attempt attempt_for(const ShellContext& ctx, std::string_view line) {
  const ClientSession& s = ctx.client.session();
  Attempt a;
  a.state = s.state();
  a.sasl_response = a.state == State::SaslExchange;
  if (a.sasl_response) {
    if (line == "*") a.line = "*";  // a cancellation (any other response may hold a secret)
  } else {
    a.keyword = first_word(line);
    a.verb = parse_verb(a.keyword);
    a.line = std::string(line);
  }
  a.capabilities = s.capabilities();
  a.capabilities_known = s.capabilities_known();
  a.tls_active = s.tls_active();
  a.apop_offered = s.apop_timestamp().has_value();
  return a;
}

void report(ShellContext& ctx, const Attempt& attempt, const Reply& reply) {
  ctx.display.end(ctx.client.session().state());
  if (reply.status == Status::Err) {
    ctx.display.note("why -ERR: " + explain_refusal(attempt, reply));
  } else if (reply.status == Status::Continue) {
    const auto decoded = auth::base64_decode(reply.text);
    std::string what = reply.text.empty() ? "an empty challenge"
                       : decoded ? "a challenge that decodes to \"" + printable(*decoded) + "\""
                                 : "a challenge that is not valid base64";
    ctx.display.note("the server sent " + what +
                     ". Answer with one line of base64 (it is masked here), or * to cancel.");
  }
}

void send_raw(ShellContext& ctx, const std::string& line) {
  const Attempt attempt = attempt_for(ctx, line);
  if (attempt.verb) {
    // A line the command table accepts is announced by the session (CommandEvent); for
    // one it refuses, say here what the command would have done.
    if (std::holds_alternative<ParseError>(parse_command(line)))
      ctx.display.note(explain_command(*attempt.verb));
  } else if (attempt.sasl_response) {
    ctx.display.note(line == "*"
                         ? "cancelling the SASL exchange with \"*\" (RFC 5034 §4)"
                         : "a SASL response typed by hand (it may carry your password in base64)");
  }
  ctx.display.begin();
  const Reply reply = ctx.client.raw(line);
  report(ctx, attempt, reply);
}

}  // namespace pop3::client
