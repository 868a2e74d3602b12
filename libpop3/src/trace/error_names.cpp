#include "error_names.hpp"

#include "pop3/core/errors.hpp"

namespace pop3::trace::detail {
namespace {

// No default: -Wswitch flags a new Errc that has no trace name yet.
std::string_view name_of(Errc e) noexcept {
  switch (e) {
    case Errc::line_too_long: return "line_too_long";
    case Errc::bare_line_feed: return "bare_line_feed";
    case Errc::invalid_character: return "invalid_character";
    case Errc::empty_command: return "empty_command";
    case Errc::unknown_command: return "unknown_command";
    case Errc::wrong_state: return "wrong_state";
    case Errc::wrong_arguments: return "wrong_arguments";
    case Errc::argument_too_long: return "argument_too_long";
    case Errc::bad_message_number: return "bad_message_number";
    case Errc::no_such_message: return "no_such_message";
    case Errc::message_deleted: return "message_deleted";
    case Errc::not_advertised: return "not_advertised";
    case Errc::bad_base64: return "bad_base64";
    case Errc::auth_cancelled: return "auth_cancelled";
    case Errc::malformed_reply: return "malformed_reply";
    case Errc::unexpected_reply: return "unexpected_reply";
    case Errc::tls_injection: return "tls_injection";
    case Errc::too_many_errors: return "too_many_errors";
    case Errc::crlf_injection: return "crlf_injection";
    case Errc::command_not_allowed_now: return "command_not_allowed_now";
    case Errc::session_closed: return "session_closed";
    case Errc::no_tls_pending: return "no_tls_pending";
    case Errc::auth_in_progress: return "auth_in_progress";
    case Errc::authentication_failed: return "authentication_failed";
    case Errc::maildrop_in_use: return "maildrop_in_use";
    case Errc::maildrop_unavailable: return "maildrop_unavailable";
    case Errc::autologout: return "autologout";
    case Errc::connection_lost: return "connection_lost";
  }
  return {};
}

std::string foreign(std::error_code error) {
  return std::string(error.category().name()) + ":" + std::to_string(error.value());
}

}  // namespace

std::string error_name(std::error_code error) {
  if (error.category() != pop3_category()) return foreign(error);
  const std::string_view name = name_of(static_cast<Errc>(error.value()));
  return name.empty() ? foreign(error) : std::string(name);
}

std::string_view error_kind_name(std::error_code error) {
  if (error.category() != pop3_category() || name_of(static_cast<Errc>(error.value())).empty()) {
    return {};
  }
  switch (kind_of(static_cast<Errc>(error.value()))) {
    case ErrorKind::PeerViolation: return "peer_violation";
    case ErrorKind::LocalMisuse: return "local_misuse";
    case ErrorKind::Outcome: return "outcome";
  }
  return {};
}

}  // namespace pop3::trace::detail
