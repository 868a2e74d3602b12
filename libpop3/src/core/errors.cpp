#include "pop3/core/errors.hpp"

namespace pop3 {
namespace {

class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "pop3"; }
  std::string message(int value) const override {
    switch (static_cast<Errc>(value)) {
      case Errc::line_too_long:
        return "line too long";
      case Errc::bare_line_feed:
        return "line ended with LF instead of CRLF";
      case Errc::invalid_character:
        return "NUL, CR or LF inside a line";
      case Errc::empty_command:
        return "empty command";
      case Errc::unknown_command:
        return "unknown command";
      case Errc::wrong_state:
        return "command not valid in this state";
      case Errc::wrong_arguments:
        return "wrong number or kind of arguments";
      case Errc::argument_too_long:
        return "argument longer than 40 octets";
      case Errc::bad_message_number:
        return "not a message number";
      case Errc::no_such_message:
        return "no such message";
      case Errc::message_deleted:
        return "message already deleted";
      case Errc::not_advertised:
        return "not offered by this server";
      case Errc::bad_base64:
        return "invalid base64";
      case Errc::auth_cancelled:
        return "authentication cancelled";
      case Errc::malformed_reply:
        return "malformed reply";
      case Errc::unexpected_reply:
        return "reply that answers no command";
      case Errc::tls_injection:
        return "plaintext received behind STLS was discarded";
      case Errc::too_many_errors:
        return "too many bad commands";
      case Errc::crlf_injection:
        return "argument contains CR, LF or NUL";
      case Errc::command_not_allowed_now:
        return "command not allowed in this state";
      case Errc::session_closed:
        return "session is closed";
      case Errc::no_tls_pending:
        return "no TLS negotiation is pending";
      case Errc::auth_in_progress:
        return "an authentication exchange is in progress";
      case Errc::authentication_failed:
        return "authentication failed";
      case Errc::maildrop_in_use:
        return "maildrop in use";
      case Errc::maildrop_unavailable:
        return "maildrop unavailable";
      case Errc::autologout:
        return "autologout timer expired";
      case Errc::connection_lost:
        return "connection lost";
    }
    return "unknown pop3 error";
  }
};

}  // namespace

const std::error_category& pop3_category() noexcept {
  static const Category category;
  return category;
}

std::error_code make_error_code(Errc e) noexcept {
  return {static_cast<int>(e), pop3_category()};
}

ErrorKind kind_of(Errc e) noexcept {
  if (e >= Errc::crlf_injection && e <= Errc::auth_in_progress) return ErrorKind::LocalMisuse;
  if (e >= Errc::authentication_failed) return ErrorKind::Outcome;
  return ErrorKind::PeerViolation;
}

// No default: -Wswitch flags a new Errc that has no name yet.
std::string_view errc_name(Errc e) noexcept {
  switch (e) {
    case Errc::line_too_long:
      return "line_too_long";
    case Errc::bare_line_feed:
      return "bare_line_feed";
    case Errc::invalid_character:
      return "invalid_character";
    case Errc::empty_command:
      return "empty_command";
    case Errc::unknown_command:
      return "unknown_command";
    case Errc::wrong_state:
      return "wrong_state";
    case Errc::wrong_arguments:
      return "wrong_arguments";
    case Errc::argument_too_long:
      return "argument_too_long";
    case Errc::bad_message_number:
      return "bad_message_number";
    case Errc::no_such_message:
      return "no_such_message";
    case Errc::message_deleted:
      return "message_deleted";
    case Errc::not_advertised:
      return "not_advertised";
    case Errc::bad_base64:
      return "bad_base64";
    case Errc::auth_cancelled:
      return "auth_cancelled";
    case Errc::malformed_reply:
      return "malformed_reply";
    case Errc::unexpected_reply:
      return "unexpected_reply";
    case Errc::tls_injection:
      return "tls_injection";
    case Errc::too_many_errors:
      return "too_many_errors";
    case Errc::crlf_injection:
      return "crlf_injection";
    case Errc::command_not_allowed_now:
      return "command_not_allowed_now";
    case Errc::session_closed:
      return "session_closed";
    case Errc::no_tls_pending:
      return "no_tls_pending";
    case Errc::auth_in_progress:
      return "auth_in_progress";
    case Errc::authentication_failed:
      return "authentication_failed";
    case Errc::maildrop_in_use:
      return "maildrop_in_use";
    case Errc::maildrop_unavailable:
      return "maildrop_unavailable";
    case Errc::autologout:
      return "autologout";
    case Errc::connection_lost:
      return "connection_lost";
  }
  return {};
}

}  // namespace pop3
