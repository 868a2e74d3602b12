#pragma once
// What TAB offers in the shell: the commands legal in the session's current state (the
// POP3 verbs from the state table, plus the shell's own commands), and after `help`,
// `auth` or `raw`, what can follow them. Pure functions; shell_input.cpp hooks them to
// libedit.
#include <string>
#include <string_view>
#include <vector>

#include "pop3/core/capability.hpp"
#include "pop3/core/state.hpp"

namespace pop3::client {

// The shell's own commands usable in a state, lower case ("login", "caps", ...).
[[nodiscard]] std::vector<std::string> shell_commands_for(State state);

// Every command a person can type in a state: the legal POP3 verbs (upper case) and
// the shell's commands (lower case).
[[nodiscard]] std::vector<std::string> commands_for(State state);

struct CompletionContext {
  State state = State::Authorization;
  Capabilities capabilities;
  bool capabilities_known = false;
};

// The candidates for `word`, the word under the cursor, given the text of the line
// before it. Matching ignores case; candidates take the case of what was typed (so
// "re" offers "retr" and "RE" offers "RETR"). Sorted ignoring case; a shell command spelt
// like a POP3 verb (user, USER) is offered once, as the verb.
[[nodiscard]] std::vector<std::string> complete(const CompletionContext& context,
                                                std::string_view before, std::string_view word);

}  // namespace pop3::client
