#include "reply_body.hpp"

namespace pop3::trace::detail {

BodySize body_size(const Reply& reply) noexcept {
  BodySize size;
  if (!reply.multiline) return size;
  // A reply carries either listing lines or message data (RETR/TOP), not both.
  for (const std::string& line : reply.lines) {
    ++size.lines;
    size.octets += line.size() + 2;
  }
  if (!reply.body.empty()) {
    size.octets += reply.body.size();
    std::size_t pos = 0;
    while (pos < reply.body.size()) {
      const auto eol = reply.body.find("\r\n", pos);
      ++size.lines;
      pos = eol == std::string::npos ? reply.body.size() : eol + 2;
    }
  }
  return size;
}

std::vector<std::string> split_body(std::string_view body) {
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (pos < body.size()) {
    const auto eol = body.find("\r\n", pos);
    if (eol == std::string_view::npos) {
      lines.emplace_back(body.substr(pos));
      break;
    }
    lines.emplace_back(body.substr(pos, eol - pos));
    pos = eol + 2;
  }
  return lines;
}

}  // namespace pop3::trace::detail
