#pragma once
// The exclusive session lock on one Maildir: flock(2) on a lock file in its root.
//
// flock locks belong to an open file description, so two open()s of the lock file
// conflict even inside one process, and another process (a second server, Dovecot's
// tools run by hand) is kept out the same way. On NFS, Linux emulates flock with POSIX
// record locks, which never conflict within one process; a registry of the lock files
// this process holds makes the in-process case independent of the filesystem.
// Internal to pop3::maildir.
#include <string>

#include "posix.hpp"

namespace pop3::maildir {

class SessionLock {
 public:
  enum class Result { Locked, InUse, Failed };

  SessionLock() = default;
  SessionLock(SessionLock&&) = delete;
  SessionLock& operator=(SessionLock&&) = delete;
  ~SessionLock();

  // Creates (mode 0600) and locks `name` inside the directory root_fd, without waiting.
  // On Failed, `reason` says why.
  Result acquire(int root_fd, const std::string& name, std::string& reason);

 private:
  posix::UniqueFd fd_;
  posix::FileId id_;
};

}  // namespace pop3::maildir
