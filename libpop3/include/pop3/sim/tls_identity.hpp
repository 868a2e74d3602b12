#pragma once
// TlsIdentity: a private key and its self-signed certificate, made in memory (EC P-256,
// SHA-256 signature, the given DNS names as subjectAltName and CN, CA:TRUE so that a
// client can trust it directly). Nothing touches the disk. The key and serial number are
// fresh randomness from OpenSSL: certificates differ between runs, which is fine because
// an eavesdropper sees them only on the tls channel.
//
// A lab that shows a substituted certificate makes a second identity and gives it to the
// server (or to a future man-in-the-middle) while the client trusts the first.
#include <memory>
#include <string>
#include <vector>

namespace pop3::sim {

class TlsIdentity {
 public:
  // Throws std::runtime_error if OpenSSL fails.
  static std::shared_ptr<const TlsIdentity> self_signed(std::vector<std::string> dns_names = {"localhost"},
                                                        int days = 30);
  ~TlsIdentity();
  TlsIdentity(const TlsIdentity&) = delete;
  TlsIdentity& operator=(const TlsIdentity&) = delete;

  [[nodiscard]] const std::vector<std::string>& dns_names() const noexcept { return names_; }
  [[nodiscard]] std::string certificate_pem() const;
  // SHA-256 of the DER certificate, lower-case hex with ':' between octets.
  [[nodiscard]] std::string fingerprint_sha256() const;

  struct Handles;  // the OpenSSL objects (src/sim/tls_handles.hpp)
  [[nodiscard]] const Handles& handles() const noexcept { return *handles_; }

 private:
  TlsIdentity(std::vector<std::string> names, std::unique_ptr<Handles> handles);
  std::vector<std::string> names_;
  std::unique_ptr<Handles> handles_;
};

}  // namespace pop3::sim
