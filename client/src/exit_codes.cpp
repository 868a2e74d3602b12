#include "exit_codes.hpp"

#include <array>

namespace pop3::client {

int exit_code_for(net::FailureKind kind) noexcept {
  using K = net::FailureKind;
  switch (kind) {
    case K::ConnectionRefused:
    case K::Resolve:
      return kConnectionRefused;
    case K::TlsFailed:
      return kTlsFailed;
    case K::BadCertificate:
      return kBadCertificate;
    case K::StartTlsUnavailable:
      return kStartTlsUnavailable;
    case K::AuthFailed:
      return kAuthFailed;
    case K::InUse:
      return kInUse;
    case K::Timeout:
      return kTimeout;
    case K::MalformedReply:
      return kProtocolError;
    case K::ConnectionLost:
      return kConnectionLost;
    case K::ServerRefused:
      return kServerRefused;
    case K::Local:
      return kLocalError;
  }
  return kLocalError;
}

const ExitCodeInfo* exit_code_table(std::size_t& count) noexcept {
  static constexpr std::array<ExitCodeInfo, 14> table{{
      {kOk, "success"},
      {kLocalError, "local error (bad input, unreadable file)"},
      {kUsage, "wrong command line"},
      {kConnectionRefused, "connection refused or host not found"},
      {kTimeout, "the server did not answer in time"},
      {kTlsFailed, "TLS handshake failed"},
      {kBadCertificate, "the server's certificate was not trusted or does not match the host"},
      {kStartTlsUnavailable, "STARTTLS required but not offered; no credentials were sent"},
      {kAuthFailed, "the server refused the credentials"},
      {kInUse, "the maildrop is locked by another session ([IN-USE])"},
      {kProtocolError, "the server broke the protocol"},
      {kConnectionLost, "the connection ended unexpectedly"},
      {kServerRefused, "the server answered -ERR to a needed command"},
      {kStorageFailed, "a message could not be stored locally; nothing was deleted"},
  }};
  count = table.size();
  return table.data();
}

}  // namespace pop3::client
