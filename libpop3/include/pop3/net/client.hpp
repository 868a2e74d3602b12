#pragma once
// Client: a POP3 connection for programs that work one step at a time (the shell, the
// fetcher, the lab runner): connect, send a command, get its reply. Underneath it is a
// ClientSession driven over Asio; this class only moves bytes and waits, with a timeout
// on every wait.
//
// Every failure is a ClientError whose kind maps to one of pop3-client's exit codes.
// Every step of the session is handed to `on_step` (for the shell's display, the trace
// recorder and the progress bar) before the call that caused it returns.
#include <asio/io_context.hpp>
#include <asio/ssl/context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "pop3/core/client_session.hpp"
#include "pop3/net/connection.hpp"
#include "pop3/net/tls.hpp"

namespace pop3::net {

enum class TlsMode { None, StartTls, Implicit };

struct ClientOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 110;
  TlsMode tls = TlsMode::None;
  ClientTlsOptions tls_options;
  std::chrono::milliseconds timeout{30000};  // per wait: connect, handshake, each reply
  ClientConfig session;
  std::optional<std::filesystem::path> key_log;  // SSLKEYLOGFILE
};

enum class FailureKind {
  ConnectionRefused,    // nothing listens there, or the host cannot be reached
  Resolve,              // the host name does not resolve
  TlsFailed,            // the handshake failed (not a certificate problem)
  BadCertificate,       // the certificate did not verify or does not match the host
  StartTlsUnavailable,  // STARTTLS required but not offered: credentials were not sent
  AuthFailed,           // the server refused the credentials
  InUse,                // -ERR [IN-USE]
  Timeout,              // the server did not answer in time
  MalformedReply,       // the server broke the protocol
  ConnectionLost,       // the connection ended unexpectedly
  ServerRefused,        // -ERR greeting, or -ERR where the program needed +OK
  Local,                // bad local input (a command with CRLF, a bad argument)
};

class ClientError : public std::runtime_error {
 public:
  ClientError(FailureKind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
  [[nodiscard]] FailureKind kind() const noexcept { return kind_; }

 private:
  FailureKind kind_;
};

[[nodiscard]] std::string_view failure_name(FailureKind kind) noexcept;

class Client {
 public:
  explicit Client(ClientOptions options);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  std::function<void(const Step&)> on_step;
  std::function<void(std::string_view tls_description)> on_tls;

  // TCP connect, the TLS handshake for implicit TLS, and the greeting, which it returns.
  Reply connect();
  // Sends one command and waits for its reply (for RETR/TOP with streaming on, the body
  // arrives as BodyChunk steps first).
  Reply command(const Command& command);
  // Sends several commands in one write (RFC 2449 PIPELINING) and returns their replies
  // in order. Without PIPELINING, use command() for each.
  std::vector<Reply> pipeline(const std::vector<Command>& commands);
  // A line as typed; its reply (or, for a SASL response, the next "+ " or the end).
  Reply raw(std::string_view line);
  // CAPA; the result is also in session().capabilities().
  Capabilities capa();
  // STLS and the handshake; afterwards capabilities are forgotten (call capa() again).
  void starttls();
  // The whole SASL exchange; returns the final reply.
  Reply authenticate(std::unique_ptr<ClientMechanism> mechanism);
  // QUIT (UPDATE if in TRANSACTION) and close.
  Reply quit();
  void close() noexcept;

  [[nodiscard]] ClientSession& session() noexcept { return session_; }
  [[nodiscard]] bool connected() const noexcept;
  [[nodiscard]] std::string tls_description() const;
  [[nodiscard]] const ClientOptions& options() const noexcept { return options_; }

 private:
  template <class F>
  void run(F&& operation);
  asio::awaitable<void> do_connect();
  asio::awaitable<void> flush();
  asio::awaitable<void> wait_replies(std::size_t count, std::vector<Reply>& out);
  asio::awaitable<void> handshake();
  void pump(std::vector<Reply>* out, bool& start_tls);

  ClientOptions options_;
  asio::io_context io_;
  std::optional<asio::ssl::context> tls_context_;
  std::unique_ptr<Connection> connection_;
  ClientSession session_;
  std::string pending_output_;
  Reply greeting_;
};

// pop3://USER@HOST:PORT and pop3s://USER@HOST:PORT (RFC 2384 form, without a path).
struct Pop3Url {
  bool implicit_tls = false;
  std::string user;
  std::string host;
  std::uint16_t port = 110;
  std::optional<std::string> auth;  // ";AUTH=MECH" in the user part, as RFC 2384 allows
};
[[nodiscard]] std::optional<Pop3Url> parse_pop3_url(std::string_view url);

}  // namespace pop3::net
