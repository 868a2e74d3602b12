#include "error_names.hpp"

#include "pop3/core/errors.hpp"

namespace pop3::trace::detail {
namespace {

std::string foreign(std::error_code error) {
  return std::string(error.category().name()) + ":" + std::to_string(error.value());
}

}  // namespace

std::string error_name(std::error_code error) {
  if (error.category() != pop3_category()) return foreign(error);
  const std::string_view name = errc_name(static_cast<Errc>(error.value()));
  return name.empty() ? foreign(error) : std::string(name);
}

std::string_view error_kind_name(std::error_code error) {
  if (error.category() != pop3_category() || errc_name(static_cast<Errc>(error.value())).empty()) {
    return {};
  }
  switch (kind_of(static_cast<Errc>(error.value()))) {
    case ErrorKind::PeerViolation:
      return "peer_violation";
    case ErrorKind::LocalMisuse:
      return "local_misuse";
    case ErrorKind::Outcome:
      return "outcome";
  }
  return {};
}

}  // namespace pop3::trace::detail
