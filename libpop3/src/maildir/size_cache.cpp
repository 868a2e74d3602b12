#include "pop3/maildir/size_cache.hpp"

namespace pop3::maildir {

std::optional<std::uint64_t> SizeCache::find(const FileFacts& file) const {
  const std::lock_guard lock(mutex_);
  const auto it = entries_.find({file.dev, file.ino});
  if (it == entries_.end()) return std::nullopt;
  const Value& v = it->second;
  if (v.size != file.size || v.mtime_ns != file.mtime_ns || v.ctime_ns != file.ctime_ns)
    return std::nullopt;
  return v.octets;
}

void SizeCache::store(const FileFacts& file, std::uint64_t octets, std::int64_t now_ns) {
  if (now_ns - file.ctime_ns < settle_.count()) return;
  const std::lock_guard lock(mutex_);
  if (entries_.size() >= capacity_) entries_.clear();
  entries_[{file.dev, file.ino}] = Value{file.size, file.mtime_ns, file.ctime_ns, octets};
}

std::size_t SizeCache::size() const {
  const std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace pop3::maildir
