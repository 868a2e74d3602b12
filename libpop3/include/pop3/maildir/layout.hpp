#pragma once
// The Maildir layout:
//
//   Maildir/
//     tmp/            deliveries being written; never read
//     new/            delivered, not yet seen by a reader
//     cur/            seen by a reader; the name carries ":2,<flags>"
//     pop3lab.lock    pop3lab's session lock (see maildir.hpp)
//
// Names starting with '.' are never messages (in the root they are Maildir++ folders).
#include <filesystem>

namespace pop3::maildir {

// Directories are created owner-only: mail is private.
inline constexpr unsigned kDirectoryMode = 0700;

// True if `dir` is a directory holding cur/ and new/ directories (tmp/ is the writer's
// business; a reader does not need it).
[[nodiscard]] bool is_maildir(const std::filesystem::path& dir);

// Creates `dir` (and missing parents) with tmp/, new/ and cur/, each mode 0700, leaving
// what exists alone, and syncs every directory it created into its parent so a crash
// cannot lose the Maildir a delivery has just been made into. Throws std::system_error
// (e.g. when a part exists but is not a directory).
void ensure_maildir(const std::filesystem::path& dir);

}  // namespace pop3::maildir
