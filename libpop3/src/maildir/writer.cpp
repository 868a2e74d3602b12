#include "pop3/maildir/writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <stdexcept>

#include "pop3/maildir/layout.hpp"
#include "pop3/maildir/line_ends.hpp"
#include "pop3/maildir/names.hpp"
#include "posix.hpp"

namespace pop3::maildir {

struct MaildirWriter::Dirs {
  std::filesystem::path path;
  posix::UniqueFd tmp;
  posix::UniqueFd fresh;  // new/
  posix::UniqueFd cur;
};

namespace {

// The Q<counter> of unique names: distinct for every name this process makes, across
// writers and threads.
std::uint64_t next_counter() {
  static std::atomic<std::uint64_t> counter{0};
  return counter.fetch_add(1, std::memory_order_relaxed) + 1;
}

std::string fresh_unique(const std::string& host) {
  return make_unique_name(std::chrono::system_clock::now(), ::getpid(), next_counter(), host);
}

constexpr int kNameAttempts = 16;

}  // namespace

struct Delivery::State {
  std::shared_ptr<const MaildirWriter::Dirs> dirs;
  std::string host;
  std::string info;  // empty: deliver into new/
  bool convert = true;
  std::string tmp_name;
  posix::UniqueFd fd;
  DiskEncoder encoder;
  WireSizer sizer;  // over the bytes written to disk
  std::string scratch;
  bool failed = false;
  bool finished = false;  // the file is complete and closed

  // Completes the file: the encoder's tail, then (with `sync`) fsync, then close.
  void complete(bool sync) {
    if (finished) return;
    const std::string what = "tmp/" + tmp_name;
    try {
      if (convert) {
        scratch.clear();
        encoder.finish(scratch);
        write(scratch);
      }
      if (sync)
        if (const int err = posix::sync(fd.get()); err != 0)
          throw posix::error(err, "cannot sync " + what);
      if (const int err = fd.close(); err != 0) throw posix::error(err, "cannot close " + what);
    } catch (...) {
      failed = true;
      throw;
    }
    finished = true;
  }

  void write(std::string_view bytes) {
    posix::write_all(fd.get(), bytes, "cannot write tmp/" + tmp_name);
    sizer.add(bytes);
  }
  void remove_tmp() noexcept {
    fd.reset();
    (void)::unlinkat(dirs->tmp.get(), tmp_name.c_str(), 0);
  }
};

Delivery::Delivery(std::unique_ptr<State> state) : state_(std::move(state)) {}
Delivery::Delivery(Delivery&&) noexcept = default;
Delivery& Delivery::operator=(Delivery&& other) noexcept {
  if (this != &other) {
    abort();
    state_ = std::move(other.state_);
  }
  return *this;
}
Delivery::~Delivery() {
  abort();
}

bool Delivery::active() const noexcept {
  return state_ != nullptr;
}

std::filesystem::path Delivery::tmp_path() const {
  if (!state_) throw std::logic_error("delivery is not active");
  return state_->dirs->path / "tmp" / state_->tmp_name;
}

void Delivery::append(std::string_view data) {
  if (!state_) throw std::logic_error("delivery is not active");
  if (state_->failed) throw std::logic_error("delivery failed earlier; abort it");
  if (state_->finished)
    throw std::logic_error("delivery is finished: nothing more can be appended");
  try {
    if (state_->convert) {
      state_->scratch.clear();
      state_->encoder.encode(data, state_->scratch);
      state_->write(state_->scratch);
    } else {
      state_->write(data);
    }
  } catch (...) {
    state_->failed = true;
    throw;
  }
}

void Delivery::abort() noexcept {
  if (!state_) return;
  state_->remove_tmp();
  state_.reset();
}

void Delivery::finish() {
  if (!state_) throw std::logic_error("delivery is not active");
  if (state_->failed) throw std::logic_error("delivery failed earlier; abort it");
  state_->complete(false);
}

Delivered Delivery::commit() {
  if (!state_) throw std::logic_error("delivery is not active");
  if (state_->failed) throw std::logic_error("delivery failed earlier; abort it");
  state_->complete(true);
  const bool to_cur = !state_->info.empty();
  const auto dirs = state_->dirs;  // keeps the folder open past the end of the delivery
  Delivered result = publish();
  if (const int err = posix::sync(to_cur ? dirs->cur.get() : dirs->fresh.get()); err != 0)
    throw posix::error(err,
                       std::string("delivered, but cannot sync ") + (to_cur ? "cur" : "new") + "/");
  return result;
}

Delivered Delivery::publish() {
  if (!state_) throw std::logic_error("delivery is not active");
  if (state_->failed) throw std::logic_error("delivery failed earlier; abort it");
  if (!state_->finished) throw std::logic_error("delivery is not finished");
  State& s = *state_;
  const std::string tmp_what = "tmp/" + s.tmp_name;
  Delivered result;
  result.size = s.sizer.disk_size();
  result.wire_size = s.sizer.total();
  const bool to_cur = !s.info.empty();
  const int dir = to_cur ? s.dirs->cur.get() : s.dirs->fresh.get();
  const std::string hints =
      ",S=" + std::to_string(result.size) + ",W=" + std::to_string(result.wire_size);
  // The tmp/ name is unique here, but new/ may hold a name from another host or a
  // restored backup: link() refuses to replace it, and we pick another name.
  std::string unique = s.tmp_name + hints;
  std::string name;
  for (int attempt = 0;; ++attempt) {
    name = to_cur ? unique + ":" + s.info : unique;
    if (::linkat(s.dirs->tmp.get(), s.tmp_name.c_str(), dir, name.c_str(), 0) == 0) break;
    const int err = errno;
    if (err == EEXIST && attempt < kNameAttempts) {
      unique = fresh_unique(s.host) + hints;
      continue;
    }
    if (err == EPERM || err == EOPNOTSUPP || err == EMLINK || err == ENOSPC) {
      // No hard links here (or no room for a second name: tmpfs counts links against its
      // inode limit): rename, after checking the name is free (it is unique to this
      // process, so only a name collision from elsewhere could race us).
      posix::FileStat st;
      int stat_err = 0;
      if (!posix::stat_at(dir, name, st, stat_err) && stat_err == ENOENT &&
          ::renameat(s.dirs->tmp.get(), s.tmp_name.c_str(), dir, name.c_str()) == 0)
        break;
    }
    s.failed = true;
    throw posix::error(err, "cannot deliver " + tmp_what + " as " + name);
  }
  (void)::unlinkat(s.dirs->tmp.get(), s.tmp_name.c_str(), 0);  // a leftover tmp/ link is harmless
  const char* folder = to_cur ? "cur" : "new";
  result.unique = unique;
  result.path = s.dirs->path / folder / name;
  state_.reset();
  return result;
}

MaildirWriter::MaildirWriter(std::filesystem::path maildir, WriterOptions options)
    : options_(std::move(options)) {
  if (options_.host.empty()) options_.host = local_host_name();
  ensure_maildir(maildir);
  auto dirs = std::make_shared<Dirs>();
  dirs->path = std::move(maildir);
  for (auto [fd, name] : {std::pair{&dirs->tmp, "tmp"}, std::pair{&dirs->fresh, "new"},
                          std::pair{&dirs->cur, "cur"}}) {
    int err = 0;
    const std::string where = (dirs->path / name).string();
    *fd = posix::open_at(AT_FDCWD, where, O_RDONLY | O_DIRECTORY, err);
    if (!*fd) throw posix::error(err, "cannot open " + where);
  }
  dirs_ = std::move(dirs);
}

MaildirWriter::~MaildirWriter() = default;
MaildirWriter::MaildirWriter(MaildirWriter&&) noexcept = default;
MaildirWriter& MaildirWriter::operator=(MaildirWriter&&) noexcept = default;

const std::filesystem::path& MaildirWriter::path() const noexcept {
  return dirs_->path;
}

void MaildirWriter::sync_files() const {
  if (::syncfs(dirs_->tmp.get()) != 0)
    throw posix::error(errno, "cannot sync the file system of " + dirs_->path.string());
}

void MaildirWriter::sync_folders() const {
  for (auto [fd, name] : {std::pair{dirs_->fresh.get(), "new"}, std::pair{dirs_->cur.get(), "cur"}})
    if (const int err = posix::sync(fd); err != 0)
      throw posix::error(err, std::string("cannot sync ") + name + "/");
}

Delivery MaildirWriter::begin(std::string_view info) const {
  if (info.find('/') != std::string_view::npos || info.find('\0') != std::string_view::npos)
    throw std::invalid_argument("a Maildir info part cannot contain '/' or NUL");
  auto state = std::make_unique<Delivery::State>();
  state->dirs = dirs_;
  state->host = options_.host;
  state->info = std::string(info);
  state->convert = options_.crlf_to_lf;
  for (int attempt = 0;; ++attempt) {
    state->tmp_name = fresh_unique(options_.host);
    int err = 0;
    state->fd = posix::open_at(dirs_->tmp.get(), state->tmp_name,
                               O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, err, 0600);
    if (state->fd) break;
    if (err != EEXIST || attempt == kNameAttempts)
      throw posix::error(err, "cannot create tmp/" + state->tmp_name);
  }
  return Delivery(std::move(state));
}

Delivered MaildirWriter::deliver(std::string_view message, std::string_view info) const {
  Delivery delivery = begin(info);
  delivery.append(message);
  return delivery.commit();
}

}  // namespace pop3::maildir
