#pragma once
// One Maildir as a POP3 maildrop (RFC 1939 §3 over https://cr.yp.to/proto/maildir.html).
//
// Maildir::open(dir):
//   1. takes the session lock: flock(2) on ROOT/pop3lab.lock, without waiting. A second
//      open, from this process or another, gets InUse until the Maildir object is
//      destroyed. The file sits in the root, like Dovecot's dovecot-pop3-session.lock:
//      MUAs read only new/ and cur/, and a dot-name there would look like a Maildir++
//      folder. Other programs that do not take this lock (MUAs, delivery agents) are
//      tolerated as Maildir allows: deliveries appear in new/ atomically and are not in
//      this session's snapshot; a foreign flag change (a rename) is followed by inode.
//   2. moves new/NAME to cur/NAME:2, (what the spec asks of a reader);
//   3. snapshots cur/: regular files not starting with '.', ordered by the delivery time
//      in the unique name (seconds, then Dovecot's .M<usec>), then by the unique name;
//      numbered from 1. Symlinks, directories and FIFOs are not messages.
//   4. measures each message in wire octets by reading it once (the ",W=" hint in a name
//      is not trusted: files get edited, and a LIST size that differs from what RETR
//      sends breaks clients). With a SizeCache in the options, a file whose inode, size,
//      mtime and ctime are those of an earlier measurement is not read again
//      (size_cache.hpp).
// UIDLs are the unique names (uidl.hpp). open_message() streams the wire form
// (line_ends.hpp) and guarantees exactly info(n).octets bytes or an exception.
// commit() unlinks the marked files: each unlink is atomic, so a message is whole or gone
// even if the process dies half-way; unmarked files are never touched, and destroying a
// Maildir without commit() deletes nothing.
#include <filesystem>
#include <memory>
#include <string>

#include "pop3/core/maildrop.hpp"
#include "pop3/maildir/size_cache.hpp"

namespace pop3::maildir {

struct MaildirOptions {
  // Create a missing Maildir (tmp/, new/, cur/, mode 0700) instead of answering
  // Unavailable.
  bool create = false;
  // The lock file, relative to the Maildir root.
  std::string lock_file = "pop3lab.lock";
  // Wire sizes remembered across opens; none: every open reads every message.
  std::shared_ptr<SizeCache> size_cache;
};

class Maildir final : public Maildrop {
 public:
  // Opened, InUse (another session holds the lock) or Unavailable (no Maildir there, or it
  // cannot be read; `reason` says which and names the file). Never throws for the state
  // of the disk.
  [[nodiscard]] static MaildropOpen open(const std::filesystem::path& dir,
                                         const MaildirOptions& options = {});

  ~Maildir() override;
  Maildir(const Maildir&) = delete;
  Maildir& operator=(const Maildir&) = delete;

  [[nodiscard]] std::size_t count() const noexcept override;
  [[nodiscard]] const MessageInfo& info(std::size_t number) const override;
  [[nodiscard]] bool is_deleted(std::size_t number) const override;
  void mark_deleted(std::size_t number) override;
  void unmark_all() override;
  // Throws std::system_error, before any byte is read, if the message is gone or is no
  // longer the file the snapshot measured (so the session can answer -ERR and go on);
  // the stream's read() throws if the file changes while it is being sent, rather than
  // end early or run long. Throws std::out_of_range for a number outside 1..count().
  std::unique_ptr<MessageStream> open_message(std::size_t number) override;
  // Unlinks every marked message. A file already gone (someone else deleted it) counts
  // as removed; a file renamed meanwhile (a flag change) is found by inode and removed.
  // Failures are counted with the error text; cur/ (and new/) are synced afterwards; a
  // failed sync is noted in `error` (the removals happened but may not survive a crash).
  UpdateResult commit() override;

  [[nodiscard]] const std::filesystem::path& path() const noexcept;
  // Where message `number` was last seen, relative to the root: "cur/NAME:2,S".
  [[nodiscard]] std::string file_name(std::size_t number) const;

 private:
  struct State;
  explicit Maildir(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace pop3::maildir
