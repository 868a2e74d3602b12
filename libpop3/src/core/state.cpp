#include "pop3/core/state.hpp"

#include <array>

namespace pop3 {
namespace {

struct StateInfo {
  State state;
  Phase phase;
  std::string_view name;
  std::string_view description;
};

constexpr std::array<StateInfo, kStateCount> kStates{{
    {State::Authorization, Phase::Authorization, "AUTHORIZATION",
     "The server has greeted the client and waits for it to identify itself."},
    {State::AwaitingPass, Phase::Authorization, "AUTHORIZATION/USER",
     "USER was accepted; the server waits for PASS (or QUIT)."},
    {State::SaslExchange, Phase::Authorization, "AUTHORIZATION/SASL",
     "An AUTH exchange is under way; each line from the client answers a \"+ \" challenge."},
    {State::TlsHandshake, Phase::Authorization, "AUTHORIZATION/TLS",
     "STLS was accepted; client and server negotiate TLS before any more POP3."},
    {State::Transaction, Phase::Transaction, "TRANSACTION",
     "The client is logged in and the maildrop is locked; messages can be listed, read and "
     "marked for deletion."},
    {State::Update, Phase::Update, "UPDATE",
     "The client sent QUIT in TRANSACTION; the server removes the messages marked as deleted."},
    {State::Closed, Phase::Closed, "CLOSED", "The connection is over."},
}};

}  // namespace

Phase phase_of(State state) noexcept {
  return kStates[static_cast<std::size_t>(state)].phase;
}

std::string_view state_name(State state) noexcept {
  return kStates[static_cast<std::size_t>(state)].name;
}

std::string_view state_description(State state) noexcept {
  return kStates[static_cast<std::size_t>(state)].description;
}

std::string_view phase_name(Phase phase) noexcept {
  switch (phase) {
    case Phase::Authorization:
      return "AUTHORIZATION";
    case Phase::Transaction:
      return "TRANSACTION";
    case Phase::Update:
      return "UPDATE";
    case Phase::Closed:
      return "CLOSED";
  }
  return "?";
}

bool parse_state_name(std::string_view name, State& out) noexcept {
  for (const auto& info : kStates) {
    if (info.name == name) {
      out = info.state;
      return true;
    }
  }
  return false;
}

}  // namespace pop3
