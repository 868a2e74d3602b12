// Simulation: construction, stepping and the accessors (the actions are in actions.cpp).
#include <chrono>

#include "simulation_impl.hpp"

namespace pop3::sim {

Simulation::Simulation(Scenario scenario, trace::Sink* sink)
    : impl_(std::make_unique<Impl>(std::move(scenario), sink)) {}

Simulation::~Simulation() {
  try {
    impl_->finish();
  } catch (...) {
    // A sink that fails while the simulation is being destroyed has nowhere to report.
  }
}

trace::HeaderRecord Simulation::trace_header(const Scenario& scenario) {
  using namespace std::chrono;
  trace::HeaderRecord h;
  h.producer = scenario.trace.producer + " seed=" + std::to_string(scenario.seed);
  // A fixed creation time: the same scenario writes the same file.
  h.created = trace::WallTime(sys_days(year(2024) / January / 1));
  return h;
}

SimEvent Simulation::step() {
  return impl_->step();
}
Exchange Simulation::run() {
  return impl_->run_until_idle();
}

Exchange Simulation::run_for(Duration d) {
  const std::size_t from = impl_->history.size();
  const TimePoint target = impl_->clock.now() + d;
  impl_->horizon = target;
  try {
    impl_->run_until_idle();
  } catch (...) {
    impl_->horizon.reset();
    throw;
  }
  impl_->horizon.reset();
  if (impl_->clock.now() < target) impl_->clock.advance_to(target);
  return impl_->summarize(from);
}

bool Simulation::idle() const {
  return impl_->idle_;
}

bool Simulation::finished() const {
  return impl_->client_closed && impl_->server_closed && impl_->link.idle();
}

std::error_code Simulation::queue(const Command& command) {
  impl_->idle_ = false;
  return impl_->client.send(command);
}

std::error_code Simulation::queue_raw(std::string_view line) {
  impl_->idle_ = false;
  return impl_->client.send_raw(line);
}

std::error_code Simulation::queue_authenticate(std::unique_ptr<ClientMechanism> mechanism) {
  impl_->idle_ = false;
  return impl_->client.authenticate(std::move(mechanism));
}

void Simulation::queue_drop(std::string why) {
  impl_->request_cut(std::move(why));
}

const Scenario& Simulation::scenario() const noexcept {
  return impl_->scenario;
}
ClientSession& Simulation::client_session() noexcept {
  return impl_->client;
}
const ClientSession& Simulation::client_session() const noexcept {
  return impl_->client;
}
ServerSession& Simulation::server_session() noexcept {
  return impl_->server;
}
const ServerSession& Simulation::server_session() const noexcept {
  return impl_->server;
}
const VirtualClock& Simulation::clock() const noexcept {
  return impl_->clock;
}
const Eavesdropper& Simulation::eavesdropper() const noexcept {
  return impl_->tap;
}
maildrop::MemoryMaildropStore& Simulation::maildrops() noexcept {
  return impl_->maildrops;
}
const auth::MemoryCredentialStore& Simulation::credentials() const noexcept {
  return impl_->credentials;
}
LabNonces& Simulation::nonces() noexcept {
  return impl_->nonces;
}
const Link& Simulation::link() const noexcept {
  return impl_->link;
}
const std::vector<SimEvent>& Simulation::history() const noexcept {
  return impl_->history;
}
const trace::MemorySink* Simulation::memory_trace() const noexcept {
  return impl_->own_sink.get();
}

const TlsPipe* Simulation::tls(Side side) const noexcept {
  return side == Side::Client ? impl_->client_end.tls() : impl_->server_end.tls();
}

bool Simulation::closed(Side side) const noexcept {
  return side == Side::Client ? impl_->client_closed : impl_->server_closed;
}

void Simulation::set_middlebox(std::unique_ptr<Middlebox> middlebox) {
  impl_->middlebox = middlebox ? std::move(middlebox) : std::make_unique<IdentityMiddlebox>();
}

void Simulation::finish() {
  impl_->finish();
}

}  // namespace pop3::sim
