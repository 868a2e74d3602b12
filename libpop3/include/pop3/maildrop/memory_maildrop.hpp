#pragma once
// An in-memory maildrop store, for tests, the simulator and the labs.
//
// MemoryMaildropStore holds every user's messages and implements MaildropProvider:
// open() takes the user's exclusive lock (a second open gets InUse until the first
// Maildrop is destroyed), snapshots the messages, and commit() removes the marked ones
// from the store. Messages are stored as given and served in wire form (bare LF line
// ends become CRLF, a final CRLF is added), so sizes are wire octets as RFC 1939 wants.
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "pop3/core/maildrop.hpp"

namespace pop3::maildrop {

struct StoredMessage {
  std::string uidl;
  std::string wire;  // the message in wire form
};

// The wire form of a message: every line ends in CRLF, the last one included.
[[nodiscard]] std::string to_wire_form(std::string_view message);

class MemoryMaildropStore final : public MaildropProvider {
 public:
  // Adds a message to the end of a user's maildrop; the UIDL is generated (stable and
  // unique within the store) unless given. Returns the UIDL.
  std::string deliver(const std::string& user, std::string_view message, std::string uidl = {});
  // Makes a user known with an empty maildrop.
  void add_user(const std::string& user);

  MaildropOpen open(std::string_view user) override;

  // What the store holds now (outside any session's snapshot).
  [[nodiscard]] std::vector<StoredMessage> messages(const std::string& user) const;
  [[nodiscard]] bool locked(const std::string& user) const;

  // Simulates a storage failure: the next commits remove nothing and report failure.
  void fail_commits(bool fail) { fail_commits_ = fail; }

 private:
  friend class MemoryMaildrop;
  void release(const std::string& user);
  UpdateResult remove(const std::string& user, const std::set<std::string>& uidls);

  mutable std::mutex mutex_;
  std::map<std::string, std::vector<StoredMessage>, std::less<>> users_;
  std::set<std::string, std::less<>> locked_;
  std::uint64_t next_uid_ = 1;
  bool fail_commits_ = false;
};

}  // namespace pop3::maildrop
