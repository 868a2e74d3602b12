#pragma once
// Simulation: a pop3::ClientSession and a pop3::ServerSession joined by a virtual link
// (chunking, latency, a cut), with real TLS in memory, an eavesdropper on the link and a
// trace of everything. No sockets, no threads, no real time: a run is a function of its
// Scenario (seed included) and of the calls made on it.
//
// Two ways to drive it:
// - Actions (labs, tests): connect(), login_user_pass(), authenticate(), apop(),
//   starttls(), send(), quit(), drop_connection(), ... Each queues what the client says,
//   runs until nothing moves (replies in, TLS up, or the link down) and returns an
//   Exchange: the replies, state changes, violations and every SimEvent on the way.
// - Steps (the visualizer, pop3-lab's step mode): queue() / queue_raw() what the client
//   should say, then call step() repeatedly. Each step does one thing and says what:
//   one session step, one chunk delivered, the clock moved, the link cut; Idle when
//   nothing is left to do.
//
// The order a step chooses, which makes runs reproducible: the server's next step, else
// the client's, else a pending cut, else the earliest delivery that is due, else the
// clock moves to the next due time (a delivery, the server's held-back reply, the drop
// time). The autologout timer is not such a time: it fires only if run_for() lets
// enough virtual time pass.
//
// The trace: three sessions in the Sink, "client" (Role::Client: the client session's
// steps), "server" (Role::Server) and "link" (Role::Simulator: the wire as the
// eavesdropper saw it, both channels, the exposures it could read, notes about
// chunking, drops and middlebox actions). Times are virtual. With no Sink given, the
// records are kept in memory_trace().
//
// A Simulation holds references between its parts: it can be neither copied nor moved.
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "pop3/auth/credential_store.hpp"
#include "pop3/core/client_session.hpp"
#include "pop3/core/mechanism.hpp"
#include "pop3/core/server_session.hpp"
#include "pop3/maildrop/memory_maildrop.hpp"
#include "pop3/sim/clock.hpp"
#include "pop3/sim/eavesdropper.hpp"
#include "pop3/sim/events.hpp"
#include "pop3/sim/scenario.hpp"
#include "pop3/trace/sink.hpp"

namespace pop3::sim {

class Simulation {
 public:
  explicit Simulation(Scenario scenario, trace::Sink* sink = nullptr);
  ~Simulation();  // ends the trace sessions still open
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;
  Simulation(Simulation&&) = delete;
  Simulation& operator=(Simulation&&) = delete;

  // The header a JsonlWriter for this scenario's trace should start with: producer
  // "pop3-sim seed=N", a fixed creation time (so the file replays byte for byte).
  [[nodiscard]] static trace::HeaderRecord trace_header(const Scenario& scenario);

  // --- stepping ------------------------------------------------------------------------
  SimEvent step();
  // Steps until Idle; returns what happened.
  Exchange run();
  // Lets `d` of virtual time pass, doing everything due in it (the autologout timer
  // included), then stops at now + d.
  Exchange run_for(Duration d);
  [[nodiscard]] bool idle() const;
  // Both sessions are closed and nothing is in flight.
  [[nodiscard]] bool finished() const;

  // --- client actions: each runs until nothing moves --------------------------------------
  Exchange connect();  // the greeting (after the TLS handshake for implicit TLS)
  Exchange send(const Command& command);
  Exchange send_raw(std::string_view line);
  Exchange capa();
  // USER, then PASS if USER was accepted.
  Exchange login_user_pass(std::string_view user, std::string_view password);
  // APOP with the digest of the greeting's timestamp; refused (not_advertised) when the
  // greeting had none.
  Exchange apop(std::string_view user, std::string_view password);
  // AUTH with PLAIN, LOGIN, CRAM-MD5 or SCRAM-SHA-256 (the SCRAM client nonce comes from
  // the seed); refused (not_advertised) for a name the library does not implement.
  Exchange authenticate(std::string_view mechanism, std::string_view user,
                        std::string_view password);
  Exchange authenticate(std::unique_ptr<ClientMechanism> mechanism);
  // STLS, and the handshake if the server agrees.
  Exchange starttls();
  Exchange quit();
  // Breaks the connection now: bytes in flight are lost, both sessions get
  // connection_lost().
  Exchange drop_connection(std::string why = "the lab dropped the connection");

  // --- queueing without running (for step()) -----------------------------------------------
  std::error_code queue(const Command& command);
  std::error_code queue_raw(std::string_view line);
  std::error_code queue_authenticate(std::unique_ptr<ClientMechanism> mechanism);
  void queue_drop(std::string why = "the lab dropped the connection");

  // --- looking inside ----------------------------------------------------------------------
  [[nodiscard]] const Scenario& scenario() const noexcept;
  [[nodiscard]] ClientSession& client_session() noexcept;
  [[nodiscard]] const ClientSession& client_session() const noexcept;
  [[nodiscard]] ServerSession& server_session() noexcept;
  [[nodiscard]] const ServerSession& server_session() const noexcept;
  [[nodiscard]] const VirtualClock& clock() const noexcept;
  [[nodiscard]] const Eavesdropper& eavesdropper() const noexcept;
  [[nodiscard]] maildrop::MemoryMaildropStore& maildrops() noexcept;
  [[nodiscard]] const auth::MemoryCredentialStore& credentials() const noexcept;
  [[nodiscard]] LabNonces& nonces() noexcept;
  [[nodiscard]] const Link& link() const noexcept;
  // Every event so far, in order.
  [[nodiscard]] const std::vector<SimEvent>& history() const noexcept;
  // The records, when no Sink was given; nullptr otherwise.
  [[nodiscard]] const trace::MemorySink* memory_trace() const noexcept;
  // The TLS pipe of a side, once TLS started on it; nullptr before (or without TLS).
  [[nodiscard]] const TlsPipe* tls(Side side) const noexcept;
  [[nodiscard]] bool closed(Side side) const noexcept;

  // Replaces the middlebox (before the bytes it should see cross).
  void set_middlebox(std::unique_ptr<Middlebox> middlebox);
  // Ends the open trace sessions now (the destructor does it too).
  void finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pop3::sim
