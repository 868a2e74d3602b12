#include "pop3/core/state_table.hpp"

#include <array>

#include "pop3/core/command_table.hpp"

namespace pop3 {
namespace {

using S = State;
using V = Verb;
using O = Outcome;
constexpr std::optional<State> kAny = std::nullopt;
constexpr std::optional<Verb> kNoVerb = std::nullopt;

constexpr std::array kTransitions{
    Transition{S::Authorization, Signal::Reply, V::User, O::Ok, S::AwaitingPass,
               "USER accepted: the server now waits for PASS."},
    Transition{S::AwaitingPass, Signal::Reply, V::User, O::Err, S::Authorization,
               "USER refused: the client starts again."},
    Transition{S::AwaitingPass, Signal::Reply, V::Pass, O::Ok, S::Transaction,
               "Password accepted: the maildrop is locked and the session enters TRANSACTION."},
    Transition{S::AwaitingPass, Signal::Reply, V::Pass, O::Err, S::Authorization,
               "Login refused: back to the start of AUTHORIZATION."},
    Transition{S::Authorization, Signal::Reply, V::Apop, O::Ok, S::Transaction,
               "APOP digest accepted: the maildrop is locked and the session enters TRANSACTION."},
    Transition{S::Authorization, Signal::Reply, V::Auth, O::Continue, S::SaslExchange,
               "The server sent a SASL challenge: the client must answer it."},
    Transition{S::Authorization, Signal::Reply, V::Auth, O::Ok, S::Transaction,
               "The initial response sufficed: logged in, the session enters TRANSACTION."},
    Transition{S::SaslExchange, Signal::SaslResponse, kNoVerb, O::Continue, S::SaslExchange,
               "Another SASL challenge."},
    Transition{S::SaslExchange, Signal::SaslResponse, kNoVerb, O::Ok, S::Transaction,
               "SASL exchange succeeded: the session enters TRANSACTION."},
    Transition{S::SaslExchange, Signal::SaslResponse, kNoVerb, O::Err, S::Authorization,
               "SASL exchange failed or was cancelled: back to AUTHORIZATION."},
    Transition{S::Authorization, Signal::Reply, V::Stls, O::Ok, S::TlsHandshake,
               "STLS accepted: the next bytes on the connection are a TLS handshake."},
    Transition{S::TlsHandshake, Signal::TlsEstablished, kNoVerb, O::Ok, S::Authorization,
               "TLS is up: AUTHORIZATION starts afresh and everything learned before is "
               "forgotten."},
    Transition{S::TlsHandshake, Signal::TlsFailed, kNoVerb, O::Any, S::Closed,
               "The TLS handshake failed: the connection is closed."},
    Transition{S::Authorization, Signal::Reply, V::Quit, O::Any, S::Closed,
               "QUIT before logging in: nothing to update, the connection closes."},
    Transition{S::AwaitingPass, Signal::Reply, V::Quit, O::Any, S::Closed,
               "QUIT before logging in: nothing to update, the connection closes."},
    Transition{S::Transaction, Signal::Reply, V::Quit, O::Any, S::Update,
               "QUIT in TRANSACTION: the server enters UPDATE and removes the messages marked "
               "as deleted."},
    Transition{S::Update, Signal::UpdateFinished, kNoVerb, O::Ok, S::Closed,
               "UPDATE done: the deleted messages are gone and the connection closes."},
    Transition{S::Update, Signal::UpdateFinished, kNoVerb, O::Err, S::Closed,
               "UPDATE could not remove every marked message; those are still there."},
    Transition{kAny, Signal::Autologout, kNoVerb, O::Any, S::Closed,
               "The autologout timer expired: the server closes without entering UPDATE, so "
               "nothing is deleted."},
    Transition{kAny, Signal::Shutdown, kNoVerb, O::Any, S::Closed,
               "The server ended the session without UPDATE: nothing is deleted."},
    Transition{kAny, Signal::ConnectionLost, kNoVerb, O::Any, S::Closed,
               "The connection ended without QUIT: no UPDATE, nothing is deleted."},
};

}  // namespace

std::span<const Transition> transition_table() noexcept {
  return kTransitions;
}

const Transition* find_transition(State from, Signal signal, std::optional<Verb> verb,
                                  Outcome outcome) noexcept {
  for (const auto& t : kTransitions) {
    if (t.signal != signal) continue;
    if (t.from ? *t.from != from : from == State::Closed) continue;
    if (t.verb && t.verb != verb) continue;
    if (t.outcome != Outcome::Any && t.outcome != outcome) continue;
    return &t;
  }
  return nullptr;
}

std::string_view signal_name(Signal signal) noexcept {
  switch (signal) {
    case Signal::Reply:
      return "reply";
    case Signal::SaslResponse:
      return "sasl-response";
    case Signal::TlsEstablished:
      return "tls-established";
    case Signal::TlsFailed:
      return "tls-failed";
    case Signal::UpdateFinished:
      return "update-finished";
    case Signal::Autologout:
      return "autologout";
    case Signal::Shutdown:
      return "shutdown";
    case Signal::ConnectionLost:
      return "connection-lost";
  }
  return "?";
}

std::string_view outcome_name(Outcome outcome) noexcept {
  switch (outcome) {
    case Outcome::Ok:
      return "ok";
    case Outcome::Err:
      return "err";
    case Outcome::Continue:
      return "continue";
    case Outcome::Any:
      return "any";
  }
  return "?";
}

std::vector<Verb> legal_verbs(State state) {
  std::vector<Verb> verbs;
  for (const auto& spec : command_table())
    if (spec.legal.contains(state)) verbs.push_back(spec.verb);
  return verbs;
}

}  // namespace pop3
