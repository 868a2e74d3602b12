#include "mbox.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <system_error>

namespace pop3::client {

MboxWriter::MboxWriter(std::filesystem::path path) : path_(std::move(path)) {
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd_ < 0)
    throw std::system_error(errno, std::generic_category(), "opening the mbox " + path_.string());
}

MboxWriter::~MboxWriter() {
  abort();
  if (fd_ >= 0) ::close(fd_);
}

std::uint64_t MboxWriter::end_offset() const {
  struct stat st {};
  if (::fstat(fd_, &st) != 0)
    throw std::system_error(errno, std::generic_category(), "stat " + path_.string());
  return static_cast<std::uint64_t>(st.st_size);
}

void MboxWriter::begin() {
  pending_.clear();
  partial_.clear();
  active_ = true;
  const std::time_t now = std::time(nullptr);
  char date[64];
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(date, sizeof date, "%a %b %e %H:%M:%S %Y", &tm);
  pending_ = std::string("From MAILER-DAEMON ") + date + "\n";
}

void MboxWriter::quote_line(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && line[i] == '>')
    ++i;
  if (line.substr(i).starts_with("From ")) pending_ += '>';
  pending_ += line;
  pending_ += '\n';
}

void MboxWriter::append(std::string_view data) {
  partial_ += data;
  std::size_t start = 0;
  for (;;) {
    const auto lf = partial_.find('\n', start);
    if (lf == std::string::npos) break;
    std::string_view line(partial_.data() + start, lf - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    quote_line(line);
    start = lf + 1;
  }
  partial_.erase(0, start);
}

void MboxWriter::write_all(const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd_, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::system_error(errno, std::generic_category(), "writing the mbox " + path_.string());
    }
    done += static_cast<std::size_t>(n);
  }
}

void MboxWriter::commit() {
  if (!partial_.empty()) {
    quote_line(partial_);
    partial_.clear();
  }
  pending_ += '\n';
  struct flock lock {};
  lock.l_type = F_WRLCK;
  lock.l_whence = SEEK_SET;
  if (::fcntl(fd_, F_SETLKW, &lock) != 0)
    throw std::system_error(errno, std::generic_category(), "locking the mbox " + path_.string());
  const auto start = end_offset();
  try {
    write_all(pending_);
    if (::fsync(fd_) != 0)
      throw std::system_error(errno, std::generic_category(), "fsync " + path_.string());
  } catch (...) {
    // Leave no half message behind (a full disk, for instance).
    if (::ftruncate(fd_, static_cast<off_t>(start)) != 0) {
      // the journal's rollback on the next run covers this
    }
    lock.l_type = F_UNLCK;
    ::fcntl(fd_, F_SETLK, &lock);
    active_ = false;
    throw;
  }
  lock.l_type = F_UNLCK;
  ::fcntl(fd_, F_SETLK, &lock);
  pending_.clear();
  active_ = false;
}

void MboxWriter::abort() noexcept {
  pending_.clear();
  partial_.clear();
  active_ = false;
}

}  // namespace pop3::client
