#include "pop3/auth/credential_store.hpp"

namespace pop3::auth {

bool MemoryCredentialStore::add(std::string user, StoredCredential credential) {
  return users_.try_emplace(std::move(user), std::move(credential)).second;
}

void MemoryCredentialStore::set(std::string user, StoredCredential credential) {
  users_.insert_or_assign(std::move(user), std::move(credential));
}

bool MemoryCredentialStore::remove(std::string_view user) {
  const auto it = users_.find(user);
  if (it == users_.end()) return false;
  users_.erase(it);
  return true;
}

std::optional<StoredCredential> MemoryCredentialStore::lookup(std::string_view user) const {
  const auto it = users_.find(user);
  if (it == users_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> MemoryCredentialStore::users() const {
  std::vector<std::string> out;
  out.reserve(users_.size());
  for (const auto& entry : users_)
    out.push_back(entry.first);
  return out;
}

}  // namespace pop3::auth
