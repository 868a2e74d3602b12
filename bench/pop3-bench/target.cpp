#include "target.hpp"

#include "pop3/net/tls.hpp"

namespace pop3::bench {

std::string Target::user_for(int client) const {
  const auto at = user.find("%d");
  if (at == std::string::npos) return user;
  const int n = user_count > 1 ? client % user_count : 0;
  return user.substr(0, at) + std::to_string(n) + user.substr(at + 2);
}

asio::ip::tcp::endpoint Target::endpoint() const {
  return {asio::ip::make_address(host), port};
}

std::shared_ptr<asio::ssl::context> Target::tls_context() const {
  net::ClientTlsOptions options;
  options.cafile = cafile;
  options.insecure = !cafile.has_value();
  return std::make_shared<asio::ssl::context>(net::make_client_tls_context(options));
}

}  // namespace pop3::bench
