#pragma once
// Dovecot-style passwd-file (the users file of pop3-server):
//
//   # comment
//   alice:{SHA512-CRYPT}$6$...
//   bob:{SCRAM-SHA-256}4096,...,...,...:1000:1000::/home/bob::   (extra fields ignored)
//
// One user per line, "name:{SCHEME}secret", then optional ':'-separated fields that this
// library ignores but keeps when it rewrites a line. '#' starts a comment line; blank
// lines are skipped; CRLF line ends are accepted. Because ':' separates fields, neither
// a user name nor a {PLAIN} password can contain one.
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "pop3/auth/credential_store.hpp"
#include "pop3/core/secret.hpp"

namespace pop3::auth {

struct PasswdFileError {
  std::size_t line = 0;  // 1-based
  std::string message;   // what is wrong; never the password field's content
};

struct PasswdFile {
  MemoryCredentialStore store;          // every well-formed line
  std::vector<PasswdFileError> errors;  // every other line (a duplicate user keeps the first)
};

[[nodiscard]] PasswdFile parse_passwd_file(std::string_view text);
// Throws std::system_error if the file cannot be read.
[[nodiscard]] PasswdFile read_passwd_file(const std::filesystem::path& path);

// Whether a name can be a passwd-file user: non-empty, printable ASCII or UTF-8, no ':',
// no whitespace or control characters, not starting with '#'.
[[nodiscard]] bool valid_passwd_user(std::string_view user) noexcept;

// The text with `user`'s password field set to `field` (e.g. from
// encode_dovecot_password()): the user's first line is rewritten in place, keeping its
// extra fields; a missing user is appended. Every other line is kept byte for byte.
// Throws std::invalid_argument for an invalid user name or a field with ':', CR, LF or
// NUL, or not of the form "{SCHEME}...".
[[nodiscard]] std::string set_passwd_entry(std::string_view text, std::string_view user,
                                           const Secret& field);
// The text without `user`'s lines.
[[nodiscard]] std::string remove_passwd_entry(std::string_view text, std::string_view user);

// set_passwd_entry() on a file, written atomically (a temporary file in the same
// directory, then rename) so a crash never leaves half a users file. A new file is
// created readable by its owner only; an existing file keeps its permissions.
// Throws std::system_error on I/O failure.
void update_passwd_file(const std::filesystem::path& path, std::string_view user,
                        const Secret& field);

}  // namespace pop3::auth
