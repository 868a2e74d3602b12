#pragma once
// Taking a Maildir's snapshot when a session opens it. Internal to pop3::maildir.
#include <cstdint>
#include <string>
#include <vector>

#include "pop3/core/maildrop.hpp"
#include "pop3/maildir/names.hpp"
#include "pop3/maildir/size_cache.hpp"
#include "posix.hpp"

namespace pop3::maildir {

enum class Folder { Cur, New };  // Cur first: it sorts first among equals
[[nodiscard]] const char* folder_name(Folder f) noexcept;

struct Entry {
  Folder folder = Folder::Cur;
  std::string name;    // file name inside the folder, as it was last seen
  std::string unique;  // the unique name (before ':')
  posix::FileId id;    // survives renames: finds the file again after a flag change
  std::uint64_t disk_size = 0;
  DeliveryStamp stamp;
  MessageInfo info;
};

// What a reader does first (Maildir spec): new/NAME becomes cur/NAME:2,. Done as link,
// sync cur/, unlink, so that at every instant the message has at least one name on disk;
// a move interrupted half-way (both names, one file) is finished on the next open. A
// file that cannot be moved stays in new/ and is served from there. Best effort: never
// throws for a single file; throws std::system_error if new/ cannot be listed.
void accept_new(int new_fd, int cur_fd);

// Every message in cur/ (and any left in new/): regular files whose names do not start
// with '.', measured in wire octets, in delivery order, with unique UIDLs. A file that
// vanishes meanwhile is left out; one that cannot be read throws std::system_error naming
// it, because a silently missing message is worse than a clear refusal. With `sizes`, a
// file it knows unchanged is stat(2)ed, not opened and read (size_cache.hpp).
[[nodiscard]] std::vector<Entry> take_snapshot(int cur_fd, int new_fd, SizeCache* sizes = nullptr);

// Reads an open message once and returns its wire size (bytes read in `disk_size`).
[[nodiscard]] std::uint64_t measure(int fd, std::uint64_t& disk_size, const std::string& what);

}  // namespace pop3::maildir
