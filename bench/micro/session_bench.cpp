// The server session without I/O: a whole login (USER, PASS, STAT, QUIT) on an in-memory
// maildrop, and RETR of a large message through the session's Sends.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <variant>

#include "message_text.hpp"
#include "pop3/auth/credential_store.hpp"
#include "pop3/auth/dovecot_scheme.hpp"
#include "pop3/auth/store_authenticator.hpp"
#include "pop3/core/server_session.hpp"
#include "pop3/maildrop/memory_maildrop.hpp"

namespace {

struct World {
  pop3::auth::MemoryCredentialStore store;
  pop3::maildrop::MemoryMaildropStore mail;
  std::unique_ptr<pop3::auth::StoreAuthenticator> authenticator;

  World(pop3::auth::PasswordScheme scheme, int messages, std::size_t octets) {
    auto parsed = pop3::auth::parse_dovecot_password(
        pop3::auth::encode_dovecot_password(scheme, pop3::Secret("wonderland")).reveal());
    store.add("alice", *parsed.credential);
    const std::string text = "Subject: bench\r\n\r\n" + pop3::bench::message_text(octets);
    for (int i = 0; i < messages; ++i)
      mail.deliver("alice", text);
    authenticator = std::make_unique<pop3::auth::StoreAuthenticator>(store);
  }
};

// Drives the session until it wants input or is closed; returns the octets it sent.
std::size_t drain(pop3::ServerSession& session, pop3::TimePoint now, bool& closed) {
  std::size_t sent = 0;
  for (;;) {
    pop3::Step step = session.next(now);
    if (auto* send = std::get_if<pop3::Send>(&step)) {
      sent += send->bytes.size();
    } else if (std::holds_alternative<pop3::Closed>(step)) {
      closed = true;
      return sent;
    } else if (std::holds_alternative<pop3::NeedInput>(step)) {
      return sent;
    }
  }
}

void login_session(benchmark::State& state, pop3::auth::PasswordScheme scheme) {
  World world(scheme, 20, 4096);
  const auto now = pop3::Clock::now();
  for (auto _ : state) {
    pop3::ServerSession session(pop3::ServerConfig{}, *world.authenticator, world.mail, now);
    bool closed = false;
    drain(session, now, closed);
    session.feed("USER alice\r\nPASS wonderland\r\nSTAT\r\nQUIT\r\n", now);
    while (!closed)
      drain(session, now, closed);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_SessionLoginPlain(benchmark::State& state) {
  login_session(state, pop3::auth::PasswordScheme::Plain);
}
BENCHMARK(BM_SessionLoginPlain);

void BM_SessionLoginSha512Crypt(benchmark::State& state) {
  login_session(state, pop3::auth::PasswordScheme::Sha512Crypt);
}
BENCHMARK(BM_SessionLoginSha512Crypt);

void BM_SessionRetr(benchmark::State& state) {
  World world(pop3::auth::PasswordScheme::Plain, 1, static_cast<std::size_t>(state.range(0)));
  const auto now = pop3::Clock::now();
  pop3::ServerSession session(pop3::ServerConfig{}, *world.authenticator, world.mail, now);
  bool closed = false;
  drain(session, now, closed);
  session.feed("USER alice\r\nPASS wonderland\r\n", now);
  drain(session, now, closed);
  std::size_t octets = 0;
  for (auto _ : state) {
    session.feed("RETR 1\r\n", now);
    octets += drain(session, now, closed);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(octets));
}
BENCHMARK(BM_SessionRetr)->Arg(1 << 20);

}  // namespace
