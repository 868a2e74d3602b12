#include "snapshot.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <set>
#include <tuple>

#include "pop3/maildir/line_ends.hpp"
#include "pop3/maildir/names.hpp"
#include "pop3/maildir/uidl.hpp"

namespace pop3::maildir {

const char* folder_name(Folder f) noexcept {
  return f == Folder::Cur ? "cur" : "new";
}

namespace {

bool may_be_message(const posix::DirEntry& e) {
  if (e.name.empty() || e.name.front() == '.') return false;
  return e.type == DT_REG || e.type == DT_UNKNOWN;  // DT_UNKNOWN: stat decides
}

bool same_file(int dir_a, const std::string& a, int dir_b, const std::string& b) {
  posix::FileStat sa, sb;
  int err = 0;
  return posix::stat_at(dir_a, a, sa, err) && posix::stat_at(dir_b, b, sb, err) && sa.id == sb.id;
}

bool rename_if_absent(int new_fd, const std::string& name, int cur_fd, const std::string& target) {
  // Without hard links there is no atomic "create unless it exists"; we hold the session
  // lock, so only a foreign reader could race us between the check and the rename.
  posix::FileStat st;
  int err = 0;
  if (posix::stat_at(cur_fd, target, st, err) || err != ENOENT) return false;
  return ::renameat(new_fd, name.c_str(), cur_fd, target.c_str()) == 0;
}

}  // namespace

void accept_new(int new_fd, int cur_fd) {
  std::vector<std::string> linked;
  bool renamed = false;
  for (const auto& e : posix::list_dir(new_fd, "cannot list new/")) {
    if (!may_be_message(e)) continue;
    if (e.type == DT_UNKNOWN) {
      posix::FileStat st;
      int err = 0;
      if (!posix::stat_at(new_fd, e.name, st, err) || !st.regular) continue;
    }
    // A name that already has an info part keeps it.
    const std::string target = e.name.find(':') == std::string::npos ? e.name + ":2," : e.name;
    if (::linkat(new_fd, e.name.c_str(), cur_fd, target.c_str(), 0) == 0) {
      linked.push_back(e.name);
      continue;
    }
    switch (errno) {
      case EEXIST:
        // The same file under both names is a move a crash interrupted: finish it. A
        // different file under the target name stays in new/ and is served from there.
        if (same_file(new_fd, e.name, cur_fd, target)) linked.push_back(e.name);
        break;
      case EPERM:
      case EOPNOTSUPP:
      case EMLINK:
        renamed = rename_if_absent(new_fd, e.name, cur_fd, target) || renamed;
        break;
      default:
        break;  // left in new/, served from there; a foreign reader may have moved it
    }
  }
  if (linked.empty() && !renamed) return;
  // Only once cur/ holds the new names durably may the old ones go.
  if (posix::sync(cur_fd) != 0) return;
  bool unlinked = false;
  for (const auto& name : linked)
    unlinked = ::unlinkat(new_fd, name.c_str(), 0) == 0 || unlinked;
  if (unlinked || renamed) (void)posix::sync(new_fd);
}

std::uint64_t measure(int fd, std::uint64_t& disk_size, const std::string& what) {
  WireSizer sizer;
  // Not zero-filled: read(2) writes it (a 64 KiB memset per message showed in profiles).
  constexpr std::size_t kBuffer = 64 * 1024;
  const auto buffer = std::make_unique_for_overwrite<char[]>(kBuffer);
  while (const std::size_t n = posix::read_some(fd, buffer.get(), kBuffer, what))
    sizer.add(std::string_view(buffer.get(), n));
  disk_size = sizer.disk_size();
  return sizer.total();
}

namespace {

FileFacts facts(const posix::FileStat& st) {
  return {st.id.dev, st.id.ino, st.size, st.mtime_ns, st.ctime_ns};
}

std::int64_t wall_clock_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A message whose size the cache knows, found with one stat(2) and no open(2): lstat
// semantics, so a symlink or a FIFO is not regular and falls through to the full path.
bool from_cache(Folder folder, int dir_fd, const std::string& name, SizeCache& sizes,
                std::set<posix::FileId>& seen, std::vector<Entry>& out) {
  posix::FileStat st;
  int err = 0;
  if (!posix::stat_at(dir_fd, name, st, err) || !st.regular) return false;
  const auto octets = sizes.find(facts(st));
  if (!octets) return false;
  if (!seen.insert(st.id).second) return true;  // the same file, already listed from cur/
  Entry entry;
  entry.folder = folder;
  entry.name = name;
  entry.unique = std::string(unique_part(name));
  entry.id = st.id;
  entry.stamp = delivery_stamp(entry.unique);
  entry.disk_size = st.size;
  entry.info.octets = *octets;
  out.push_back(std::move(entry));
  return true;
}

void collect(Folder folder, int dir_fd, SizeCache* sizes, std::set<posix::FileId>& seen,
             std::vector<Entry>& out) {
  const std::string dir = folder_name(folder);
  for (const auto& e : posix::list_dir(dir_fd, "cannot list " + dir + "/")) {
    if (!may_be_message(e)) continue;
    if (sizes && from_cache(folder, dir_fd, e.name, *sizes, seen, out)) continue;
    const std::string what = dir + "/" + e.name;
    int err = 0;
    // O_NONBLOCK: opening a FIFO someone left here must not hang the session.
    auto fd = posix::open_at(dir_fd, e.name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK, err);
    if (!fd) {
      if (err == ENOENT || err == ELOOP) continue;  // gone meanwhile; a symlink is no message
      throw posix::error(err, "cannot open " + what);
    }
    posix::FileStat st;
    if (!posix::stat_fd(fd.get(), st, err)) throw posix::error(err, "cannot stat " + what);
    // A message linked into both folders (an interrupted move) is listed once, from cur/.
    if (!st.regular || !seen.insert(st.id).second) continue;
    Entry entry;
    entry.folder = folder;
    entry.name = e.name;
    entry.unique = std::string(unique_part(e.name));
    entry.id = st.id;
    entry.stamp = delivery_stamp(entry.unique);
    entry.info.octets = measure(fd.get(), entry.disk_size, "cannot read " + what);
    // Remembered only if the file read is the file stat(2) saw, whole.
    if (sizes && entry.disk_size == st.size)
      sizes->store(facts(st), entry.info.octets, wall_clock_ns());
    out.push_back(std::move(entry));
  }
}

// Timestamped names first, by delivery time; then by the unique name, which flag changes
// do not touch, so the order is the same in every session; cur/ before new/ among equals,
// so a message seen before keeps its plain UIDL.
bool delivered_before(const Entry& a, const Entry& b) {
  if (a.stamp.known != b.stamp.known) return a.stamp.known;
  if (a.stamp != b.stamp) return a.stamp < b.stamp;
  if (a.unique != b.unique) return natural_less(a.unique, b.unique);
  return std::tie(a.folder, a.name) < std::tie(b.folder, b.name);
}

}  // namespace

std::vector<Entry> take_snapshot(int cur_fd, int new_fd, SizeCache* sizes) {
  std::vector<Entry> entries;
  std::set<posix::FileId> seen;
  collect(Folder::Cur, cur_fd, sizes, seen, entries);
  collect(Folder::New, new_fd, sizes, seen, entries);
  std::sort(entries.begin(), entries.end(), delivered_before);
  std::set<std::string, std::less<>> used;
  for (auto& e : entries) {
    std::string uidl = uidl_for(e.unique);
    const std::string plain = uidl;
    const std::string file = std::string(folder_name(e.folder)) + "/" + e.name;
    for (int attempt = 0; used.contains(uidl); ++attempt)
      uidl = disambiguated_uidl(plain, attempt == 0 ? file : file + "#" + std::to_string(attempt));
    used.insert(uidl);
    e.info.uidl = std::move(uidl);
  }
  return entries;
}

}  // namespace pop3::maildir
