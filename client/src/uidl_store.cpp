#include "uidl_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <iterator>
#include <map>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include "pop3/core/maildrop.hpp"

namespace pop3::client {
namespace {

constexpr std::string_view kHeader = "pop3lab-uidl 1";

void sync_directory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

// "mbox:OFFSET": the mbox's size before the append, all digits; nullopt otherwise.
std::optional<std::uint64_t> mbox_offset(std::string_view target) {
  const std::string_view digits = target.substr(5);
  std::uint64_t offset = 0;
  const auto r = std::from_chars(digits.data(), digits.data() + digits.size(), offset);
  if (digits.empty() || r.ec != std::errc{} || r.ptr != digits.data() + digits.size())
    return std::nullopt;
  return offset;
}

bool delivered(const std::filesystem::path& maildir, const std::string& unique) {
  for (const char* sub : {"new", "cur"}) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(maildir / sub, ec)) {
      const std::string name = entry.path().filename().string();
      if (name.starts_with(unique) && (name.size() == unique.size() || name[unique.size()] == ',' ||
                                       name[unique.size()] == ':'))
        return true;
    }
  }
  return false;
}

}  // namespace

UidlStore::UidlStore(std::filesystem::path file, std::optional<std::filesystem::path> maildir,
                     std::optional<std::filesystem::path> mbox)
    : file_(std::move(file)) {
  std::filesystem::create_directories(file_.parent_path().empty() ? "." : file_.parent_path());
  std::map<std::string, std::string> pending;  // uidl -> target
  bool changed = false;
  {
    std::ifstream in(file_, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::istringstream lines(text);
    std::string line;
    std::size_t number = 0;
    while (std::getline(lines, line)) {
      ++number;
      if (number > 1 && lines.eof() && !text.ends_with('\n')) {
        // A last line without its LF was cut off by a crash while being written: never
        // synced, so nothing was done on its account (an entry is synced before its
        // delivery or append starts). Dropped, and the file is rewritten whole, so that the
        // next entry does not run into the fragment.
        changed = true;
        break;
      }
      if (number == 1) {
        if (line != kHeader)
          throw std::runtime_error(file_.string() + ": not a pop3lab UIDL store (first line \"" +
                                   std::string(kHeader) + "\" expected)");
        continue;
      }
      if (line.empty()) continue;
      std::istringstream words(line);
      std::string kind, uidl, target;
      words >> kind >> uidl >> target;
      std::string rest;
      const bool target_ok =
          kind == "seen" ? target.empty()
                         : target.starts_with("maildir:") ||
                               (target.starts_with("mbox:") && mbox_offset(target).has_value());
      if (!valid_uidl(uidl) || (kind != "seen" && kind != "pending") || !target_ok ||
          (words >> rest))
        throw std::runtime_error(file_.string() + ":" + std::to_string(number) +
                                 ": malformed entry");
      if (kind == "seen") {
        seen_.insert(uidl);
        pending.erase(uidl);
      } else {
        pending[uidl] = target;
      }
    }
  }
  for (const auto& [uidl, target] : pending) {
    changed = true;
    if (target.starts_with("maildir:") && maildir) {
      const std::string unique = target.substr(8);
      if (delivered(*maildir, unique)) seen_.insert(uidl);
      // The run that wrote this entry is over (killed, most likely), so its tmp/ file is
      // either half a message or a second link to one already in new/: neither is wanted.
      if (unique.find('/') == std::string::npos && unique != "." && unique != "..") {
        std::error_code ignored;
        std::filesystem::remove(*maildir / "tmp" / unique, ignored);
      }
    } else if (target.starts_with("mbox:") && mbox) {
      const std::uint64_t offset = *mbox_offset(target);  // checked when read
      std::error_code ec;
      if (std::filesystem::exists(*mbox, ec) && std::filesystem::file_size(*mbox, ec) > offset)
        std::filesystem::resize_file(*mbox, offset);
    }
  }
  if (changed || !std::filesystem::exists(file_)) rewrite();
  fd_ = ::open(file_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "opening " + file_.string());
}

UidlStore::~UidlStore() {
  if (fd_ >= 0) ::close(fd_);
}

void UidlStore::append(const std::string& line, bool sync) {
  const std::string data = line + "\n";
  if (::write(fd_, data.data(), data.size()) != static_cast<ssize_t>(data.size()))
    throw std::system_error(errno, std::generic_category(),
                            "writing the UIDL store " + file_.string());
  if (sync) this->sync();
}

void UidlStore::sync() {
  if (::fsync(fd_) != 0)
    throw std::system_error(errno, std::generic_category(),
                            "writing the UIDL store " + file_.string());
}

void UidlStore::pending(const std::string& uidl, const std::string& target, bool sync) {
  append("pending " + uidl + " " + target, sync);
}

void UidlStore::mark_seen(const std::string& uidl, bool sync) {
  append("seen " + uidl, sync);
  seen_.insert(uidl);
}

void UidlStore::retain(const std::vector<std::string>& on_server) {
  const std::set<std::string> keep(on_server.begin(), on_server.end());
  std::erase_if(seen_, [&](const std::string& u) { return !keep.contains(u); });
  rewrite();
}

void UidlStore::rewrite() {
  const auto tmp = file_.string() + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "writing " + tmp);
  std::string data = std::string(kHeader) + "\n";
  for (const auto& u : seen_)
    data += "seen " + u + "\n";
  const bool ok = ::write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size()) &&
                  ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || std::rename(tmp.c_str(), file_.c_str()) != 0)
    throw std::system_error(errno, std::generic_category(),
                            "writing the UIDL store " + file_.string());
  sync_directory(file_.parent_path().empty() ? "." : file_.parent_path());
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = ::open(file_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  }
}

}  // namespace pop3::client
