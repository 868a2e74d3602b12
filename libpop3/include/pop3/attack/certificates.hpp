#pragma once
// Certificate substitution: what an attacker who answers the client's TLS handshake can
// present, and what the client makes of it. Three cases, each with the check that
// catches it when the client verifies:
//
//   Untrusted  a self-signed certificate for the right name, not the one the client
//              trusts (the attacker made it)          -> "self-signed certificate"
//   WrongHost  a certificate the client trusts, for another name (the attacker's own,
//              properly issued for attacker.example)  -> "hostname mismatch"
//   Expired    a certificate the client trusts, for the right name, whose notAfter is in
//              the past (an old certificate of the server, its key leaked)
//                                                     -> "certificate has expired"
//
// With TlsSettings::verify_peer off, every one of them is accepted: that is the lesson.
//
// Two ways to use a substitution on a Scenario:
// - substitute_server_certificate(): the simulated server itself presents it (the
//   attacker has replaced the server; the simplest model).
// - intercept_with_certificate(): the real server keeps its genuine certificate and a
//   TlsInterceptor on the link answers the client's handshake with the substitute, then
//   reads and relays everything (tls_interceptor.hpp).
//
// The simulator's client trusts exactly one certificate (TlsSettings::trusted_identity).
// For WrongHost and Expired that is the presented one, standing for "issued by a CA the
// client trusts"; for Untrusted it is the genuine server's.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "pop3/sim/scenario.hpp"
#include "pop3/sim/tls_identity.hpp"

namespace pop3::attack {

enum class CertificateFault : std::uint8_t { Untrusted, WrongHost, Expired };
[[nodiscard]] std::string_view certificate_fault_name(
    CertificateFault fault) noexcept;  // "untrusted", ...

struct CertificateSubstitution {
  CertificateFault fault = CertificateFault::Untrusted;
  std::shared_ptr<const sim::TlsIdentity> genuine;    // the real server's certificate
  std::shared_ptr<const sim::TlsIdentity> presented;  // what the attacker shows the client
  std::shared_ptr<const sim::TlsIdentity> trusted;    // what the client is set up to trust
  // The words OpenSSL's verification failure contains when the client checks.
  std::string expected_failure;
  std::string description;  // one sentence for people
};

// Makes the certificates for `host` (the name the client expects). Throws
// std::runtime_error if OpenSSL fails.
[[nodiscard]] CertificateSubstitution make_substitution(CertificateFault fault,
                                                        const std::string& host = "localhost");

// The server presents `s.presented`; the client trusts `s.trusted`.
void substitute_server_certificate(sim::Scenario& scenario, const CertificateSubstitution& s);
// The server presents `s.genuine`; a TlsInterceptor presents `s.presented`; the client
// trusts `s.trusted`. Replaces the scenario's middlebox.
void intercept_with_certificate(sim::Scenario& scenario, const CertificateSubstitution& s);

}  // namespace pop3::attack
