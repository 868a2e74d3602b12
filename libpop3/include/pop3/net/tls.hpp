#pragma once
// TLS contexts for pop3lab's server and client, on OpenSSL through asio::ssl.
//
// Contract:
// - Every context refuses anything older than TLS 1.2.
// - A client context verifies the peer's certificate (system store, or the given CA
//   file) and its host name, unless `insecure` is set explicitly.
// - With a key log file set (SSLKEYLOGFILE), session secrets are appended in NSS key log
//   format so Wireshark can decrypt a capture; off unless asked.
#include <asio/ssl/context.hpp>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace pop3::net {

asio::ssl::context make_server_tls_context(const std::filesystem::path& cert,
                                           const std::filesystem::path& key);

struct ClientTlsOptions {
  std::optional<std::filesystem::path> cafile;  // else the system's trust store
  bool insecure = false;                        // skip verification (only when asked)
};
asio::ssl::context make_client_tls_context(const ClientTlsOptions& options);

// Appends key material to `path` for every handshake on this context.
void enable_key_log(asio::ssl::context& context, const std::filesystem::path& path);

// Writes a self-signed certificate and its private key (PEM, the key file 0600) valid
// for `days`, with the given DNS names and IP addresses as subjectAltNames.
void write_self_signed_certificate(const std::filesystem::path& cert,
                                   const std::filesystem::path& key,
                                   const std::vector<std::string>& dns_names,
                                   const std::vector<std::string>& ip_addresses, int days = 825);

// "TLSv1.3 TLS_AES_256_GCM_SHA384" for an established connection's native handle.
std::string describe_tls(const void* ssl_native_handle);

}  // namespace pop3::net
