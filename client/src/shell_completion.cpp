#include "shell_completion.hpp"

#include <algorithm>
#include <cctype>

#include "help_text.hpp"
#include "pop3/auth/mechanisms.hpp"
#include "pop3/core/command.hpp"
#include "pop3/core/state_table.hpp"

namespace pop3::client {
namespace {

char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}
char upper(char c) {
  return static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
}

std::string lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = lower(c);
  return out;
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (prefix.size() > text.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (lower(text[i]) != lower(prefix[i])) return false;
  return true;
}

// The words before the cursor, split on spaces.
std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ')
      ++i;
    const std::size_t start = i;
    while (i < text.size() && text[i] != ' ')
      ++i;
    if (i > start) out.emplace_back(text.substr(start, i - start));
  }
  return out;
}

std::vector<std::string> pop3_verbs(State state) {
  std::vector<std::string> out;
  for (Verb v : legal_verbs(state))
    out.emplace_back(verb_name(v));
  return out;
}

std::vector<std::string> mechanisms(const CompletionContext& c) {
  if (c.capabilities_known && c.capabilities.has("SASL")) return c.capabilities.sasl_mechanisms();
  std::vector<std::string> out;
  for (auth::Mechanism m : auth::sasl_mechanisms_strongest_first)
    out.emplace_back(auth::mechanism_name(m));
  return out;
}

}  // namespace

std::vector<std::string> shell_commands_for(State state) {
  switch (state) {
    case State::Authorization:
      return {"login", "user", "apop", "auth", "starttls", "caps",
              "state", "help", "raw",  "quit", "exit"};
    case State::AwaitingPass:
      return {"pass", "user", "caps", "state", "help", "raw", "quit", "exit"};
    case State::Transaction:
      return {"caps", "state", "help", "raw", "quit", "exit"};
    case State::SaslExchange:  // every line is a SASL response
    case State::TlsHandshake:
    case State::Update:
    case State::Closed:
      return {};
  }
  return {};
}

std::vector<std::string> commands_for(State state) {
  std::vector<std::string> out = pop3_verbs(state);
  for (auto& s : shell_commands_for(state))
    out.push_back(std::move(s));
  return out;
}

std::vector<std::string> complete(const CompletionContext& c, std::string_view before,
                                  std::string_view word) {
  std::vector<std::string> pool;
  const auto words = words_of(before);
  if (c.state == State::SaslExchange) {
    if (words.empty()) pool = {"*"};
  } else if (words.empty()) {
    pool = commands_for(c.state);
  } else if (words.size() == 1) {
    const std::string first = lowered(words[0]);
    if (first == "help") {
      for (const auto& e : help_entries())
        pool.emplace_back(e.name);
    } else if (first == "auth") {
      pool = mechanisms(c);
    } else if (first == "login") {
      pool = mechanisms(c);
      pool.emplace_back("APOP");
      pool.emplace_back("USER");
    } else if (first == "raw") {
      pool = pop3_verbs(c.state);
    }
  } else if (words.size() == 2 && lowered(words[0]) == "raw" && lowered(words[1]) == "auth") {
    pool = mechanisms(c);
  }
  // Case follows what was typed: the first letter decides.
  const bool want_lower = !word.empty() && std::islower(static_cast<unsigned char>(word[0]));
  const bool want_upper = !word.empty() && std::isupper(static_cast<unsigned char>(word[0]));
  std::vector<std::string> out;
  for (auto& candidate : pool) {
    if (!starts_with_ci(candidate, word)) continue;
    if (want_lower) {
      for (char& ch : candidate)
        ch = lower(ch);
    } else if (want_upper) {
      for (char& ch : candidate)
        ch = upper(ch);
    }
    out.push_back(std::move(candidate));
  }
  // `user` and USER are the same word to the person typing: keep the POP3 spelling.
  std::sort(out.begin(), out.end(), [](const std::string& x, const std::string& y) {
    const std::string lx = lowered(x), ly = lowered(y);
    return lx != ly ? lx < ly : x < y;  // upper case first
  });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const std::string& x, const std::string& y) {
                          return lowered(x) == lowered(y);
                        }),
            out.end());
  return out;
}

}  // namespace pop3::client
