#pragma once
// Scenario: everything a simulated run starts from. Two runs of the same scenario with
// the same calls replay the same (see docs/simulator.md, "Determinism").
//
//   pop3::sim::Scenario s;
//   s.seed = 42;
//   s.add_account("alice", "wonderland").messages = {"Subject: hi\r\n\r\nhello\r\n"};
//   s.tls.mode = pop3::sim::TlsMode::Stls;
//   s.link.chunking = pop3::sim::Chunking::fixed(1);
//   pop3::sim::Simulation sim(s);
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "pop3/auth/credential_store.hpp"
#include "pop3/auth/dovecot_scheme.hpp"
#include "pop3/core/client_session.hpp"
#include "pop3/core/server_session.hpp"
#include "pop3/maildrop/memory_maildrop.hpp"
#include "pop3/sim/clock.hpp"
#include "pop3/sim/link.hpp"
#include "pop3/sim/middlebox.hpp"
#include "pop3/sim/seeded.hpp"
#include "pop3/sim/tls_pipe.hpp"

namespace pop3::sim {

struct Account {
  std::string user;
  std::string password;  // what the user types
  // How the server stores it (Dovecot schemes): the password itself (PLAIN) allows every
  // mechanism; SHA512-CRYPT rules out APOP, CRAM-MD5 and SCRAM; SCRAM-SHA-256 keys rule
  // out APOP and CRAM-MD5 (see pop3::auth::StoreAuthenticator).
  auth::PasswordScheme scheme = auth::PasswordScheme::Plain;
  // A passwd-file field "{SCHEME}data" to store instead (then `scheme` is ignored).
  std::string stored;
  std::vector<std::string> messages;  // the maildrop, in order (LF line ends become CRLF)
};

struct TraceSettings {
  // Real secrets in the trace (app records, plain wire records, command arguments). On
  // by default: labs teach sniffing. The exposure records are there either way.
  bool expose_secrets = true;
  std::string label;  // session_start label, for people
  std::string producer = "pop3-sim";
};

struct Scenario {
  std::uint64_t seed = 1;
  std::string host = "localhost";  // in APOP timestamps and CRAM-MD5 challenges
  std::vector<Account> accounts;
  // The sessions' settings. The simulator sets server.tls_available, server.tls_active,
  // client.tls_active from `tls.mode`, and server.apop_timestamp from the seed when
  // `apop` is on and none is given.
  ServerConfig server;
  ClientConfig client;
  bool apop = true;
  LinkSettings link;
  TlsSettings tls;
  TraceSettings trace;
  // Makes the middlebox for a run; empty: the identity (nobody on the path).
  std::function<std::unique_ptr<Middlebox>()> middlebox;
  // Wraps the server's authenticator for a run: called once, when the Simulation is
  // built, with the credential store's authenticator and the run's clock (both outlive
  // the wrapper). pop3::auth::PolicyAuthenticator is the one meant: pop3-server's delays,
  // penalties and lockout, on virtual time. Empty: the store's authenticator alone.
  std::function<std::unique_ptr<Authenticator>(Authenticator& store, const VirtualClock& clock)>
      authenticator;
  // The maildrops the run's server serves. Empty: a store of the run's own, filled with
  // the accounts' messages. Given: this store, as it is (not filled again), so that
  // several runs (a lab's connections, one after the other or at the same time) share one
  // server's maildrops: a deletion committed by one is gone for the next, and a maildrop
  // locked by one is [IN-USE] for another. Fill it with fill_maildrops().
  std::shared_ptr<maildrop::MemoryMaildropStore> maildrops;

  Account& add_account(std::string user, std::string password,
                       auth::PasswordScheme scheme = auth::PasswordScheme::Plain);
};

// The credential store a scenario's accounts make: each password encoded in its scheme
// and read back with pop3::auth::parse_dovecot_password, as a passwd-file would give it.
// SCRAM-SHA-256 accounts get a salt from the seed (it crosses the wire); SHA512-CRYPT
// gets a random one (it never does). Throws std::invalid_argument for a bad `stored`
// field or a duplicate user.
[[nodiscard]] auth::MemoryCredentialStore make_credentials(const Scenario& scenario,
                                                           const LabNonces& nonces);
// Fills a maildrop store with the accounts' messages (UIDLs "mem-1", "mem-2", ...).
void fill_maildrops(const Scenario& scenario, maildrop::MemoryMaildropStore& store);

}  // namespace pop3::sim
