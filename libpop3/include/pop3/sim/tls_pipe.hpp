#pragma once
// TLS in memory: the settings of a simulated connection's TLS, and TlsPipe, one side's
// real OpenSSL engine (SSL over a pair of memory BIOs). Records it writes cross the
// virtual link like any other bytes, so the eavesdropper sees real TLS records:
// handshake, change_cipher_spec, application data, alerts.
//
// Driving a pipe: start() (a client writes its ClientHello); put_wire() the bytes that
// arrived from the peer; then take_wire() what to send back and take_app() what was
// decrypted. write_app() encrypts once the handshake is done; close() writes a
// close_notify. A failure (a certificate the client refuses, garbage instead of records,
// a changed record) leaves the pipe Failed with a reason; any alert is in take_wire().
// OpenSSL's per-thread error queue is left empty after every call.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pop3/sim/tls_identity.hpp"

namespace pop3::sim {

enum class TlsMode : std::uint8_t {
  None,      // plaintext only; STLS is not offered
  Stls,      // plaintext first, STLS offered (RFC 2595)
  Implicit,  // TLS from the first byte (port 995)
};
[[nodiscard]] std::string_view tls_mode_name(TlsMode mode) noexcept;  // "none", "stls", "implicit"

enum class TlsVersion : std::uint8_t { Tls12, Tls13 };

struct TlsSettings {
  TlsMode mode = TlsMode::None;
  TlsVersion min_version = TlsVersion::Tls12;
  TlsVersion max_version = TlsVersion::Tls13;
  // The names in the server's generated certificate.
  std::vector<std::string> certificate_names = {"localhost"};
  // The client checks the server's certificate: chain to a trusted certificate and the
  // expected host name (also sent as SNI). Off: any certificate is accepted.
  bool verify_peer = true;
  std::string expected_host = "localhost";
  // The certificate the server presents; null: one generated from certificate_names.
  std::shared_ptr<const TlsIdentity> server_identity;
  // What the client trusts; null: the server's own certificate. A lab shows a
  // substituted certificate by giving the server another identity than this one.
  std::shared_ptr<const TlsIdentity> trusted_identity;
};

class TlsPipe {
 public:
  enum class Role : std::uint8_t { Client, Server };
  enum class State : std::uint8_t { Idle, Handshaking, Established, Failed, Closed };

  // A server presents `identity`; a client trusts `trusted` (may be null: trusts nothing,
  // so verification fails unless verify_peer is off). Throws std::runtime_error if
  // OpenSSL cannot set up.
  static TlsPipe server(const TlsSettings& settings, const TlsIdentity& identity);
  static TlsPipe client(const TlsSettings& settings, const TlsIdentity* trusted);

  TlsPipe(TlsPipe&&) noexcept;
  TlsPipe& operator=(TlsPipe&&) noexcept;
  ~TlsPipe();

  // Begins the handshake (a client writes its ClientHello).
  void start();
  // Bytes from the peer: advances the handshake, decrypts application data.
  void put_wire(std::string_view bytes);
  [[nodiscard]] std::string take_wire();
  [[nodiscard]] std::string take_app();
  // Encrypts application bytes (Established only; else std::logic_error). One call
  // makes one record per 16 KiB.
  void write_app(std::string_view bytes);
  // Sends close_notify (if Established); the pipe is Closed afterwards.
  void close();

  [[nodiscard]] Role role() const noexcept { return role_; }
  [[nodiscard]] State state() const noexcept { return state_; }
  [[nodiscard]] bool established() const noexcept { return state_ == State::Established; }
  [[nodiscard]] bool failed() const noexcept { return state_ == State::Failed; }
  [[nodiscard]] bool peer_closed() const noexcept { return peer_closed_; }
  [[nodiscard]] const std::string& failure() const noexcept { return failure_; }
  [[nodiscard]] const std::string& version() const noexcept { return version_; }  // "TLSv1.3"
  [[nodiscard]] const std::string& cipher() const noexcept { return cipher_; }
  // The connection's secrets in the NSS key log format (what SSLKEYLOGFILE holds): with
  // them Wireshark decrypts the records of this handshake. Never in a trace; a caller
  // that writes them out says so to its user.
  [[nodiscard]] const std::string& key_log() const noexcept;

 private:
  struct Engine;
  TlsPipe(Role role, std::unique_ptr<Engine> engine);
  void drive();
  void fail(std::string reason);

  Role role_;
  std::unique_ptr<Engine> engine_;
  State state_ = State::Idle;
  bool peer_closed_ = false;
  std::string app_in_;
  std::string failure_;
  std::string version_;
  std::string cipher_;
};

}  // namespace pop3::sim
