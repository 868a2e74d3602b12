#pragma once
// Delivering into a Maildir, the way the spec says a delivery agent must, for
// pop3-client's fetch (and for tests and labs that need a Maildir to serve).
//
//   1. create tmp/UNIQUE with O_EXCL (mode 0600) and write the message into it;
//   2. fsync the file: its bytes are on disk before any name points at it;
//   3. link it as new/UNIQUE,S=<size>,W=<wire size> (or cur/...:INFO when asked), which
//      fails rather than replace an existing message, then unlink the tmp/ name;
//   4. fsync new/ (or cur/): the delivery survives a crash once commit() returns.
// Readers look only at new/ and cur/, so a message is visible whole or not at all; an
// aborted or crashed delivery leaves at most a file in tmp/, which readers ignore.
//
// UNIQUE is "SECONDS.M<usec>P<pid>Q<counter>.HOST" (names.hpp). The S= and W= hints are
// Dovecot's: bytes on disk and octets in wire form; a reader that trusts them must still
// cope with edited files (pop3lab's reader measures instead).
//
// By default CRLF line ends are stored as LF (to_disk in line_ends.hpp), as Postfix and
// Dovecot store mail; the reader restores the wire form exactly.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace pop3::maildir {

struct WriterOptions {
  bool crlf_to_lf = true;  // false: store the bytes exactly as given
  std::string host;        // the HOST part of unique names; empty: this host's name
};

struct Delivered {
  std::filesystem::path path;   // the delivered file
  std::string unique;           // its unique name; a reader's UIDL is uidl_for(unique)
  std::uint64_t size = 0;       // bytes on disk (S=)
  std::uint64_t wire_size = 0;  // octets in wire form (W=)
};

// One delivery in progress: append the message in pieces of any size, then commit() or
// abort(). Destroying an uncommitted delivery aborts it. After append() throws, the
// delivery can only be aborted (commit() throws std::logic_error), so a message that was
// not written whole is never delivered.
class Delivery {
 public:
  Delivery(Delivery&&) noexcept;
  Delivery& operator=(Delivery&&) noexcept;
  Delivery(const Delivery&) = delete;
  Delivery& operator=(const Delivery&) = delete;
  ~Delivery();

  void append(std::string_view data);  // throws std::system_error (e.g. disk full)
  // Makes the message visible (see above) and returns where it is. Throws
  // std::system_error; if the final directory sync fails the message is delivered but
  // its durability is unknown, and the caller should not treat it as safely stored.
  Delivered commit();
  // commit() in two halves, for a caller that delivers many messages at once with a few
  // syncs for all of them instead of two each: finish() completes the file in tmp/
  // without syncing it; once every finished file is on disk (MaildirWriter::sync_files()),
  // publish() links it into new/ (or cur/) without syncing the folder, and
  // MaildirWriter::sync_folders() makes the links durable. A crash before publish()
  // leaves only tmp/ files, which readers ignore. Both throw std::system_error; publish()
  // throws std::logic_error before finish().
  void finish();
  Delivered publish();
  void abort() noexcept;  // removes the tmp/ file; nothing becomes visible
  [[nodiscard]] bool active() const noexcept;
  [[nodiscard]] std::filesystem::path tmp_path() const;  // while active

 private:
  friend class MaildirWriter;
  struct State;
  explicit Delivery(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

class MaildirWriter {
 public:
  // Creates the Maildir (tmp/, new/, cur/, mode 0700) if needed; throws std::system_error.
  explicit MaildirWriter(std::filesystem::path maildir, WriterOptions options = {});
  ~MaildirWriter();
  MaildirWriter(MaildirWriter&&) noexcept;
  MaildirWriter& operator=(MaildirWriter&&) noexcept;

  // Starts a delivery into new/, or, with a non-empty `info` (e.g. "2,S" for seen), into
  // cur/ under NAME:INFO. Throws std::invalid_argument for an info containing '/' or NUL.
  [[nodiscard]] Delivery begin(std::string_view info = {}) const;
  // begin + append + commit.
  Delivered deliver(std::string_view message, std::string_view info = {}) const;
  // For finish()/publish(): every file written on this Maildir's file system reaches the
  // disk (syncfs(2): one flush for all), then the folders' entries (fsync of new/, cur/).
  void sync_files() const;
  void sync_folders() const;

  [[nodiscard]] const std::filesystem::path& path() const noexcept;

 private:
  friend class Delivery;
  struct Dirs;
  std::shared_ptr<const Dirs> dirs_;
  WriterOptions options_;
};

}  // namespace pop3::maildir
