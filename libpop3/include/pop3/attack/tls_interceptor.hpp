#pragma once
// TlsInterceptor: a man in the middle that terminates TLS. When the client starts its
// handshake (after STLS, or at once on an implicit-TLS port), the interceptor answers it
// with a certificate of its own choosing and opens a second TLS connection to the real
// server; it then decrypts what each side sends, keeps a copy, and re-encrypts it for the
// other. Plaintext before TLS passes unchanged.
//
// What it shows: a client that verifies the certificate refuses the handshake (the
// certificate is self-signed, for another name, or expired: certificates.hpp) and sends
// nothing more; a client with verification off completes it, and everything it sends
// afterwards, the password included, is read by the attacker.
//
// Contract:
// - The client's TLS chunks are never forwarded; the interceptor's own records go to
//   each side as injected octets on the tls channel. Application octets from one side are
//   held until the interceptor's connection to the other side is up, then relayed in order.
// - The interceptor's connection to the server does not check the server's certificate.
// - What it reads goes into an Interception (shared, so a lab can look at it after the
//   run; a fresh interceptor clears it); the trace gets notes: the certificate it showed,
//   whether the client accepted it, and each command it read (secrets redacted, as
//   pop3::describe() prints them).
// - Throws std::runtime_error (from TlsPipe) if OpenSSL cannot set up.
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "pop3/attack/conversation.hpp"
#include "pop3/attack/line_buffer.hpp"
#include "pop3/sim/middlebox.hpp"
#include "pop3/sim/tls_pipe.hpp"

namespace pop3::attack {

struct Interception {
  bool handshake_started = false;  // the client began TLS and the interceptor answered
  bool client_accepted = false;    // the client completed the handshake with the substitute
  std::string client_failure;      // why the interceptor's side toward the client failed
  bool server_connected = false;   // the interceptor's own TLS to the server is up
  std::string from_client;         // decrypted c2s application octets
  std::string from_server;         // decrypted s2c application octets
};

class TlsInterceptor final : public sim::Middlebox {
 public:
  // `presented`: the certificate shown to the client. `settings`: versions for both of
  // the interceptor's connections (its verify fields are ignored).
  explicit TlsInterceptor(std::shared_ptr<const sim::TlsIdentity> presented,
                          std::shared_ptr<Interception> interception = nullptr,
                          sim::TlsSettings settings = {});

  [[nodiscard]] std::string_view name() const noexcept override { return "tls-interceptor"; }
  void on_chunk(const sim::ChunkView& chunk, sim::MiddleboxOutput& out) override;

  [[nodiscard]] const Interception& interception() const noexcept { return *log_; }
  [[nodiscard]] std::shared_ptr<const Interception> shared_interception() const noexcept {
    return log_;
  }

 private:
  void start(sim::MiddleboxOutput& out);
  void pump(sim::MiddleboxOutput& out);
  void read_from_client(const std::string& app, sim::MiddleboxOutput& out);
  void read_from_server(const std::string& app);

  std::shared_ptr<const sim::TlsIdentity> presented_;
  std::shared_ptr<Interception> log_;
  sim::TlsSettings settings_;
  std::optional<sim::TlsPipe> toward_client_;  // server role, with the substitute
  std::optional<sim::TlsPipe> toward_server_;  // client role, no verification
  std::string for_server_;  // decrypted from the client, waiting for toward_server_
  std::string for_client_;
  LineBuffer client_lines_;
  LineBuffer server_lines_;
  ConversationFollower follower_;  // for the notes: which command was read
  bool saw_plaintext_ = false;     // TLS began after STLS (not on an implicit-TLS port)
  bool client_done_ = false;       // accepted or failed: noted
  bool server_noted_ = false;
  bool closed_client_ = false;
  bool closed_server_ = false;
};

}  // namespace pop3::attack
