#pragma once
// The persistent record of which messages an account has already fetched, by UIDL, so
// `fetch --only-new` skips them. A journal, so that a run cut off at any point neither
// loses nor duplicates mail on the next run:
//
//   pop3lab-uidl 1                 the first line: format and version
//   pending UIDL maildir:UNIQUE    written (and fsynced) before a delivery is committed
//   pending UIDL mbox:OFFSET       ... or before a message is appended to an mbox
//   seen UIDL                      written (and fsynced) after it is safely stored
//
// On open, a pending entry without its "seen" is resolved: a Maildir delivery whose file
// exists in new/ or cur/ became "seen"; one that does not was never delivered (its
// half-written file in tmp/, left by a killed run, is removed either way); an mbox
// append is rolled back by truncating the mbox to OFFSET (the message will be fetched
// again). A last line without its LF, torn by a crash, was never synced and is dropped.
// docs/client.md documents the format.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace pop3::client {

class UidlStore {
 public:
  // Opens (creating the file and its directory if needed) and resolves pending entries
  // against the given Maildir or mbox. Throws std::runtime_error on a malformed file.
  UidlStore(std::filesystem::path file, std::optional<std::filesystem::path> maildir,
            std::optional<std::filesystem::path> mbox);
  ~UidlStore();

  [[nodiscard]] bool seen(const std::string& uidl) const { return seen_.contains(uidl); }
  // Each line is fsynced unless `sync` is false; then sync() makes the lines written so
  // far durable at once (a Maildir fetch writes a pipelined batch's lines and syncs once:
  // a "pending" line must be on disk before its file is linked into new/, and a "seen"
  // line may be lost, since the pending entry then resolves by the file's presence).
  void pending(const std::string& uidl, const std::string& target, bool sync = true);
  void mark_seen(const std::string& uidl, bool sync = true);
  void sync();
  // Keeps only the UIDLs still on the server (they are all that can come back), and
  // rewrites the file atomically.
  void retain(const std::vector<std::string>& on_server);
  [[nodiscard]] std::size_t size() const noexcept { return seen_.size(); }
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return file_; }

 private:
  void append(const std::string& line, bool sync);
  void rewrite();
  std::filesystem::path file_;
  std::set<std::string> seen_;
  int fd_ = -1;
};

}  // namespace pop3::client
