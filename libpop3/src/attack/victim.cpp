#include "pop3/attack/victim.hpp"

namespace pop3::attack {

std::string_view start_tls_policy_name(StartTlsPolicy policy) noexcept {
  switch (policy) {
    case StartTlsPolicy::Opportunistic:
      return "opportunistic";
    case StartTlsPolicy::Required:
      return "required";
  }
  return "?";
}

namespace {

bool session_open(sim::Simulation& sim) {
  return sim.client_session().state() != State::Closed;
}

}  // namespace

VictimReport run_victim(sim::Simulation& sim, const VictimConfig& config) {
  VictimReport r;
  auto say = [&r](std::string line) { r.story.push_back(std::move(line)); };
  if (!sim.client_session().greeted()) (void)sim.connect();
  if (!session_open(sim)) {
    say("the server closed the connection before anything was said");
    return r;
  }

  bool try_tls = true;
  if (config.ask_capa) {
    (void)sim.capa();
    r.stls_offered = sim.client_session().capabilities().has("STLS");
    try_tls = r.stls_offered;
    say(r.stls_offered ? "CAPA lists STLS" : "CAPA does not list STLS");
  }
  if (try_tls) {
    const sim::Exchange ex = sim.starttls();
    r.stls_sent = true;
    const Reply* reply = ex.last_reply();
    if (ex.tls_established) {
      r.tls_established = true;
      say("STLS accepted; TLS is up");
    } else if (!ex.tls_failure.empty()) {
      r.tls_failure = ex.tls_failure;
      say("the TLS handshake failed (" + ex.tls_failure + "); nothing more is sent");
      if (session_open(sim)) (void)sim.quit();
      return r;
    } else if (reply && reply->status == Status::Err) {
      r.stls_refused = true;
      say("STLS was refused: -ERR " + reply->text);
    }
  }
  if (!r.tls_established && config.policy == StartTlsPolicy::Required) {
    r.gave_up = true;
    say("policy \"required\": no TLS, so no login; the password stays with the client");
    if (session_open(sim)) (void)sim.quit();
    return r;
  }
  if (!r.tls_established) say("policy \"opportunistic\": logging in without TLS");

  const sim::Exchange login = sim.login_user_pass(config.user, config.password);
  for (const sim::SimEvent& e : login.events) {
    if (e.kind != sim::SimEvent::Kind::SessionStep || e.side != sim::Side::Client) continue;
    if (const auto* c = std::get_if<CommandEvent>(&e.step); c && c->command.verb == Verb::Pass) {
      r.credentials_sent = true;
      r.credentials_in_clear = !r.tls_established;
    }
  }
  r.logged_in = login.ok();
  say(std::string("USER/PASS ") + (r.credentials_sent ? "sent" : "not sent (USER refused)") +
      (r.credentials_sent ? (r.credentials_in_clear ? " in clear" : " under TLS") : "") +
      (r.logged_in ? "; logged in" : "; not logged in"));
  if (session_open(sim)) (void)sim.quit();
  return r;
}

}  // namespace pop3::attack
