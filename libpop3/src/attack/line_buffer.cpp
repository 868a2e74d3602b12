#include "pop3/attack/line_buffer.hpp"

namespace pop3::attack {

std::vector<std::string> LineBuffer::add(std::string_view octets) {
  std::vector<std::string> lines;
  while (!octets.empty()) {
    const std::size_t room = max_line_ > pending_.size() ? max_line_ - pending_.size() : 0;
    const std::size_t lf = octets.find('\n');
    if (lf != std::string_view::npos && lf < room) {
      pending_.append(octets.substr(0, lf + 1));
      octets.remove_prefix(lf + 1);
      lines.push_back(std::move(pending_));
      pending_.clear();
    } else if (octets.size() < room) {
      pending_.append(octets);
      break;
    } else {
      // Too long without a line end: hand it out as it is.
      pending_.append(octets.substr(0, room));
      octets.remove_prefix(room);
      lines.push_back(std::move(pending_));
      pending_.clear();
    }
  }
  return lines;
}

std::string LineBuffer::take_pending() {
  std::string out = std::move(pending_);
  pending_.clear();
  return out;
}

std::string_view strip_line_end(std::string_view line) noexcept {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

}  // namespace pop3::attack
