#pragma once
// Errors of the protocol library, as std::error_code values of one category.
//
// Two kinds, after h11: a peer violation is something the other side did wrong (a
// malformed command, a reply that breaks the protocol); local misuse is something the
// program driving the session did wrong (sending a command with a CRLF in it, feeding a
// closed session). A server answers most peer violations with -ERR and goes on.
#include <string>
#include <string_view>
#include <system_error>

namespace pop3 {

enum class Errc {
  // peer violations
  line_too_long = 1,
  bare_line_feed,
  invalid_character,
  empty_command,
  unknown_command,
  wrong_state,
  wrong_arguments,
  argument_too_long,
  bad_message_number,
  no_such_message,
  message_deleted,
  not_advertised,
  bad_base64,
  auth_cancelled,
  malformed_reply,
  unexpected_reply,
  tls_injection,
  too_many_errors,
  // local misuse
  crlf_injection,
  command_not_allowed_now,
  session_closed,
  no_tls_pending,
  auth_in_progress,
  // outcomes that are neither (for exit codes and the shell)
  authentication_failed,
  maildrop_in_use,
  maildrop_unavailable,
  autologout,
  connection_lost,
};

enum class ErrorKind { PeerViolation, LocalMisuse, Outcome };

[[nodiscard]] const std::error_category& pop3_category() noexcept;
[[nodiscard]] std::error_code make_error_code(Errc e) noexcept;
[[nodiscard]] ErrorKind kind_of(Errc e) noexcept;
// A stable identifier for traces and scripts: "line_too_long", "wrong_state", ...
[[nodiscard]] std::string_view errc_name(Errc e) noexcept;

}  // namespace pop3

template <>
struct std::is_error_code_enum<pop3::Errc> : std::true_type {};
