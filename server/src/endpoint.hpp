#pragma once
// "ADDR:PORT" as the command line and the config file write it: "127.0.0.1:1110",
// "[::1]:1110", "localhost:1110", or ":1110" for every address.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pop3::server {

struct Endpoint {
  std::string host;  // "" for any address
  std::uint16_t port = 0;
  [[nodiscard]] std::string to_string() const;
  [[nodiscard]] bool is_loopback() const;
};

[[nodiscard]] std::optional<Endpoint> parse_endpoint(std::string_view text);

}  // namespace pop3::server
