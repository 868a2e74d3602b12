#include "pop3/maildir/provider.hpp"

#include <memory>
#include <utility>

namespace pop3::maildir {

namespace {
bool safe_component(std::string_view name) {
  if (name.empty() || name == "." || name == "..") return false;
  for (const char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '/' || byte < 0x20 || byte == 0x7F) return false;
  }
  return true;
}
}  // namespace

std::optional<std::filesystem::path> default_maildir_path(const std::filesystem::path& root,
                                                          std::string_view user) {
  if (!safe_component(user)) return std::nullopt;
  return root / std::filesystem::path(std::string(user)) / "Maildir";
}

MaildirProvider::MaildirProvider(std::filesystem::path root, MaildirOptions options)
    : MaildirProvider([root = std::move(root)](
                          std::string_view user) { return default_maildir_path(root, user); },
                      std::move(options)) {}

MaildirProvider::MaildirProvider(MaildirPathFunction path_of, MaildirOptions options)
    : path_of_(std::move(path_of)), options_(std::move(options)) {
  if (!options_.size_cache) options_.size_cache = std::make_shared<SizeCache>();
}

std::optional<std::filesystem::path> MaildirProvider::maildir_path(std::string_view user) const {
  return path_of_ ? path_of_(user) : std::nullopt;
}

MaildropOpen MaildirProvider::open(std::string_view user) {
  const auto dir = maildir_path(user);
  if (!dir) return {MaildropOpen::Outcome::Unavailable, nullptr, "no maildrop for this user"};
  return Maildir::open(*dir, options_);
}

}  // namespace pop3::maildir
