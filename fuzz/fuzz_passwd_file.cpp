// The users file reader (Dovecot passwd-file, pop3/auth/passwd_file.hpp) fed arbitrary text.
//
// Invariants:
//  - every user read is a valid passwd-file user name, and its stored credential
//    re-encodes ("{SCHEME}data") to a field that parses back to the same credential;
//  - error line numbers exist, and no error message shows a password: the part of a line's
//    password field after "{SCHEME}" never appears in the messages unless it is still there
//    when that part alone is changed (it is then fixed wording, or a user name);
//  - editing is faithful: set_passwd_entry() with a user's own re-encoded field, then
//    reading again, gives every user the same credential as before; remove_passwd_entry()
//    removes that user and no other; neither throws for a field the reader accepted
//    without ':', CR, LF or NUL in it.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "invariant.hpp"
#include "pop3/auth/dovecot_scheme.hpp"
#include "pop3/auth/passwd_file.hpp"

namespace {

using Users = std::map<std::string, std::string>;  // user -> re-encoded field

Users users_of(const pop3::auth::PasswdFile& file) {
  Users users;
  for (const auto& user : file.store.users()) {
    FUZZ_CHECK(pop3::auth::valid_passwd_user(user));
    const auto credential = file.store.lookup(user);
    FUZZ_CHECK(credential.has_value());
    const std::string field(pop3::auth::encode_dovecot_credential(*credential).reveal());
    const auto reparsed = pop3::auth::parse_dovecot_password(field);
    FUZZ_CHECK(reparsed.credential.has_value());
    FUZZ_CHECK(pop3::auth::encode_dovecot_credential(*reparsed.credential).reveal() == field);
    users.emplace(user, field);
  }
  return users;
}

std::size_t count_lines(std::string_view text) {
  std::size_t lines = 0;
  for (std::size_t at = 0; at < text.size(); ++lines) {
    const std::size_t lf = text.find('\n', at);
    at = lf == std::string_view::npos ? text.size() : lf + 1;
  }
  return lines;
}

std::string messages_of(const pop3::auth::PasswdFile& file) {
  std::string messages;
  for (const auto& error : file.errors)
    messages += error.message + "\n";
  return messages;
}

// Where each line's secret is: the password field after "{SCHEME}" ("name:{SCHEME}secret:x").
std::vector<std::pair<std::size_t, std::size_t>> secrets_of(std::string_view text) {
  std::vector<std::pair<std::size_t, std::size_t>> secrets;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t lf = text.find('\n', at);
    const std::size_t end = lf == std::string_view::npos ? text.size() : lf;
    const std::string_view line = text.substr(at, end - at);
    const std::size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
      std::size_t from = colon + 1;
      std::size_t to = line.find(':', from);
      if (to == std::string_view::npos) to = line.size();
      const std::size_t brace = line.substr(from, to - from).find('}');
      if (brace != std::string_view::npos) from += brace + 1;
      secrets.emplace_back(at + from, to - from);
    }
    at = end + 1;
  }
  return secrets;
}

// Another letter or digit in the same class, so the secret's shape stays the same.
char shifted(char c) {
  if (c >= 'a' && c <= 'z') return c == 'z' ? 'a' : static_cast<char>(c + 1);
  if (c >= 'A' && c <= 'Z') return c == 'Z' ? 'A' : static_cast<char>(c + 1);
  if (c >= '0' && c <= '9') return c == '9' ? '0' : static_cast<char>(c + 1);
  return c;
}

// Differential, one secret at a time: the same file with that secret's letters and digits
// shifted (its shape, and so the kind of error it causes, stays the same). If the secret is
// in the messages of the original but not in those of the changed file, it came from the
// secret itself; text that is in both is fixed wording ("octets of base64") or a user name.
void check_no_password_in_errors(std::string_view text, const pop3::auth::PasswdFile& file) {
  const std::string original = messages_of(file);
  std::size_t checked = 0;
  for (const auto& [offset, length] : secrets_of(text)) {
    const std::string_view secret = text.substr(offset, length);
    if (secret.size() < 8 || original.find(secret) == std::string::npos) continue;
    if (++checked > 8) break;  // each check is a full reparse
    std::string changed(text);
    for (std::size_t i = offset; i < offset + length; ++i)
      changed[i] = shifted(changed[i]);
    const std::string other = messages_of(pop3::auth::parse_passwd_file(changed));
    FUZZ_CHECK(other.find(secret) != std::string::npos);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = pop3fuzz::as_text(data, size);
  const auto file = pop3::auth::parse_passwd_file(text);
  const std::size_t lines = count_lines(text);
  for (const auto& error : file.errors)
    FUZZ_CHECK(error.line >= 1 && error.line <= lines);
  check_no_password_in_errors(text, file);
  const Users users = users_of(file);

  // Editing round trips, for the first few users (each costs a full reparse).
  std::size_t edited = 0;
  for (const auto& [user, field] : users) {
    if (++edited > 3) break;
    if (field.find_first_of(std::string_view(":\r\n\0", 4)) != std::string::npos) continue;
    const std::string rewritten = pop3::auth::set_passwd_entry(text, user, pop3::Secret(field));
    FUZZ_CHECK(users_of(pop3::auth::parse_passwd_file(rewritten)) == users);

    const std::string removed = pop3::auth::remove_passwd_entry(text, user);
    Users expected = users;
    expected.erase(user);
    FUZZ_CHECK(users_of(pop3::auth::parse_passwd_file(removed)) == expected);
  }
  return 0;
}
