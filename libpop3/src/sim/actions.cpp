// The client-side actions labs script: each queues what the client says and runs until
// nothing moves.
#include "pop3/auth/apop.hpp"
#include "pop3/auth/client_mechanisms.hpp"
#include "pop3/auth/client_scram_sha256.hpp"
#include "simulation_impl.hpp"

namespace pop3::sim {
namespace {

Exchange refused(std::error_code error) {
  Exchange ex;
  ex.refused = error;
  return ex;
}

}  // namespace

Exchange Simulation::connect() {
  return run();
}

Exchange Simulation::send(const Command& command) {
  if (auto error = queue(command)) return refused(error);
  return run();
}

Exchange Simulation::send_raw(std::string_view line) {
  if (auto error = queue_raw(line)) return refused(error);
  return run();
}

Exchange Simulation::capa() {
  return send(Command{Verb::Capa, {}});
}

Exchange Simulation::login_user_pass(std::string_view user, std::string_view password) {
  Exchange ex = send(Command{Verb::User, {std::string(user)}});
  if (!ex.ok()) return ex;
  ex.append(send(Command{Verb::Pass, {std::string(password)}}));
  return ex;
}

Exchange Simulation::apop(std::string_view user, std::string_view password) {
  Exchange ex;
  if (!impl_->client.greeted()) ex = run();
  const auto& timestamp = impl_->client.apop_timestamp();
  if (!timestamp) {
    ex.append(refused(make_error_code(Errc::not_advertised)));
    return ex;
  }
  const std::string digest = auth::apop_digest(*timestamp, Secret(password));
  ex.append(send(Command{Verb::Apop, {std::string(user), digest}}));
  return ex;
}

Exchange Simulation::authenticate(std::string_view mechanism, std::string_view user,
                                  std::string_view password) {
  std::unique_ptr<ClientMechanism> m;
  if (auth::parse_sasl_mechanism(mechanism) == auth::Mechanism::ScramSha256) {
    // The client nonce crosses the wire: it comes from the seed.
    m = std::make_unique<auth::ScramSha256Client>(std::string(user), Secret(password),
                                                  impl_->nonces.scram_client_nonce());
  } else {
    m = auth::make_client_mechanism(mechanism, user, Secret(password));
  }
  if (!m) return refused(make_error_code(Errc::not_advertised));
  return authenticate(std::move(m));
}

Exchange Simulation::authenticate(std::unique_ptr<ClientMechanism> mechanism) {
  if (auto error = queue_authenticate(std::move(mechanism))) return refused(error);
  return run();
}

Exchange Simulation::starttls() {
  return send(Command{Verb::Stls, {}});
}

Exchange Simulation::quit() {
  return send(Command{Verb::Quit, {}});
}

Exchange Simulation::drop_connection(std::string why) {
  queue_drop(std::move(why));
  return run();
}

}  // namespace pop3::sim
