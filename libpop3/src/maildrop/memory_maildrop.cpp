#include "pop3/maildrop/memory_maildrop.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace pop3::maildrop {

std::string to_wire_form(std::string_view message) {
  std::string wire;
  wire.reserve(message.size() + message.size() / 32 + 2);
  for (std::size_t i = 0; i < message.size(); ++i) {
    const char c = message[i];
    if (c == '\n' && (i == 0 || message[i - 1] != '\r')) wire.push_back('\r');
    wire.push_back(c);
  }
  if (!wire.empty() && !wire.ends_with("\r\n")) wire += wire.back() == '\r' ? "\n" : "\r\n";
  return wire;
}

namespace {

class StringStream final : public MessageStream {
 public:
  explicit StringStream(std::string data) : data_(std::move(data)) {}
  std::size_t read(char* out, std::size_t capacity) override {
    const std::size_t n = std::min(capacity, data_.size() - pos_);
    std::memcpy(out, data_.data() + pos_, n);
    pos_ += n;
    return n;
  }

 private:
  std::string data_;
  std::size_t pos_ = 0;
};

}  // namespace

class MemoryMaildrop final : public Maildrop {
 public:
  MemoryMaildrop(MemoryMaildropStore& store, std::string user, std::vector<StoredMessage> snapshot)
      : store_(store),
        user_(std::move(user)),
        messages_(std::move(snapshot)),
        deleted_(messages_.size(), false) {
    infos_.reserve(messages_.size());
    for (const auto& m : messages_)
      infos_.push_back({m.wire.size(), m.uidl});
  }
  ~MemoryMaildrop() override { store_.release(user_); }
  MemoryMaildrop(const MemoryMaildrop&) = delete;
  MemoryMaildrop& operator=(const MemoryMaildrop&) = delete;

  std::size_t count() const noexcept override { return messages_.size(); }
  const MessageInfo& info(std::size_t n) const override { return infos_.at(n - 1); }
  bool is_deleted(std::size_t n) const override { return deleted_.at(n - 1); }
  void mark_deleted(std::size_t n) override { deleted_.at(n - 1) = true; }
  void unmark_all() override { std::fill(deleted_.begin(), deleted_.end(), false); }
  std::unique_ptr<MessageStream> open_message(std::size_t n) override {
    return std::make_unique<StringStream>(messages_.at(n - 1).wire);
  }
  UpdateResult commit() override {
    std::set<std::string> doomed;
    for (std::size_t i = 0; i < messages_.size(); ++i)
      if (deleted_[i]) doomed.insert(messages_[i].uidl);
    return store_.remove(user_, doomed);
  }

 private:
  MemoryMaildropStore& store_;
  std::string user_;
  std::vector<StoredMessage> messages_;
  std::vector<MessageInfo> infos_;
  std::vector<bool> deleted_;
};

std::string MemoryMaildropStore::deliver(const std::string& user, std::string_view message,
                                         std::string uidl) {
  std::lock_guard lock(mutex_);
  if (uidl.empty()) {
    uidl = "mem-" + std::to_string(next_uid_++);
  } else if (!valid_uidl(uidl)) {
    throw std::invalid_argument("a UIDL is 1..70 characters in 0x21..0x7E");
  }
  auto& box = users_[user];
  for (const auto& m : box)
    if (m.uidl == uidl) throw std::invalid_argument("UIDL already used in this maildrop: " + uidl);
  box.push_back({uidl, to_wire_form(message)});
  return uidl;
}

void MemoryMaildropStore::add_user(const std::string& user) {
  std::lock_guard lock(mutex_);
  users_[user];
}

MaildropOpen MemoryMaildropStore::open(std::string_view user) {
  std::lock_guard lock(mutex_);
  auto it = users_.find(user);
  if (it == users_.end()) {
    return {MaildropOpen::Outcome::Unavailable, nullptr, "no maildrop for this user"};
  }
  if (locked_.contains(user)) {
    return {MaildropOpen::Outcome::InUse, nullptr, "maildrop locked by another session"};
  }
  locked_.insert(std::string(user));
  return {MaildropOpen::Outcome::Opened,
          std::make_unique<MemoryMaildrop>(*this, std::string(user), it->second),
          {}};
}

std::vector<StoredMessage> MemoryMaildropStore::messages(const std::string& user) const {
  std::lock_guard lock(mutex_);
  auto it = users_.find(user);
  return it == users_.end() ? std::vector<StoredMessage>{} : it->second;
}

bool MemoryMaildropStore::locked(const std::string& user) const {
  std::lock_guard lock(mutex_);
  return locked_.contains(user);
}

void MemoryMaildropStore::release(const std::string& user) {
  std::lock_guard lock(mutex_);
  locked_.erase(user);
}

UpdateResult MemoryMaildropStore::remove(const std::string& user,
                                         const std::set<std::string>& uidls) {
  std::lock_guard lock(mutex_);
  UpdateResult result;
  if (fail_commits_) {
    result.failed = uidls.size();
    if (result.failed > 0) result.error = "storage failure (simulated)";
    return result;
  }
  auto& box = users_[user];
  const auto before = box.size();
  std::erase_if(box, [&](const StoredMessage& m) { return uidls.contains(m.uidl); });
  result.removed = before - box.size();
  return result;
}

}  // namespace pop3::maildrop
