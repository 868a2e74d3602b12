#include "pop3/maildir/size_cache.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "pop3/maildir/provider.hpp"
#include "temp_maildir.hpp"

using namespace maildirtest;
using namespace std::chrono_literals;
using pop3::maildir::FileFacts;
using pop3::maildir::MaildirOptions;
using pop3::maildir::MaildirProvider;
using pop3::maildir::SizeCache;

namespace {

constexpr std::int64_t kSecond = 1'000'000'000;

FileFacts file(std::uint64_t ino, std::uint64_t size, std::int64_t mtime, std::int64_t ctime) {
  return {1, ino, size, mtime, ctime};
}

std::uint64_t size_of_first(MaildirProvider& provider) {
  auto open = provider.open("u");
  REQUIRE(open.outcome == pop3::MaildropOpen::Outcome::Opened);
  REQUIRE(open.maildrop->count() == 1);
  return open.maildrop->info(1).octets;
}

}  // namespace

TEST_CASE("a remembered size is used only while inode, size, mtime and ctime are all unchanged") {
  SizeCache cache;
  const FileFacts f = file(7, 100, 10 * kSecond, 10 * kSecond);
  cache.store(f, 104, 20 * kSecond);
  CHECK(cache.find(f) == 104u);
  CHECK_FALSE(cache.find(file(8, 100, 10 * kSecond, 10 * kSecond)).has_value());
  CHECK_FALSE(cache.find(file(7, 101, 10 * kSecond, 10 * kSecond)).has_value());
  CHECK_FALSE(cache.find(file(7, 100, 10 * kSecond + 1, 10 * kSecond)).has_value());
  CHECK_FALSE(cache.find(file(7, 100, 10 * kSecond, 10 * kSecond + 1)).has_value());
}

TEST_CASE("a file changed less than the settle time before its measurement is not remembered") {
  SizeCache cache(16, 1s);
  const FileFacts f = file(7, 100, 10 * kSecond, 10 * kSecond);
  cache.store(f, 104, 10 * kSecond + kSecond / 2);
  CHECK_FALSE(cache.find(f).has_value());
  cache.store(f, 104, 11 * kSecond);
  CHECK(cache.find(f) == 104u);
}

TEST_CASE("the cache empties itself when full instead of growing") {
  SizeCache cache(2, 0s);
  cache.store(file(1, 1, 0, 0), 2, 0);
  cache.store(file(2, 1, 0, 0), 2, 0);
  CHECK(cache.size() == 2);
  cache.store(file(3, 1, 0, 0), 2, 0);
  CHECK(cache.size() == 1);
  CHECK(cache.find(file(3, 1, 0, 0)) == 2u);
}

TEST_CASE(
    "a message edited in place is measured again on the next open, even at the same disk size") {
  TempDir temp;
  const fs::path dir = temp.root() / "u" / "Maildir";
  make_maildir(dir);
  const fs::path message = dir / "cur" / "1700000000.m:2,";
  write_file(message, "a\nb\n");  // 4 octets on disk, 6 on the wire
  MaildirOptions options;
  options.size_cache = std::make_shared<SizeCache>(16, 0s);  // remember at once
  MaildirProvider provider(temp.root(), options);
  CHECK(size_of_first(provider) == 6);
  CHECK(options.size_cache->size() == 1);
  CHECK(size_of_first(provider) == 6);  // from the cache
  // Past the file system's timestamp tick, so the edit changes mtime and ctime.
  std::this_thread::sleep_for(50ms);
  write_file(message, "ab\r\n");  // still 4 octets on disk, now 4 on the wire
  CHECK(size_of_first(provider) == 4);
}
