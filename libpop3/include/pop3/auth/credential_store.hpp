#pragma once
// Where a server looks users up. Implementations: MemoryCredentialStore (here, also
// what read_passwd_file() fills) and whatever a server wants to add (a database, ...).
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pop3/auth/credential.hpp"

namespace pop3::auth {

class CredentialStore {
 public:
  virtual ~CredentialStore() = default;
  // User names are case-sensitive, as in Dovecot's passwd-file.
  [[nodiscard]] virtual std::optional<StoredCredential> lookup(std::string_view user) const = 0;
  // Every user, in a stable order (what decides which mechanisms are offered).
  [[nodiscard]] virtual std::vector<std::string> users() const = 0;
};

// A map in memory. Not synchronised: guard it yourself if threads share it.
class MemoryCredentialStore final : public CredentialStore {
 public:
  // False (and nothing changed) if the user is already there.
  bool add(std::string user, StoredCredential credential);
  // Adds or replaces.
  void set(std::string user, StoredCredential credential);
  // False if there was no such user.
  bool remove(std::string_view user);
  [[nodiscard]] std::size_t size() const noexcept { return users_.size(); }

  [[nodiscard]] std::optional<StoredCredential> lookup(std::string_view user) const override;
  [[nodiscard]] std::vector<std::string> users() const override;

 private:
  std::map<std::string, StoredCredential, std::less<>> users_;
};

}  // namespace pop3::auth
