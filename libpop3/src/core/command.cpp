#include "pop3/core/command.hpp"

#include "ascii.hpp"
#include "pop3/core/command_table.hpp"
#include "pop3/core/secret.hpp"

namespace pop3 {

std::string_view verb_name(Verb verb) noexcept {
  return spec_of(verb).name;
}

std::optional<Verb> parse_verb(std::string_view keyword) noexcept {
  for (const auto& spec : command_table()) {
    if (detail::iequals(keyword, spec.name)) return spec.verb;
  }
  return std::nullopt;
}

std::string describe(const Command& command) {
  const auto& spec = spec_of(command.verb);
  std::string out(spec.name);
  for (std::size_t i = 0; i < command.args.size(); ++i) {
    out += ' ';
    if (static_cast<int>(i) == spec.secret_arg) {
      out += Secret::redacted;
    } else {
      out += command.args[i];
    }
  }
  return out;
}

}  // namespace pop3
