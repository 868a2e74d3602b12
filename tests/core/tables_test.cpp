#include <doctest/doctest.h>

#include "pop3/core/command_table.hpp"
#include "pop3/core/state_table.hpp"

using namespace pop3;

TEST_CASE("the command table has one row per verb, in enum order") {
  auto table = command_table();
  REQUIRE(table.size() == kVerbCount);
  for (std::size_t i = 0; i < table.size(); ++i) {
    CHECK(static_cast<std::size_t>(table[i].verb) == i);
    CHECK(parse_verb(table[i].name) == table[i].verb);
    CHECK_FALSE(table[i].rfc.empty());
    CHECK_FALSE(table[i].summary.empty());
  }
}

TEST_CASE("multi-line is decided by the command and its argument") {
  CHECK(expects_multiline(Verb::List, 0));
  CHECK_FALSE(expects_multiline(Verb::List, 1));
  CHECK(expects_multiline(Verb::Uidl, 0));
  CHECK_FALSE(expects_multiline(Verb::Uidl, 1));
  CHECK(expects_multiline(Verb::Auth, 0));
  CHECK_FALSE(expects_multiline(Verb::Auth, 1));
  CHECK(expects_multiline(Verb::Retr, 1));
  CHECK(expects_multiline(Verb::Top, 2));
  CHECK(expects_multiline(Verb::Capa, 0));
  for (Verb v : {Verb::User, Verb::Pass, Verb::Apop, Verb::Stls, Verb::Utf8, Verb::Stat, Verb::Dele,
                 Verb::Noop, Verb::Rset, Verb::Quit})
    CHECK_FALSE(expects_multiline(v, spec_of(v).max_args));
}

TEST_CASE("legal commands per state follow RFC 1939, 2449, 2595, 5034 and 6856") {
  auto names = [](State s) {
    std::string out;
    for (Verb v : legal_verbs(s))
      out += std::string(verb_name(v)) + " ";
    return out;
  };
  CHECK(names(State::Authorization) == "USER APOP AUTH STLS CAPA UTF8 QUIT ");
  CHECK(names(State::AwaitingPass) == "USER PASS CAPA QUIT ");
  CHECK(names(State::Transaction) == "CAPA STAT LIST RETR DELE NOOP RSET QUIT TOP UIDL ");
  CHECK(names(State::SaslExchange).empty());
  CHECK(names(State::TlsHandshake).empty());
  CHECK(names(State::Update).empty());
  CHECK(names(State::Closed).empty());
}

TEST_CASE("the transition table moves through the three RFC 1939 states") {
  auto to = [](State from, Signal sig, std::optional<Verb> v, Outcome o) {
    const Transition* t = find_transition(from, sig, v, o);
    return t ? t->to : from;
  };
  CHECK(to(State::Authorization, Signal::Reply, Verb::User, Outcome::Ok) == State::AwaitingPass);
  CHECK(to(State::AwaitingPass, Signal::Reply, Verb::Pass, Outcome::Ok) == State::Transaction);
  CHECK(to(State::AwaitingPass, Signal::Reply, Verb::Pass, Outcome::Err) == State::Authorization);
  CHECK(to(State::Authorization, Signal::Reply, Verb::Apop, Outcome::Err) == State::Authorization);
  CHECK(to(State::Transaction, Signal::Reply, Verb::Quit, Outcome::Ok) == State::Update);
  CHECK(to(State::Update, Signal::UpdateFinished, std::nullopt, Outcome::Ok) == State::Closed);
  CHECK(to(State::Authorization, Signal::Reply, Verb::Stls, Outcome::Ok) == State::TlsHandshake);
  CHECK(to(State::TlsHandshake, Signal::TlsEstablished, std::nullopt, Outcome::Ok) ==
        State::Authorization);
  CHECK(to(State::Authorization, Signal::Reply, Verb::Auth, Outcome::Continue) ==
        State::SaslExchange);
  CHECK(to(State::SaslExchange, Signal::SaslResponse, std::nullopt, Outcome::Ok) ==
        State::Transaction);
}

TEST_CASE("a connection lost in TRANSACTION goes to CLOSED, never through UPDATE") {
  const Transition* t =
      find_transition(State::Transaction, Signal::ConnectionLost, std::nullopt, Outcome::Any);
  REQUIRE(t);
  CHECK(t->to == State::Closed);
  CHECK_FALSE(find_transition(State::Closed, Signal::ConnectionLost, std::nullopt, Outcome::Any));
  for (const auto& row : transition_table()) {
    if (row.to == State::Update) CHECK(row.from == State::Transaction);
  }
}

TEST_CASE("state names round-trip and every state has a description") {
  for (std::size_t i = 0; i < kStateCount; ++i) {
    State s = static_cast<State>(i);
    State back{};
    REQUIRE(parse_state_name(state_name(s), back));
    CHECK(back == s);
    CHECK_FALSE(state_description(s).empty());
  }
}
