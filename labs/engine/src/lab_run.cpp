#include "pop3/labs/lab_run.hpp"

#include <stdexcept>

#include "pop3/auth/dovecot_scheme.hpp"
#include "pop3/trace/writer.hpp"

namespace pop3::labs {

sim::Scenario make_scenario(const Lab& lab) {
  const Scenario& s = lab.scenario;
  sim::Scenario sc;
  sc.seed = s.seed;
  for (const auto& a : s.accounts) {
    const auto scheme = auth::parse_scheme_name(a.scheme);
    if (!scheme) throw std::runtime_error("lab " + std::to_string(lab.number) + ": unknown scheme " + a.scheme);
    auto& account = sc.add_account(a.user, a.password, *scheme);
    for (const auto& m : s.messages)
      if (m.user == a.user) account.messages.push_back(m.text);
  }
  sc.tls.mode = s.tls == "implicit" ? sim::TlsMode::Implicit
                : s.tls == "stls"   ? sim::TlsMode::Stls
                                    : sim::TlsMode::None;
  // Steps send what a student would type, legal or not: the server's -ERR is the lesson.
  sc.client.enforce_states = false;
  sc.server.plaintext_auth_requires_tls = !s.plaintext_auth;
  sc.server.failed_auth_delay = std::chrono::milliseconds(s.failed_login_delay_ms);
  sc.link.chunking = s.chunk == 0 ? sim::Chunking::whole() : sim::Chunking::fixed(s.chunk);
  sc.link.latency = std::chrono::milliseconds(s.latency_ms);
  sc.trace.expose_secrets = s.expose_secrets;
  sc.trace.label = "lab " + std::to_string(lab.number) + ": " + lab.title;
  sc.trace.producer = "pop3-lab";
  return sc;
}

LabRun::LabRun(const Lab& lab)
    : lab_(lab), simulation_(std::make_unique<sim::Simulation>(make_scenario(lab_), &sink_)) {}

LabRun::~LabRun() = default;

namespace {

const Account& account_of(const Lab& lab, const std::string& user) {
  for (const auto& a : lab.scenario.accounts)
    if (a.user == user) return a;
  throw std::logic_error("no account " + user);  // the file reader refuses such labs
}

}  // namespace

sim::Exchange LabRun::perform(const Step& step) {
  sim::Simulation& sim = *simulation_;
  const std::string& a = step.action;
  if (a == "connect") return sim.connect();
  if (a == "send") return sim.send_raw(step.line);
  if (a == "pipeline") {
    for (const auto& line : step.lines) {
      if (auto ec = sim.queue_raw(line)) {
        sim::Exchange refused;
        refused.refused = ec;
        return refused;
      }
    }
    return sim.run();
  }
  if (a == "login") {
    const Account& acc = account_of(lab_, step.user);
    std::string mech = step.mechanism;
    for (char& c : mech) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (mech == "USER" || mech == "USER/PASS") return sim.login_user_pass(acc.user, acc.password);
    if (mech == "APOP") return sim.apop(acc.user, acc.password);
    return sim.authenticate(mech, acc.user, acc.password);
  }
  if (a == "starttls") return sim.starttls();
  if (a == "quit") return sim.quit();
  if (a == "drop") return sim.drop_connection();
  if (a == "wait") return sim.run_for(std::chrono::duration_cast<Duration>(std::chrono::duration<double>(step.seconds)));
  throw std::logic_error("unknown action " + a);  // the file reader refuses such labs
}

StepOutcome LabRun::run_next() {
  if (done()) throw std::logic_error("the lab has no more steps");
  StepOutcome out;
  out.index = next_;
  out.step = &lab_.steps[next_];
  out.first_record = sink_.records.size();
  out.first_observation = simulation_->eavesdropper().observations().size();
  out.exchange = perform(*out.step);
  out.end_record = sink_.records.size();
  out.end_observation = simulation_->eavesdropper().observations().size();
  ++next_;
  if (done()) finish();
  return out;
}

void LabRun::run_all() {
  while (!done()) run_next();
  finish();
}

void LabRun::finish() { simulation_->finish(); }

bool LabRun::all_checks_hold() const {
  for (const auto& r : checks())
    if (!r.holds) return false;
  return true;
}

void LabRun::write_trace(std::ostream& out) const {
  trace::JsonlWriter writer(out, sim::Simulation::trace_header(simulation_->scenario()));
  for (const auto& r : sink_.records) writer.write(r);
}

}  // namespace pop3::labs
