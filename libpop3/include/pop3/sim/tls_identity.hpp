#pragma once
// TlsIdentity: a private key and its self-signed certificate, made in memory (EC P-256,
// SHA-256 signature, the given DNS names as subjectAltName and CN, CA:TRUE so that a
// client can trust it directly). Nothing touches the disk. The key and serial number are
// fresh randomness from OpenSSL: certificates differ between runs, which is fine because
// an eavesdropper sees them only on the tls channel.
//
// A lab that shows a substituted certificate makes a second identity and gives it to the
// server (or to a man-in-the-middle, pop3::attack::TlsInterceptor) while the client
// trusts the first; CertificateOptions also makes the faulty ones (expired, another host
// name). pop3/attack/certificates.hpp packages the usual substitutions.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace pop3::sim {

struct CertificateOptions {
  std::vector<std::string> dns_names = {"localhost"};  // SAN entries; the first is also the CN
  // Validity, relative to the moment the certificate is made. OpenSSL checks it against
  // the real clock, not the simulator's: an expired certificate is one whose not_after
  // is negative.
  std::chrono::seconds not_before = std::chrono::hours(-1);
  std::chrono::seconds not_after = std::chrono::hours(24 * 30);
  std::string organization = "pop3lab simulator (self-signed)";  // the subject's O
};

class TlsIdentity {
 public:
  // Throws std::runtime_error if OpenSSL fails.
  static std::shared_ptr<const TlsIdentity> self_signed(
      std::vector<std::string> dns_names = {"localhost"}, int days = 30);
  // Throws std::invalid_argument if not_after is not after not_before (or no name is
  // given), std::runtime_error if OpenSSL fails.
  static std::shared_ptr<const TlsIdentity> make(CertificateOptions options);
  ~TlsIdentity();
  TlsIdentity(const TlsIdentity&) = delete;
  TlsIdentity& operator=(const TlsIdentity&) = delete;

  [[nodiscard]] const std::vector<std::string>& dns_names() const noexcept { return names_; }
  // Validity as made (relative to when it was made), and the subject's O.
  [[nodiscard]] const CertificateOptions& options() const noexcept { return options_; }
  [[nodiscard]] std::string certificate_pem() const;
  // SHA-256 of the DER certificate, lower-case hex with ':' between octets.
  [[nodiscard]] std::string fingerprint_sha256() const;

  struct Handles;  // the OpenSSL objects (src/sim/tls_handles.hpp)
  [[nodiscard]] const Handles& handles() const noexcept { return *handles_; }

 private:
  TlsIdentity(CertificateOptions options, std::unique_ptr<Handles> handles);
  CertificateOptions options_;
  std::vector<std::string> names_;
  std::unique_ptr<Handles> handles_;
};

}  // namespace pop3::sim
