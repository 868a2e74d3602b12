#include "pop3/sim/tls_pipe.hpp"

#include <openssl/err.h>
#include <openssl/x509_vfy.h>

#include <array>
#include <climits>
#include <stdexcept>

#include "tls_handles.hpp"

namespace pop3::sim {
namespace {

int protocol_version(TlsVersion v) {
  return v == TlsVersion::Tls13 ? TLS1_3_VERSION : TLS1_2_VERSION;
}

void require(bool ok, const char* what) {
  if (!ok) {
    ERR_clear_error();
    throw std::runtime_error(std::string("simulator: setting up TLS: ") + what);
  }
}

detail::SslCtxPtr make_context(const TlsSettings& settings, bool server) {
  detail::SslCtxPtr ctx(SSL_CTX_new(server ? TLS_server_method() : TLS_client_method()));
  require(ctx != nullptr, "SSL_CTX_new");
  require(SSL_CTX_set_min_proto_version(ctx.get(), protocol_version(settings.min_version)) == 1,
          "minimum version");
  require(SSL_CTX_set_max_proto_version(ctx.get(), protocol_version(settings.max_version)) == 1,
          "maximum version");
  SSL_CTX_set_session_cache_mode(ctx.get(), SSL_SESS_CACHE_OFF);
  // No TLS 1.3 session tickets: one connection per simulation, and fewer records to
  // explain on the wire.
  if (server) SSL_CTX_set_num_tickets(ctx.get(), 0);
  return ctx;
}

}  // namespace

std::string_view tls_mode_name(TlsMode mode) noexcept {
  switch (mode) {
    case TlsMode::None:
      return "none";
    case TlsMode::Stls:
      return "stls";
    case TlsMode::Implicit:
      return "implicit";
  }
  return "?";
}

struct TlsPipe::Engine {
  detail::SslCtxPtr ctx;
  detail::SslPtr ssl;
  BIO* from_peer = nullptr;  // owned by ssl: what the peer sent, for OpenSSL to read
  BIO* to_peer = nullptr;    // owned by ssl: what OpenSSL wrote, for the link
  bool verify = false;
  std::string key_log;  // NSS key log lines, as OpenSSL hands them out

  static void log_key(const SSL* ssl, const char* line) {
    auto* self = static_cast<Engine*>(SSL_get_app_data(ssl));
    if (self) (self->key_log += line) += '\n';
  }

  void attach(bool server) {
    ssl.reset(SSL_new(ctx.get()));
    require(ssl != nullptr, "SSL_new");
    // The engine lives on the heap and outlives its SSL: its address is stable.
    SSL_set_app_data(ssl.get(), this);
    SSL_CTX_set_keylog_callback(ctx.get(), &Engine::log_key);
    from_peer = BIO_new(BIO_s_mem());
    to_peer = BIO_new(BIO_s_mem());
    if (!from_peer || !to_peer) {
      BIO_free(from_peer);
      BIO_free(to_peer);
      require(false, "BIO_new");
    }
    // An empty input BIO means "not yet", not end of stream.
    BIO_set_mem_eof_return(from_peer, -1);
    SSL_set_bio(ssl.get(), from_peer, to_peer);
    if (server)
      SSL_set_accept_state(ssl.get());
    else
      SSL_set_connect_state(ssl.get());
  }
};

TlsPipe::TlsPipe(Role role, std::unique_ptr<Engine> engine)
    : role_(role), engine_(std::move(engine)) {}
TlsPipe::TlsPipe(TlsPipe&&) noexcept = default;
TlsPipe& TlsPipe::operator=(TlsPipe&&) noexcept = default;
TlsPipe::~TlsPipe() = default;

TlsPipe TlsPipe::server(const TlsSettings& settings, const TlsIdentity& identity) {
  auto engine = std::make_unique<Engine>();
  engine->ctx = make_context(settings, true);
  require(SSL_CTX_use_certificate(engine->ctx.get(), identity.handles().certificate.get()) == 1,
          "certificate");
  require(SSL_CTX_use_PrivateKey(engine->ctx.get(), identity.handles().key.get()) == 1, "key");
  require(SSL_CTX_check_private_key(engine->ctx.get()) == 1, "key does not match the certificate");
  engine->attach(true);
  return TlsPipe(Role::Server, std::move(engine));
}

TlsPipe TlsPipe::client(const TlsSettings& settings, const TlsIdentity* trusted) {
  auto engine = std::make_unique<Engine>();
  engine->ctx = make_context(settings, false);
  engine->verify = settings.verify_peer;
  SSL_CTX_set_verify(engine->ctx.get(), settings.verify_peer ? SSL_VERIFY_PEER : SSL_VERIFY_NONE,
                     nullptr);
  if (trusted) {
    require(X509_STORE_add_cert(SSL_CTX_get_cert_store(engine->ctx.get()),
                                trusted->handles().certificate.get()) == 1,
            "trust store");
  }
  engine->attach(false);
  if (!settings.expected_host.empty()) {
    // SNI (the macro SSL_set_tlsext_host_name, without its C cast) and the name check.
    std::string host = settings.expected_host;
    SSL_ctrl(engine->ssl.get(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
             host.data());
    if (settings.verify_peer)
      require(SSL_set1_host(engine->ssl.get(), host.c_str()) == 1, "host name");
  }
  return TlsPipe(Role::Client, std::move(engine));
}

const std::string& TlsPipe::key_log() const noexcept {
  return engine_->key_log;
}

void TlsPipe::start() {
  if (state_ != State::Idle) return;
  state_ = State::Handshaking;
  drive();
}

void TlsPipe::put_wire(std::string_view bytes) {
  if (state_ == State::Idle) start();
  if (state_ == State::Failed || state_ == State::Closed || bytes.empty()) return;
  while (!bytes.empty()) {
    const int n = BIO_write(engine_->from_peer, bytes.data(),
                            static_cast<int>(std::min<std::size_t>(bytes.size(), INT_MAX)));
    if (n <= 0) {
      fail("cannot buffer incoming TLS bytes");
      return;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  drive();
}

void TlsPipe::drive() {
  SSL* ssl = engine_->ssl.get();
  if (state_ == State::Handshaking) {
    ERR_clear_error();
    const int r = SSL_do_handshake(ssl);
    if (r == 1) {
      state_ = State::Established;
      version_ = SSL_get_version(ssl);
      if (const SSL_CIPHER* c = SSL_get_current_cipher(ssl)) cipher_ = SSL_CIPHER_get_name(c);
    } else {
      const int e = SSL_get_error(ssl, r);
      if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) fail("handshake failed");
      ERR_clear_error();
      return;
    }
  }
  if (state_ != State::Established) return;
  std::array<char, 16 * 1024> buffer{};
  for (;;) {
    ERR_clear_error();
    const int n = SSL_read(ssl, buffer.data(), static_cast<int>(buffer.size()));
    if (n > 0) {
      app_in_.append(buffer.data(), static_cast<std::size_t>(n));
      continue;
    }
    const int e = SSL_get_error(ssl, n);
    if (e == SSL_ERROR_ZERO_RETURN)
      peer_closed_ = true;
    else if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE)
      fail("decryption failed");
    break;
  }
  ERR_clear_error();
}

void TlsPipe::fail(std::string reason) {
  std::string why;
  if (role_ == Role::Client && engine_->verify) {
    const long v = SSL_get_verify_result(engine_->ssl.get());
    if (v != X509_V_OK)
      why = std::string("certificate verify failed: ") + X509_verify_cert_error_string(v);
  }
  if (why.empty()) {
    if (const unsigned long err = ERR_peek_last_error()) {
      if (const char* text = ERR_reason_error_string(err)) {
        why = reason + ": " + text;
      } else {
        std::array<char, 256> buf{};
        ERR_error_string_n(err, buf.data(), buf.size());
        why = reason + ": " + buf.data();
      }
    } else {
      why = std::move(reason);
    }
  }
  ERR_clear_error();
  failure_ = std::move(why);
  state_ = State::Failed;
}

std::string TlsPipe::take_wire() {
  std::string out;
  const std::size_t pending = BIO_ctrl_pending(engine_->to_peer);
  if (pending == 0) return out;
  out.resize(pending);
  const int n = BIO_read(engine_->to_peer, out.data(),
                         static_cast<int>(std::min<std::size_t>(pending, INT_MAX)));
  out.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  return out;
}

std::string TlsPipe::take_app() {
  std::string out;
  out.swap(app_in_);
  return out;
}

void TlsPipe::write_app(std::string_view bytes) {
  if (state_ != State::Established)
    throw std::logic_error("TlsPipe::write_app before the handshake is done");
  while (!bytes.empty()) {
    ERR_clear_error();
    const int n = SSL_write(engine_->ssl.get(), bytes.data(),
                            static_cast<int>(std::min<std::size_t>(bytes.size(), INT_MAX)));
    if (n <= 0) {
      fail("encryption failed");
      return;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

void TlsPipe::close() {
  if (state_ == State::Established) {
    ERR_clear_error();
    (void)SSL_shutdown(engine_->ssl.get());
    ERR_clear_error();
  }
  if (state_ != State::Failed) state_ = State::Closed;
}

}  // namespace pop3::sim
