#pragma once
// Wordlist: the candidate passwords an attacker tries, in order.
//
// File format (labs/wordlists/): UTF-8 text, one password per line; LF or CRLF line
// ends; blank lines and lines whose first character is '#' are skipped (a password that
// starts with '#' cannot be listed). Nothing else is trimmed: spaces belong to the
// password. A word seen before is skipped, so each guess is tried once.
#include <cstddef>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace pop3::attack {

class Wordlist {
 public:
  Wordlist() = default;
  Wordlist(std::initializer_list<std::string> words);
  explicit Wordlist(std::vector<std::string> words, std::string name = "inline");

  // Throws std::runtime_error naming the file when it cannot be read.
  [[nodiscard]] static Wordlist load(const std::filesystem::path& path);
  [[nodiscard]] static Wordlist parse(std::string_view text, std::string name = "text");

  [[nodiscard]] const std::vector<std::string>& words() const noexcept { return words_; }
  [[nodiscard]] std::size_t size() const noexcept { return words_.size(); }
  [[nodiscard]] bool empty() const noexcept { return words_.empty(); }
  [[nodiscard]] const std::string& name() const noexcept {
    return name_;
  }  // file name, or "inline"
  [[nodiscard]] bool contains(std::string_view word) const;
  // 1-based position of `word` (the number of guesses that finds it), 0 if absent.
  [[nodiscard]] std::size_t position(std::string_view word) const noexcept;
  [[nodiscard]] auto begin() const noexcept { return words_.begin(); }
  [[nodiscard]] auto end() const noexcept { return words_.end(); }

 private:
  void add(std::string word);
  std::vector<std::string> words_;
  std::unordered_set<std::string> seen_;
  std::string name_ = "inline";
};

}  // namespace pop3::attack
