#include "pop3/maildir/layout.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <vector>

#include "posix.hpp"

namespace pop3::maildir {

namespace fs = std::filesystem;

bool is_maildir(const fs::path& dir) {
  std::error_code ec;
  return fs::is_directory(dir / "cur", ec) && fs::is_directory(dir / "new", ec);
}

namespace {

// mkdir with our mode; true if it created the directory, false if one was there.
bool make_directory(const fs::path& dir) {
  if (::mkdir(dir.c_str(), kDirectoryMode) == 0) return true;
  const int err = errno;
  std::error_code ec;
  if (err == EEXIST && fs::is_directory(dir, ec)) return false;
  throw posix::error(err == EEXIST ? ENOTDIR : err, "cannot create directory " + dir.string());
}

void sync_directory(const fs::path& dir) {
  int err = 0;
  auto fd = posix::open_at(AT_FDCWD, dir.string(), O_RDONLY | O_DIRECTORY, err);
  if (!fd) throw posix::error(err, "cannot open directory " + dir.string());
  if (const int e = posix::sync(fd.get()); e != 0)
    throw posix::error(e, "cannot sync directory " + dir.string());
}

}  // namespace

void ensure_maildir(const fs::path& dir) {
  const fs::path root = dir.lexically_normal();
  // Walk up to the first existing ancestor, then create downwards.
  std::vector<fs::path> missing;
  std::error_code ec;
  for (fs::path p = root; !p.empty() && !fs::exists(p, ec); p = p.parent_path()) {
    missing.push_back(p);
    if (p == p.parent_path() || !p.has_relative_path()) break;
  }
  std::vector<fs::path> created;
  for (auto it = missing.rbegin(); it != missing.rend(); ++it)
    if (make_directory(*it)) created.push_back(*it);
  for (const char* sub : {"tmp", "new", "cur"})
    if (make_directory(root / sub)) created.push_back(root / sub);
  // A new directory is durable once its parent's entry is: sync each parent once.
  std::vector<fs::path> parents;
  for (const auto& c : created) {
    fs::path parent = c.parent_path();
    if (parent.empty()) parent = ".";
    if (parents.empty() || parents.back() != parent) parents.push_back(parent);
  }
  for (const auto& p : parents)
    sync_directory(p);
}

}  // namespace pop3::maildir
