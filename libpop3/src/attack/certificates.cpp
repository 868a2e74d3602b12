#include "pop3/attack/certificates.hpp"

#include <chrono>

#include "pop3/attack/tls_interceptor.hpp"

namespace pop3::attack {

std::string_view certificate_fault_name(CertificateFault fault) noexcept {
  switch (fault) {
    case CertificateFault::Untrusted:
      return "untrusted";
    case CertificateFault::WrongHost:
      return "wrong-host";
    case CertificateFault::Expired:
      return "expired";
  }
  return "?";
}

CertificateSubstitution make_substitution(CertificateFault fault, const std::string& host) {
  using std::chrono::hours;
  CertificateSubstitution s;
  s.fault = fault;
  sim::CertificateOptions genuine;
  genuine.dns_names = {host};
  genuine.organization = "pop3lab simulator (genuine server)";
  s.genuine = sim::TlsIdentity::make(genuine);
  sim::CertificateOptions fake = genuine;
  switch (fault) {
    case CertificateFault::Untrusted:
      fake.organization = "pop3lab attacker (self-signed)";
      s.presented = sim::TlsIdentity::make(fake);
      s.trusted = s.genuine;
      s.expected_failure = "self-signed certificate";
      s.description = "a self-signed certificate for " + host + " that the client has never seen";
      break;
    case CertificateFault::WrongHost:
      fake.dns_names = {"attacker.example"};
      fake.organization = "pop3lab attacker (a valid certificate for its own name)";
      s.presented = sim::TlsIdentity::make(fake);
      s.trusted = s.presented;
      s.expected_failure = "hostname mismatch";
      s.description = "a certificate the client trusts, issued for attacker.example, not " + host;
      break;
    case CertificateFault::Expired:
      fake.not_before = hours(-24 * 400);
      fake.not_after = hours(-24);
      fake.organization = "pop3lab simulator (expired)";
      s.presented = sim::TlsIdentity::make(fake);
      s.trusted = s.presented;
      s.expected_failure = "certificate has expired";
      s.description = "a certificate for " + host + " that the client trusts, expired yesterday";
      break;
  }
  return s;
}

void substitute_server_certificate(sim::Scenario& scenario, const CertificateSubstitution& s) {
  scenario.tls.server_identity = s.presented;
  scenario.tls.trusted_identity = s.trusted;
}

void intercept_with_certificate(sim::Scenario& scenario, const CertificateSubstitution& s) {
  scenario.tls.server_identity = s.genuine;
  scenario.tls.trusted_identity = s.trusted;
  auto presented = s.presented;
  scenario.middlebox = [presented] { return std::make_unique<TlsInterceptor>(presented); };
}

}  // namespace pop3::attack
