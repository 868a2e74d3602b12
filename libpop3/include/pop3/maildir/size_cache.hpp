#pragma once
// SizeCache: the wire size of each message file, remembered across sessions so that a
// login does not read every message again (docs/performance.md).
//
// Contract: an entry is keyed by the file's inode (device, inode number) and is used only
// while the file's size, mtime and ctime (nanoseconds) are all unchanged: any write, and
// any rename or link (which change ctime), makes the next open measure the file again. A
// file whose ctime is less than `settle` before the time it was measured is not
// remembered: an edit in the same clock tick as the measurement that kept the size would
// otherwise go unnoticed (the "racy git" problem). Bounded: when `capacity` entries are
// held, the cache is emptied and refills. Thread-safe.
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>

namespace pop3::maildir {

struct FileFacts {
  std::uint64_t dev = 0;
  std::uint64_t ino = 0;
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::int64_t ctime_ns = 0;
};

class SizeCache {
 public:
  explicit SizeCache(std::size_t capacity = 1 << 18,
                     std::chrono::nanoseconds settle = std::chrono::seconds(1))
      : capacity_(capacity), settle_(settle) {}

  // The wire size measured for exactly this file, if it is known and the file unchanged.
  [[nodiscard]] std::optional<std::uint64_t> find(const FileFacts& file) const;
  // Remembers `octets` for `file` as stat(2) saw it before it was read, unless its ctime
  // is within `settle` of `now_ns` (wall-clock nanoseconds, as ctime is).
  void store(const FileFacts& file, std::uint64_t octets, std::int64_t now_ns);

  [[nodiscard]] std::size_t size() const;

 private:
  struct Value {
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
    std::int64_t ctime_ns = 0;
    std::uint64_t octets = 0;
  };
  std::size_t capacity_;
  std::chrono::nanoseconds settle_;
  mutable std::mutex mutex_;
  std::map<std::pair<std::uint64_t, std::uint64_t>, Value> entries_;
};

}  // namespace pop3::maildir
