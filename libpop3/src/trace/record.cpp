#include "pop3/trace/record.hpp"

#include <array>
#include <type_traits>

namespace pop3::trace {
namespace {

constexpr std::array<std::string_view, 3> kRoles{"client", "server", "simulator"};
constexpr std::array<std::string_view, 2> kChannels{"plain", "tls"};

template <typename Enum, std::size_t N>
bool parse_name(const std::array<std::string_view, N>& names, std::string_view name,
                Enum& out) noexcept {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == name) {
      out = static_cast<Enum>(i);
      return true;
    }
  }
  return false;
}

template <typename T>
constexpr std::string_view type_name() noexcept {
  if constexpr (std::is_same_v<T, HeaderRecord>)
    return "header";
  else if constexpr (std::is_same_v<T, SessionStartRecord>)
    return "session_start";
  else if constexpr (std::is_same_v<T, AppBytesRecord>)
    return "app";
  else if constexpr (std::is_same_v<T, WireBytesRecord>)
    return "wire";
  else if constexpr (std::is_same_v<T, CommandRecord>)
    return "command";
  else if constexpr (std::is_same_v<T, ReplyRecord>)
    return "reply";
  else if constexpr (std::is_same_v<T, StateChangeRecord>)
    return "state";
  else if constexpr (std::is_same_v<T, TlsRequestedRecord>)
    return "tls_requested";
  else if constexpr (std::is_same_v<T, TlsEstablishedRecord>)
    return "tls_established";
  else if constexpr (std::is_same_v<T, TlsFailedRecord>)
    return "tls_failed";
  else if constexpr (std::is_same_v<T, AuthStepRecord>)
    return "auth_step";
  else if constexpr (std::is_same_v<T, ExposureRecord>)
    return "exposure";
  else if constexpr (std::is_same_v<T, InjectionDiscardedRecord>)
    return "injection_discarded";
  else if constexpr (std::is_same_v<T, ViolationRecord>)
    return "violation";
  else if constexpr (std::is_same_v<T, NoteRecord>)
    return "note";
  else {
    static_assert(std::is_same_v<T, SessionEndRecord>, "a record type without a name");
    return "session_end";
  }
}

}  // namespace

std::string_view role_name(Role role) noexcept {
  return kRoles[static_cast<std::size_t>(role)];
}

bool parse_role_name(std::string_view name, Role& out) noexcept {
  return parse_name(kRoles, name, out);
}

std::string_view channel_name(Channel channel) noexcept {
  return kChannels[static_cast<std::size_t>(channel)];
}

bool parse_channel_name(std::string_view name, Channel& out) noexcept {
  return parse_name(kChannels, name, out);
}

bool parse_direction_name(std::string_view name, Direction& out) noexcept {
  for (Direction d : {Direction::ClientToServer, Direction::ServerToClient}) {
    if (direction_name(d) == name) {
      out = d;
      return true;
    }
  }
  return false;
}

std::string_view record_type_name(const Body& body) noexcept {
  return std::visit(
      [](const auto& alternative) { return type_name<std::decay_t<decltype(alternative)>>(); },
      body);
}

std::string_view observed_exposure(const ExposureRecord& exposure) noexcept {
  if (exposure.channel == Channel::Tls) return "encrypted";
  return exposure.kind;
}

}  // namespace pop3::trace
