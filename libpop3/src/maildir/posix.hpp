#pragma once
// The few POSIX calls the Maildir code makes, wrapped so that every descriptor is owned,
// every EINTR is retried and every failure becomes a std::system_error naming the file.
// Internal to pop3::maildir.
#include <sys/types.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace pop3::maildir::posix {

// An owned file descriptor; closing is the destructor's job.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) noexcept : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  [[nodiscard]] int get() const noexcept { return fd_; }
  [[nodiscard]] explicit operator bool() const noexcept { return fd_ >= 0; }
  int release() noexcept;
  void reset() noexcept;
  // Closes and reports the error close() returned (after a write, it may be the first
  // sign that the data did not reach the disk).
  [[nodiscard]] int close() noexcept;

 private:
  int fd_ = -1;
};

[[nodiscard]] std::system_error error(int err, const std::string& what);
[[noreturn]] void fail(const std::string& what);  // from errno

// Identity of a file: the same message keeps it across a rename (a flag change).
struct FileId {
  std::uint64_t dev = 0;
  std::uint64_t ino = 0;
  friend bool operator==(const FileId&, const FileId&) = default;
  friend auto operator<=>(const FileId&, const FileId&) = default;
};

struct FileStat {
  bool regular = false;
  bool directory = false;
  FileId id;
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;  // st_mtim: content changes
  std::int64_t ctime_ns = 0;  // st_ctim: any change to the inode, content or name
};

// openat(2) with O_CLOEXEC always added; returns -errno-style failure through `err`.
[[nodiscard]] UniqueFd open_at(int dirfd, const std::string& name, int flags, int& err,
                               mode_t mode = 0) noexcept;
// fstat / fstatat without following a final symlink; false with `err` set on failure.
[[nodiscard]] bool stat_fd(int fd, FileStat& out, int& err) noexcept;
[[nodiscard]] bool stat_at(int dirfd, const std::string& name, FileStat& out, int& err) noexcept;

// read(2) retrying EINTR; throws on failure.
[[nodiscard]] std::size_t read_some(int fd, char* out, std::size_t capacity,
                                    const std::string& what);
// Writes everything, retrying short writes and EINTR; throws on failure.
void write_all(int fd, std::string_view data, const std::string& what);
// fsync(2) retrying EINTR; returns 0 or the errno.
[[nodiscard]] int sync(int fd) noexcept;

struct DirEntry {
  std::string name;
  unsigned char type = 0;  // d_type: DT_REG, DT_DIR, ... or DT_UNKNOWN
};
// The names in a directory, "." and ".." left out; throws on failure.
[[nodiscard]] std::vector<DirEntry> list_dir(int dirfd, const std::string& what);

}  // namespace pop3::maildir::posix
