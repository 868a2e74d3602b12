#include <openssl/ssl.h>

#include <fstream>
#include <mutex>
#include <stdexcept>

#include "pop3/net/tls.hpp"

namespace pop3::net {
namespace {

void harden(asio::ssl::context& context) {
  context.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                      asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                      asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
  SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION);
}

// Key log files per context: OpenSSL's callback has no user pointer, so the context's
// ex_data slot carries the path, and OpenSSL frees it with the context.
extern "C" void free_key_log_path(void*, void* ptr, CRYPTO_EX_DATA*, int, long, void*) {
  delete static_cast<std::filesystem::path*>(ptr);
}

int key_log_index() {
  static const int index =
      SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, free_key_log_path);
  return index;
}

void key_log_callback(const SSL* ssl, const char* line) {
  auto* path = static_cast<std::filesystem::path*>(
      SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), key_log_index()));
  if (!path) return;
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  std::ofstream out(*path, std::ios::app);
  out << line << '\n';
}

}  // namespace

asio::ssl::context make_server_tls_context(const std::filesystem::path& cert,
                                           const std::filesystem::path& key) {
  asio::ssl::context context(asio::ssl::context::tls_server);
  harden(context);
  context.use_certificate_chain_file(cert.string());
  context.use_private_key_file(key.string(), asio::ssl::context::pem);
  if (SSL_CTX_check_private_key(context.native_handle()) != 1)
    throw std::runtime_error("the TLS key does not match the certificate: " + key.string());
  return context;
}

asio::ssl::context make_client_tls_context(const ClientTlsOptions& options) {
  asio::ssl::context context(asio::ssl::context::tls_client);
  harden(context);
  if (options.insecure) {
    context.set_verify_mode(asio::ssl::verify_none);
  } else {
    context.set_verify_mode(asio::ssl::verify_peer);
    if (options.cafile) {
      context.load_verify_file(options.cafile->string());
    } else {
      context.set_default_verify_paths();
    }
  }
  return context;
}

void enable_key_log(asio::ssl::context& context, const std::filesystem::path& path) {
  // Owned by the context from here on: free_key_log_path deletes it with the context.
  auto* stored = new std::filesystem::path(path);
  delete static_cast<std::filesystem::path*>(
      SSL_CTX_get_ex_data(context.native_handle(), key_log_index()));
  SSL_CTX_set_ex_data(context.native_handle(), key_log_index(), stored);
  SSL_CTX_set_keylog_callback(context.native_handle(), key_log_callback);
}

std::string describe_tls(const void* native) {
  auto* ssl = static_cast<SSL*>(const_cast<void*>(native));
  if (!ssl) return {};
  std::string out = SSL_get_version(ssl);
  if (const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl)) {
    out += ' ';
    out += SSL_CIPHER_get_name(cipher);
  }
  return out;
}

}  // namespace pop3::net
