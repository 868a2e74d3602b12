#include "pop3/maildir/maildir.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <optional>
#include <stdexcept>

#include "lock.hpp"
#include "message_stream.hpp"
#include "pop3/maildir/layout.hpp"
#include "snapshot.hpp"

namespace pop3::maildir {

struct Maildir::State {
  SessionLock lock;  // first member: released last, after everything else is closed
  std::filesystem::path path;
  posix::UniqueFd root;
  posix::UniqueFd cur;
  posix::UniqueFd fresh;  // new/
  std::vector<Entry> entries;
  std::vector<bool> deleted;

  [[nodiscard]] int dir(Folder f) const noexcept {
    return f == Folder::Cur ? cur.get() : fresh.get();
  }
  [[nodiscard]] Entry& entry(std::size_t number) {
    if (number == 0 || number > entries.size())
      throw std::out_of_range("no message " + std::to_string(number) + " in this maildrop");
    return entries[number - 1];
  }
  // Finds a message that is no longer under the name the snapshot saw: another program
  // changed its flags (renamed it in cur/) or moved it from new/. Same unique name and
  // same inode means same message. Updates the entry; false if the message is gone.
  bool relocate(Entry& e) const {
    for (const Folder f : {Folder::Cur, Folder::New}) {
      std::vector<posix::DirEntry> names;
      try {
        names = posix::list_dir(dir(f), "cannot list folder");
      } catch (const std::system_error&) {
        continue;
      }
      for (const auto& candidate : names) {
        if (unique_part(candidate.name) != e.unique) continue;
        posix::FileStat st;
        int err = 0;
        if (posix::stat_at(dir(f), candidate.name, st, err) && st.id == e.id) {
          e.folder = f;
          e.name = candidate.name;
          return true;
        }
      }
    }
    return false;
  }
};

namespace {

MaildropOpen unavailable(std::string reason) {
  return {MaildropOpen::Outcome::Unavailable, nullptr, std::move(reason)};
}

std::string describe(const Entry& e) {
  return std::string(folder_name(e.folder)) + "/" + e.name;
}

}  // namespace

MaildropOpen Maildir::open(const std::filesystem::path& dir, const MaildirOptions& options) {
  if (options.create) {
    try {
      ensure_maildir(dir);
    } catch (const std::exception& e) {
      return unavailable(std::string("cannot create Maildir: ") + e.what());
    }
  }
  auto state = std::make_unique<State>();
  state->path = dir;
  int err = 0;
  state->root = posix::open_at(AT_FDCWD, dir.string(), O_RDONLY | O_DIRECTORY, err);
  if (!state->root) {
    if (err == ENOENT) return unavailable("no maildrop");
    return unavailable("cannot open Maildir " + dir.string() + ": " + std::strerror(err));
  }
  for (auto [fd, name] : {std::pair{&state->cur, "cur"}, std::pair{&state->fresh, "new"}}) {
    *fd = posix::open_at(state->root.get(), name, O_RDONLY | O_DIRECTORY, err);
    if (!*fd) {
      if (err == ENOENT || err == ENOTDIR)
        return unavailable("no maildrop (" + dir.string() + " has no " + name + "/ directory)");
      return unavailable("cannot open " + dir.string() + "/" + name + ": " + std::strerror(err));
    }
  }
  std::string reason;
  switch (state->lock.acquire(state->root.get(), options.lock_file, reason)) {
    case SessionLock::Result::Locked:
      break;
    case SessionLock::Result::InUse:
      return {MaildropOpen::Outcome::InUse, nullptr, "maildrop is in use by another session"};
    case SessionLock::Result::Failed:
      return unavailable(reason);
  }
  try {
    accept_new(state->fresh.get(), state->cur.get());
    state->entries = take_snapshot(state->cur.get(), state->fresh.get(), options.size_cache.get());
  } catch (const std::system_error& e) {
    return unavailable(dir.string() + ": " + e.what());
  }
  state->deleted.assign(state->entries.size(), false);
  return {
      MaildropOpen::Outcome::Opened, std::unique_ptr<Maildrop>(new Maildir(std::move(state))), {}};
}

Maildir::Maildir(std::unique_ptr<State> state) : state_(std::move(state)) {}
Maildir::~Maildir() = default;

std::size_t Maildir::count() const noexcept {
  return state_->entries.size();
}

const MessageInfo& Maildir::info(std::size_t number) const {
  return state_->entry(number).info;
}

bool Maildir::is_deleted(std::size_t number) const {
  (void)state_->entry(number);
  return state_->deleted[number - 1];
}

void Maildir::mark_deleted(std::size_t number) {
  (void)state_->entry(number);
  state_->deleted[number - 1] = true;
}

void Maildir::unmark_all() {
  state_->deleted.assign(state_->entries.size(), false);
}

std::unique_ptr<MessageStream> Maildir::open_message(std::size_t number) {
  Entry& e = state_->entry(number);
  int err = 0;
  auto fd = posix::open_at(state_->dir(e.folder), e.name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK, err);
  if (!fd && err == ENOENT && state_->relocate(e))
    fd = posix::open_at(state_->dir(e.folder), e.name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK, err);
  const std::string what = "message " + std::to_string(number) + " (" + describe(e) + ")";
  if (!fd) throw posix::error(err, "cannot open " + what);
  posix::FileStat st;
  if (!posix::stat_fd(fd.get(), st, err)) throw posix::error(err, "cannot stat " + what);
  if (st.id != e.id || st.size != e.disk_size)
    throw posix::error(EIO, what + " changed since the session began");
  return std::make_unique<FileMessageStream>(std::move(fd), e.info.octets, what);
}

UpdateResult Maildir::commit() {
  UpdateResult result;
  bool touched[2] = {false, false};
  auto fail = [&](const std::string& what, int err) {
    ++result.failed;
    if (!result.error.empty()) result.error += "; ";
    result.error += what + ": " + std::strerror(err);
  };
  for (std::size_t i = 0; i < state_->entries.size(); ++i) {
    if (!state_->deleted[i]) continue;
    Entry& e = state_->entries[i];
    auto unlink = [&] {
      return ::unlinkat(state_->dir(e.folder), e.name.c_str(), 0) == 0 ? 0 : errno;
    };
    int err = unlink();
    if (err == ENOENT && state_->relocate(e)) err = unlink();
    if (err == 0) {
      touched[static_cast<int>(e.folder)] = true;
      ++result.removed;
    } else if (err == ENOENT) {
      ++result.removed;  // someone else removed it first: it is gone, as asked
    } else {
      fail("cannot remove " + describe(e), err);
    }
  }
  for (const Folder f : {Folder::Cur, Folder::New}) {
    if (!touched[static_cast<int>(f)]) continue;
    if (const int err = posix::sync(state_->dir(f)); err != 0) {
      if (!result.error.empty()) result.error += "; ";
      result.error += std::string("cannot sync ") + folder_name(f) + "/: " + std::strerror(err);
    }
  }
  return result;
}

const std::filesystem::path& Maildir::path() const noexcept {
  return state_->path;
}

std::string Maildir::file_name(std::size_t number) const {
  return describe(state_->entry(number));
}

}  // namespace pop3::maildir
