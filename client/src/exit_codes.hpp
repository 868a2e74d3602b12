#pragma once
// pop3-client's exit codes: one per kind of failure, so scripts (and the labs) can tell
// a wrong password from a server that is down. docs/client.md lists them.
#include <string_view>

#include "pop3/net/client.hpp"

namespace pop3::client {

enum ExitCode : int {
  kOk = 0,
  kLocalError = 1,          // bad local input, unreadable config, ...
  kUsage = 2,               // wrong command line
  kConnectionRefused = 10,  // nothing listens there / host not found
  kTimeout = 11,
  kTlsFailed = 12,
  kBadCertificate = 13,
  kStartTlsUnavailable = 14,  // STARTTLS required but not offered: credentials not sent
  kAuthFailed = 15,
  kInUse = 16,          // -ERR [IN-USE]
  kProtocolError = 17,  // malformed server reply
  kConnectionLost = 18,
  kServerRefused = 19,  // -ERR to a command the program needed
  kStorageFailed = 20,  // fetch could not store a message locally (nothing was deleted)
};

[[nodiscard]] int exit_code_for(net::FailureKind kind) noexcept;

struct ExitCodeInfo {
  int code;
  std::string_view meaning;
};
[[nodiscard]] const ExitCodeInfo* exit_code_table(std::size_t& count) noexcept;

}  // namespace pop3::client
