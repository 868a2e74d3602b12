#include "lock.hpp"

#include <fcntl.h>
#include <sys/file.h>

#include <cstring>
#include <mutex>
#include <set>

namespace pop3::maildir {

namespace {

struct Registry {
  std::mutex mutex;
  std::set<posix::FileId> held;
};

Registry& registry() {
  static Registry r;
  return r;
}

}  // namespace

SessionLock::Result SessionLock::acquire(int root_fd, const std::string& name,
                                         std::string& reason) {
  auto& reg = registry();
  // Someone may remove or replace the lock file between our open() and flock(); then we
  // would hold a lock on a file nobody else will open. Check and try again.
  for (int attempt = 0; attempt < 5; ++attempt) {
    int err = 0;
    auto fd = posix::open_at(root_fd, name, O_RDWR | O_CREAT | O_NOFOLLOW, err, 0600);
    if (!fd) {
      reason = "cannot open lock file " + name + ": " + std::strerror(err);
      return Result::Failed;
    }
    posix::FileStat opened;
    if (!posix::stat_fd(fd.get(), opened, err) || !opened.regular) {
      reason = "lock file " + name + " is not a regular file";
      return Result::Failed;
    }
    std::lock_guard guard(reg.mutex);
    if (reg.held.contains(opened.id)) return Result::InUse;
    int rc;
    do {
      rc = ::flock(fd.get(), LOCK_EX | LOCK_NB);
    } while (rc != 0 && errno == EINTR);
    if (rc != 0) {
      if (errno == EWOULDBLOCK) return Result::InUse;
      reason = "cannot lock " + name + ": " + std::strerror(errno);
      return Result::Failed;
    }
    posix::FileStat named;
    if (!posix::stat_at(root_fd, name, named, err) || named.id != opened.id) continue;
    reg.held.insert(opened.id);
    fd_ = std::move(fd);
    id_ = opened.id;
    return Result::Locked;
  }
  reason = "lock file " + name + " keeps being replaced";
  return Result::Failed;
}

SessionLock::~SessionLock() {
  if (!fd_) return;
  auto& reg = registry();
  std::lock_guard guard(reg.mutex);
  reg.held.erase(id_);
  fd_.reset();  // closing the last descriptor releases the flock
}

}  // namespace pop3::maildir
