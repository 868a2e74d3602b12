#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "pop3/maildir/maildir.hpp"
#include "pop3/maildir/provider.hpp"
#include "temp_maildir.hpp"

using namespace maildirtest;
using pop3::MaildropOpen;
using pop3::maildir::Maildir;
using pop3::maildir::MaildirProvider;

namespace {

struct Mailbox {
  TempDir temp;
  fs::path dir = temp.root() / "u" / "Maildir";
  MaildirProvider provider{temp.root()};
  Mailbox() { make_maildir(dir); }
};

// In a child process: tries to take the lock on a fresh descriptor, without waiting.
// Exit status 0: got it; 1: held by someone else; 2: error.
int child_try_lock(const fs::path& lock_file) {
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const int fd = ::open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) ::_exit(2);
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) ::_exit(0);
    ::_exit(errno == EWOULDBLOCK ? 1 : 2);
  }
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  return WEXITSTATUS(status);
}

}  // namespace

TEST_CASE("a second open from the same process gets InUse until the first maildrop is destroyed") {
  Mailbox box;
  auto first = opened(box.provider.open("u"));
  const auto second = box.provider.open("u");
  CHECK(second.outcome == MaildropOpen::Outcome::InUse);
  CHECK(second.maildrop == nullptr);
  CHECK(Maildir::open(box.dir).outcome == MaildropOpen::Outcome::InUse);
  first.reset();
  CHECK(box.provider.open("u").outcome == MaildropOpen::Outcome::Opened);
}

TEST_CASE(
    "the lock is flock on pop3lab.lock in the Maildir root, mode 0600, and is left in place") {
  Mailbox box;
  {
    auto m = opened(box.provider.open("u"));
    struct stat st {};
    REQUIRE(::stat((box.dir / "pop3lab.lock").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(child_try_lock(box.dir / "pop3lab.lock") == 1);
  }
  CHECK(fs::exists(box.dir / "pop3lab.lock"));
  CHECK(child_try_lock(box.dir / "pop3lab.lock") == 0);
}

TEST_CASE(
    "a lock held by another process makes open answer InUse, and open succeeds once it is gone") {
  Mailbox box;
  int locked[2];
  int release[2];
  REQUIRE(::pipe(locked) == 0);
  REQUIRE(::pipe(release) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const int fd = ::open((box.dir / "pop3lab.lock").c_str(), O_RDWR | O_CREAT, 0600);
    if (fd < 0 || ::flock(fd, LOCK_EX) != 0) ::_exit(2);
    char c = 'L';
    if (::write(locked[1], &c, 1) != 1) ::_exit(2);
    (void)::read(release[0], &c, 1);  // hold the lock until the parent says so
    ::_exit(0);
  }
  ::close(locked[1]);
  ::close(release[0]);
  char c = 0;
  REQUIRE(::read(locked[0], &c, 1) == 1);
  const auto while_held = box.provider.open("u");
  CHECK(while_held.outcome == MaildropOpen::Outcome::InUse);
  CHECK(while_held.reason.find("in use") != std::string::npos);
  REQUIRE(::write(release[1], &c, 1) == 1);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  ::close(locked[0]);
  ::close(release[1]);
  CHECK(box.provider.open("u").outcome == MaildropOpen::Outcome::Opened);
}

TEST_CASE("the lock file name is an option") {
  Mailbox box;
  pop3::maildir::MaildirOptions options;
  options.lock_file = "custom.lock";
  auto m = opened(Maildir::open(box.dir, options));
  CHECK(fs::exists(box.dir / "custom.lock"));
  CHECK(Maildir::open(box.dir, options).outcome == MaildropOpen::Outcome::InUse);
}

TEST_CASE("a lock file that is a symlink is refused, not followed") {
  Mailbox box;
  fs::create_symlink(box.temp.root() / "elsewhere", box.dir / "pop3lab.lock");
  const auto result = box.provider.open("u");
  CHECK(result.outcome == MaildropOpen::Outcome::Unavailable);
  CHECK_FALSE(fs::exists(box.temp.root() / "elsewhere"));
}
