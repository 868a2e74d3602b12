#include "pop3/core/reply.hpp"

#include "ascii.hpp"

namespace pop3 {

std::string_view ResponseCode::top() const noexcept {
  std::string_view t = text;
  auto slash = t.find('/');
  return slash == std::string_view::npos ? t : t.substr(0, slash);
}

std::string_view ResponseCode::meaning() const noexcept {
  const std::string_view t = text;
  if (detail::iequals(t, "IN-USE"))
    return "The maildrop is locked by another session (RFC 2449 §8.1.2): try again later.";
  if (detail::iequals(t, "LOGIN-DELAY"))
    return "Logged in too recently (RFC 2449 §8.1.1): wait before logging in again.";
  if (detail::iequals(t, "SYS/TEMP"))
    return "A temporary problem on the server (RFC 3206 §4): retrying later may work.";
  if (detail::iequals(t, "SYS/PERM"))
    return "A permanent problem on the server (RFC 3206 §4): retrying will not help; tell "
           "its administrator.";
  if (detail::iequals(t, "AUTH"))
    return "The credentials were wrong (RFC 3206 §5): fix the user name or password.";
  if (detail::iequals(t, "UTF8")) return "The command needs UTF-8 mode first (RFC 6856).";
  if (top() == "SYS") return "A server-side problem (RFC 3206).";
  return "A response code this tool does not know; RFC 2449 says to treat it by its "
         "top level.";
}

std::string_view status_token(Status status) noexcept {
  switch (status) {
    case Status::Ok:
      return "+OK";
    case Status::Err:
      return "-ERR";
    case Status::Continue:
      return "+";
  }
  return "?";
}

}  // namespace pop3
