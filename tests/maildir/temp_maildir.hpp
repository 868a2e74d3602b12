#pragma once
// Scratch Maildirs for the tests: each under its own mkdtemp directory in the system
// temp dir, removed when the test ends.
#include <doctest/doctest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pop3/core/maildrop.hpp"

namespace maildirtest {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "pop3lab-maildir-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    root_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const fs::path& root() const { return root_; }

 private:
  fs::path root_;
};

inline void write_file(const fs::path& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  REQUIRE(out.good());
}

inline std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// File names in a directory, sorted.
inline std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir))
    names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// A bare Maildir (tmp/, new/, cur/) at `dir`.
inline void make_maildir(const fs::path& dir) {
  for (const char* sub : {"tmp", "new", "cur"})
    fs::create_directories(dir / sub);
}

// CR and LF made visible, for failure messages.
inline std::string visible(std::string_view s) {
  std::string out;
  for (const char c : s) {
    if (c == '\r')
      out += "\\r";
    else if (c == '\n')
      out += "\\n";
    else
      out.push_back(c);
  }
  return out;
}

inline std::string read_all(pop3::MessageStream& stream, std::size_t buffer_size) {
  std::string out;
  std::string buffer(buffer_size, '\0');
  while (const std::size_t n = stream.read(buffer.data(), buffer.size()))
    out.append(buffer, 0, n);
  return out;
}

inline std::unique_ptr<pop3::Maildrop> opened(pop3::MaildropOpen result) {
  INFO("reason: " << result.reason);
  REQUIRE(result.outcome == pop3::MaildropOpen::Outcome::Opened);
  REQUIRE(result.maildrop != nullptr);
  return std::move(result.maildrop);
}

}  // namespace maildirtest
