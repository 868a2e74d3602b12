#include "pop3/auth/passwd_file.hpp"

#include <cerrno>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include "ascii.hpp"
#include "openssl_util.hpp"
#include "pop3/auth/dovecot_scheme.hpp"
#include "pop3/auth/hex.hpp"
#include "pop3/auth/random.hpp"

namespace pop3::auth {

namespace {

struct Line {
  std::string_view content;  // without the line end
  std::string_view ending;   // "\n", "\r\n" or "" (last line without one)
};

std::vector<Line> split_lines(std::string_view text) {
  std::vector<Line> lines;
  while (!text.empty()) {
    const std::size_t lf = text.find('\n');
    std::string_view content = text.substr(0, lf);
    std::size_t ending_size = lf == std::string_view::npos ? 0 : 1;
    if (content.ends_with('\r') && ending_size == 1) {
      content.remove_suffix(1);
      ending_size = 2;
    }
    lines.push_back(Line{content, text.substr(content.size(), ending_size)});
    text.remove_prefix(content.size() + ending_size);
  }
  return lines;
}

bool is_blank(std::string_view s) noexcept {
  return s.find_first_not_of(" \t") == std::string_view::npos;
}

bool is_comment(std::string_view s) noexcept {
  const std::size_t first = s.find_first_not_of(" \t");
  return first != std::string_view::npos && s[first] == '#';
}

// The user an entry line is for ("" for comments, blank lines and lines without ':').
std::string_view entry_user(std::string_view line) noexcept {
  if (is_blank(line) || is_comment(line)) return {};
  const std::size_t colon = line.find(':');
  return colon == std::string_view::npos ? std::string_view{} : line.substr(0, colon);
}

void check_field(const Secret& field) {
  const std::string_view f = field.reveal();
  if (!f.starts_with('{') || f.find('}') == std::string_view::npos) {
    throw std::invalid_argument("a passwd-file password field starts with {SCHEME}");
  }
  if (f.find_first_of(std::string_view(":\r\n\0", 4)) != std::string_view::npos) {
    throw std::invalid_argument(
        "a passwd-file password field cannot contain ':', CR, LF or NUL (':' separates "
        "fields); choose a hashed scheme or another password");
  }
}

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::system_error(errno, std::generic_category(), "cannot read " + path.string());
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    throw std::system_error(errno, std::generic_category(), "cannot read " + path.string());
  }
  return std::move(buffer).str();
}

}  // namespace

bool valid_passwd_user(std::string_view user) noexcept {
  if (user.empty() || user.front() == '#') return false;
  for (const char c : user) {
    const auto b = static_cast<unsigned char>(c);
    if (b <= 0x20 || b == 0x7F || c == ':') return false;
  }
  return true;
}

PasswdFile parse_passwd_file(std::string_view text) {
  PasswdFile out;
  std::map<std::string, std::size_t, std::less<>> first_line;
  std::size_t number = 0;
  for (const Line& line : split_lines(text)) {
    ++number;
    if (is_blank(line.content) || is_comment(line.content)) continue;
    auto report = [&](std::string message) {
      out.errors.push_back(PasswdFileError{number, std::move(message)});
    };
    const std::size_t colon = line.content.find(':');
    if (colon == std::string_view::npos) {
      report("expected name:{SCHEME}password, found no ':'");
      continue;
    }
    const std::string_view user = line.content.substr(0, colon);
    if (!valid_passwd_user(user)) {
      report("invalid user name \"" + detail::printable(user) + "\"");
      continue;
    }
    const std::string shown = "user \"" + std::string(user) + "\": ";
    std::string_view field = line.content.substr(colon + 1);
    field = field.substr(0, field.find(':'));
    if (field.empty()) {
      report(shown + "no password field");
      continue;
    }
    ParsedPassword parsed = parse_dovecot_password(field);
    if (!parsed.credential) {
      report(shown + parsed.error);
      continue;
    }
    const auto [it, inserted] = first_line.try_emplace(std::string(user), number);
    if (!inserted) {
      report(shown + "already defined on line " + std::to_string(it->second) +
             "; this line is ignored");
      continue;
    }
    out.store.add(std::string(user), std::move(*parsed.credential));
  }
  return out;
}

PasswdFile read_passwd_file(const std::filesystem::path& path) {
  std::string text = read_all(path);
  PasswdFile out = parse_passwd_file(text);
  detail::wipe(text);
  return out;
}

std::string set_passwd_entry(std::string_view text, std::string_view user, const Secret& field) {
  if (!valid_passwd_user(user)) throw std::invalid_argument("invalid passwd-file user name");
  check_field(field);
  std::string out;
  bool replaced = false;
  for (const Line& line : split_lines(text)) {
    if (!replaced && entry_user(line.content) == user) {
      // Keep whatever follows the password field (uid, gid, home, extra fields).
      const std::string_view after_user = line.content.substr(user.size() + 1);
      const std::size_t colon = after_user.find(':');
      out += user;
      out += ':';
      out += field.reveal();
      if (colon != std::string_view::npos) out += after_user.substr(colon);
      out += line.ending.empty() ? std::string_view("\n") : line.ending;
      replaced = true;
      continue;
    }
    out += line.content;
    out += line.ending;
  }
  if (!replaced) {
    if (!out.empty() && !out.ends_with('\n')) out += '\n';
    out += user;
    out += ':';
    out += field.reveal();
    out += '\n';
  }
  return out;
}

std::string remove_passwd_entry(std::string_view text, std::string_view user) {
  std::string out;
  for (const Line& line : split_lines(text)) {
    if (!user.empty() && entry_user(line.content) == user) continue;
    out += line.content;
    out += line.ending;
  }
  return out;
}

void update_passwd_file(const std::filesystem::path& path, std::string_view user,
                        const Secret& field) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const bool exists = fs::exists(path, ec);
  std::string old_text = exists ? read_all(path) : std::string{};
  std::string new_text = set_passwd_entry(old_text, user, field);
  detail::wipe(old_text);

  const fs::perms perms =
      exists ? fs::status(path).permissions() : fs::perms::owner_read | fs::perms::owner_write;
  fs::path temp = path;
  temp += ".tmp-" + hex_encode(random_bytes(6));
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) {
      detail::wipe(new_text);
      throw std::system_error(errno, std::generic_category(), "cannot create " + temp.string());
    }
    // Restrict the file before the secrets go in.
    fs::permissions(temp, perms, fs::perm_options::replace, ec);
    out.write(new_text.data(), static_cast<std::streamsize>(new_text.size()));
    out.flush();
    detail::wipe(new_text);
    if (!out || ec) {
      const int error = ec ? ec.value() : errno;
      out.close();
      fs::remove(temp, ec);
      throw std::system_error(error, std::generic_category(), "cannot write " + temp.string());
    }
  }
  fs::rename(temp, path, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(temp, ignored);
    throw std::system_error(ec, "cannot replace " + path.string());
  }
}

}  // namespace pop3::auth
