#include "posix.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <memory>

namespace pop3::maildir::posix {

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    reset();
    fd_ = other.release();
  }
  return *this;
}

int UniqueFd::release() noexcept {
  const int fd = fd_;
  fd_ = -1;
  return fd;
}

void UniqueFd::reset() noexcept {
  if (fd_ >= 0) (void)::close(release());
}

int UniqueFd::close() noexcept {
  if (fd_ < 0) return 0;
  // Linux releases the descriptor even when close() fails, so EINTR is never retried.
  return ::close(release()) == 0 ? 0 : errno;
}

std::system_error error(int err, const std::string& what) {
  return std::system_error(err, std::generic_category(), what);
}

void fail(const std::string& what) {
  throw error(errno, what);
}

UniqueFd open_at(int dirfd, const std::string& name, int flags, int& err, mode_t mode) noexcept {
  int fd;
  do {
    fd = ::openat(dirfd, name.c_str(), flags | O_CLOEXEC, mode);
  } while (fd < 0 && errno == EINTR);
  err = fd < 0 ? errno : 0;
  return UniqueFd(fd);
}

namespace {
void fill(const struct stat& st, FileStat& out) {
  out.regular = S_ISREG(st.st_mode);
  out.directory = S_ISDIR(st.st_mode);
  out.id = {static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino)};
  out.size = st.st_size > 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
  out.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  out.ctime_ns = static_cast<std::int64_t>(st.st_ctim.tv_sec) * 1'000'000'000 + st.st_ctim.tv_nsec;
}
}  // namespace

bool stat_fd(int fd, FileStat& out, int& err) noexcept {
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    err = errno;
    return false;
  }
  fill(st, out);
  err = 0;
  return true;
}

bool stat_at(int dirfd, const std::string& name, FileStat& out, int& err) noexcept {
  struct stat st {};
  if (::fstatat(dirfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    err = errno;
    return false;
  }
  fill(st, out);
  err = 0;
  return true;
}

std::size_t read_some(int fd, char* out, std::size_t capacity, const std::string& what) {
  for (;;) {
    const ssize_t n = ::read(fd, out, capacity);
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno != EINTR) fail(what);
  }
}

void write_all(int fd, std::string_view data, const std::string& what) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      fail(what);
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

int sync(int fd) noexcept {
  int rc;
  do {
    rc = ::fsync(fd);
  } while (rc != 0 && errno == EINTR);
  return rc == 0 ? 0 : errno;
}

std::vector<DirEntry> list_dir(int dirfd, const std::string& what) {
  // fdopendir takes the descriptor over, so it gets a duplicate and the caller keeps its own.
  const int dup = ::fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
  if (dup < 0) fail(what);
  std::unique_ptr<DIR, int (*)(DIR*)> dir(::fdopendir(dup), &::closedir);
  if (!dir) {
    const int err = errno;
    ::close(dup);
    throw error(err, what);
  }
  // The duplicate shares its offset with dirfd: start from the top every time.
  ::rewinddir(dir.get());
  std::vector<DirEntry> entries;
  for (;;) {
    errno = 0;
    const dirent* e = ::readdir(dir.get());
    if (e == nullptr) {
      if (errno != 0) fail(what);
      break;
    }
    const std::string_view name(e->d_name);
    if (name == "." || name == "..") continue;
    entries.push_back({std::string(name), e->d_type});
  }
  return entries;
}

}  // namespace pop3::maildir::posix
