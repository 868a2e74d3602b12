#include "endpoint.hpp"

#include <charconv>

namespace pop3::server {

std::string Endpoint::to_string() const {
  const std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return h + ":" + std::to_string(port);
}

bool Endpoint::is_loopback() const {
  return host == "localhost" || host == "::1" || host.starts_with("127.");
}

std::optional<Endpoint> parse_endpoint(std::string_view text) {
  Endpoint ep;
  std::string_view port;
  if (text.starts_with('[')) {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return std::nullopt;
    ep.host = std::string(text.substr(1, close - 1));
    port = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    ep.host = std::string(text.substr(0, colon));
    if (ep.host.find(':') != std::string::npos) return std::nullopt;  // IPv6 needs brackets
    port = text.substr(colon + 1);
  }
  unsigned value = 0;
  auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc{} || ptr != port.data() + port.size() || value > 65535) return std::nullopt;
  ep.port = static_cast<std::uint16_t>(value);
  return ep;
}

}  // namespace pop3::server
