#include "pop3/attack/wordlist.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace pop3::attack {

Wordlist::Wordlist(std::initializer_list<std::string> words) {
  for (const auto& w : words)
    add(w);
}

Wordlist::Wordlist(std::vector<std::string> words, std::string name) : name_(std::move(name)) {
  for (auto& w : words)
    add(std::move(w));
}

void Wordlist::add(std::string word) {
  if (seen_.insert(word).second) words_.push_back(std::move(word));
}

bool Wordlist::contains(std::string_view word) const {
  return seen_.contains(std::string(word));
}

std::size_t Wordlist::position(std::string_view word) const noexcept {
  const auto it = std::find(words_.begin(), words_.end(), word);
  return it == words_.end() ? 0 : static_cast<std::size_t>(it - words_.begin()) + 1;
}

Wordlist Wordlist::parse(std::string_view text, std::string name) {
  Wordlist list;
  list.name_ = std::move(name);
  while (!text.empty()) {
    const std::size_t lf = text.find('\n');
    std::string_view line = text.substr(0, lf);
    text.remove_prefix(lf == std::string_view::npos ? text.size() : lf + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    list.add(std::string(line));
  }
  return list;
}

Wordlist Wordlist::load(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read the wordlist " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw std::runtime_error("cannot read the wordlist " + path.string());
  return parse(text.str(), path.filename().string());
}

}  // namespace pop3::attack
