#pragma once
// pop3-server's maildrops: one Maildir per user, found by a path function.
//
// The default maps USER to ROOT/USER/Maildir. A user name that cannot be one path
// component (empty, ".", "..", containing '/', NUL or a control character) has no
// maildrop, so no user name can reach outside ROOT. Opening is Maildir::open
// (maildir.hpp): lock, new/ -> cur/, snapshot. Every open shares one SizeCache (the
// options' own, or one the provider makes), so a login measures only new or changed files.
#include <filesystem>
#include <functional>
#include <optional>
#include <string_view>

#include "pop3/core/maildrop.hpp"
#include "pop3/maildir/maildir.hpp"

namespace pop3::maildir {

// Where a user's Maildir is; nullopt: this user has none (open answers Unavailable).
using MaildirPathFunction =
    std::function<std::optional<std::filesystem::path>(std::string_view user)>;

// ROOT/USER/Maildir, or nullopt for a user name that is not a safe path component.
[[nodiscard]] std::optional<std::filesystem::path> default_maildir_path(
    const std::filesystem::path& root, std::string_view user);

class MaildirProvider final : public MaildropProvider {
 public:
  // Users' Maildirs at ROOT/USER/Maildir.
  explicit MaildirProvider(std::filesystem::path root, MaildirOptions options = {});
  // Users' Maildirs wherever `path_of` says (e.g. /home/USER/Maildir, or a virtual layout
  // ROOT/DOMAIN/LOCAL). With options.create, a missing Maildir is created on first open.
  explicit MaildirProvider(MaildirPathFunction path_of, MaildirOptions options = {});

  MaildropOpen open(std::string_view user) override;
  [[nodiscard]] std::optional<std::filesystem::path> maildir_path(std::string_view user) const;

 private:
  MaildirPathFunction path_of_;
  MaildirOptions options_;
};

}  // namespace pop3::maildir
