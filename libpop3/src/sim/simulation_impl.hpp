#pragma once
// Private to pop3::sim: the parts of a Simulation and how they are wired. Members are
// declared in the order they must be built (the sessions refer to the stores and the
// authenticator; the authenticator's options point at the nonces).
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "drop_tracker.hpp"
#include "endpoint.hpp"
#include "pop3/auth/store_authenticator.hpp"
#include "pop3/sim/simulation.hpp"
#include "pop3/trace/recorder.hpp"

namespace pop3::sim {

struct Simulation::Impl {
  Impl(Scenario s, trace::Sink* external);

  // --- the loop (simulation.cpp)
  SimEvent step();
  Exchange run_until_idle();
  Exchange summarize(std::size_t from) const;
  void request_cut(std::string why);
  void finish();

  // --- parts
  Scenario scenario;
  VirtualClock clock;
  LabNonces nonces;
  auth::MemoryCredentialStore credentials;
  std::shared_ptr<maildrop::MemoryMaildropStore> maildrop_store;  // the scenario's, or our own
  maildrop::MemoryMaildropStore& maildrops;
  auth::StoreAuthenticator authenticator;
  std::unique_ptr<Authenticator> policy;  // Scenario::authenticator's wrapper, if any
  std::unique_ptr<trace::MemorySink> own_sink;
  trace::Sink& sink;
  trace::Recorder client_rec;
  trace::Recorder server_rec;
  trace::Recorder link_rec;
  std::shared_ptr<const TlsIdentity> server_identity;
  std::shared_ptr<const TlsIdentity> trusted_identity;
  Eavesdropper tap;
  Link link;
  std::unique_ptr<Middlebox> middlebox;
  detail::DropTracker drops;
  detail::Endpoint client_end{Side::Client};
  detail::Endpoint server_end{Side::Server};
  ServerSession server;
  ClientSession client;

  // --- progress
  bool client_closed = false;  // the session reported Closed
  bool server_closed = false;
  std::vector<SimEvent> history;
  std::deque<SimEvent> pending;  // events found while doing something else (TLS up, ...)
  bool cut_pending = false;
  bool cut_done = false;
  std::string cut_reason;
  std::optional<TimePoint> cut_time;
  std::optional<TimePoint> horizon;  // run_for(): time may pass up to here
  bool link_tls_recorded = false;
  bool idle_ = false;

 private:
  SimEvent record(SimEvent e);
  std::optional<SimEvent> pull(Side side);
  void handle(Side side, const Step& step);
  void put_on_wire(Side side, detail::WireWrite w);
  void put_all(Side side, std::vector<detail::WireWrite> writes);
  SimEvent deliver(Link::Delivery d);
  void feed(Side side, const std::string& app);
  void tls_up(Side side);
  void tls_failed(Side side, const std::string& why);
  SimEvent apply_cut();
  void arm(const detail::Arm& arm);
  TlsPipe make_pipe(Side side);
  [[nodiscard]] std::optional<TimePoint> next_event_time() const;
  void maybe_end_link();
  void link_note(std::string text);

  [[nodiscard]] bool& closed(Side s) noexcept {
    return s == Side::Client ? client_closed : server_closed;
  }
  [[nodiscard]] detail::Endpoint& endpoint(Side s) noexcept {
    return s == Side::Client ? client_end : server_end;
  }
  [[nodiscard]] trace::Recorder& recorder(Side s) noexcept {
    return s == Side::Client ? client_rec : server_rec;
  }
};

}  // namespace pop3::sim
