#include "pop3/core/capability.hpp"

#include "ascii.hpp"

namespace pop3 {
namespace {

std::vector<std::string> split_words(std::string_view line) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && line[i] == ' ')
      ++i;
    std::size_t start = i;
    while (i < line.size() && line[i] != ' ')
      ++i;
    if (i > start) words.emplace_back(line.substr(start, i - start));
  }
  return words;
}

}  // namespace

Capabilities Capabilities::parse(const std::vector<std::string>& lines) {
  Capabilities caps;
  for (const auto& line : lines) {
    auto words = split_words(line);
    if (words.empty()) continue;
    Capability cap{detail::upper(words[0]), {}};
    const bool keep_case = cap.name == "IMPLEMENTATION";
    for (std::size_t i = 1; i < words.size(); ++i)
      cap.params.push_back(keep_case ? words[i] : detail::upper(words[i]));
    caps.add(std::move(cap));
  }
  return caps;
}

void Capabilities::add(Capability capability) {
  caps_.push_back(std::move(capability));
}

const Capability* Capabilities::find(std::string_view name) const noexcept {
  for (const auto& cap : caps_)
    if (detail::iequals(cap.name, name)) return &cap;
  return nullptr;
}

bool Capabilities::has(std::string_view name) const noexcept {
  return find(name) != nullptr;
}

std::vector<std::string> Capabilities::sasl_mechanisms() const {
  const auto* sasl = find("SASL");
  return sasl ? sasl->params : std::vector<std::string>{};
}

bool Capabilities::has_sasl(std::string_view mechanism) const noexcept {
  const auto* sasl = find("SASL");
  if (!sasl) return false;
  for (const auto& m : sasl->params)
    if (detail::iequals(m, mechanism)) return true;
  return false;
}

std::vector<std::string> Capabilities::to_lines() const {
  std::vector<std::string> lines;
  lines.reserve(caps_.size());
  for (const auto& cap : caps_) {
    std::string line = cap.name;
    for (const auto& p : cap.params) {
      line += ' ';
      line += p;
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

std::string explain_capability(const Capability& cap) {
  const std::string& n = cap.name;
  auto params = [&] {
    std::string s;
    for (const auto& p : cap.params) {
      if (!s.empty()) s += ", ";
      s += p;
    }
    return s;
  };
  if (n == "TOP")
    return "TOP: the server can send just the headers and the first lines of a message.";
  if (n == "USER")
    return "USER: log in with USER and PASS; the password crosses as typed, so only under TLS is "
           "it private.";
  if (n == "SASL") return "SASL: log in with AUTH using " + params() + " (RFC 5034).";
  if (n == "RESP-CODES")
    return "RESP-CODES: -ERR replies may carry a [CODE] that says why, so software can react (RFC "
           "2449).";
  if (n == "AUTH-RESP-CODE")
    return "AUTH-RESP-CODE: a failed login says [AUTH] when the credentials were wrong, so the "
           "client knows not to retry blindly (RFC 3206).";
  if (n == "PIPELINING")
    return "PIPELINING: the client may send several commands without waiting for each reply; "
           "replies come in order.";
  if (n == "UIDL")
    return "UIDL: every message has a unique id that stays the same across sessions, so a client "
           "can tell which messages it already has.";
  if (n == "STLS")
    return "STLS: the connection can be upgraded to TLS before logging in (RFC 2595).";
  if (n == "UTF8")
    return "UTF8: the server accepts UTF-8 after the UTF8 command (RFC 6856)" +
           std::string(cap.params.empty() ? "." : ", also in user names.");
  if (n == "EXPIRE") {
    std::string p = cap.params.empty() ? "" : cap.params[0];
    if (p == "NEVER") return "EXPIRE NEVER: the server never deletes mail on its own.";
    if (p == "0")
      return "EXPIRE 0: mail is deleted once retrieved; leaving mail on the server is not "
             "possible.";
    return "EXPIRE " + p + ": the server may delete a message " + p +
           " days after it was first retrieved.";
  }
  if (n == "LOGIN-DELAY")
    return "LOGIN-DELAY " + params() + ": wait at least this many seconds between logins.";
  if (n == "IMPLEMENTATION") return "IMPLEMENTATION: the server software is " + params() + ".";
  if (n == "LANG") return "LANG: the server can answer in other languages (RFC 6856).";
  return n + ": a capability this tool does not know" +
         (cap.params.empty() ? "." : " (" + params() + ").");
}

}  // namespace pop3
