#include "pop3/labs/lab_run.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <map>
#include <stdexcept>

#include "pop3/attack/attack.hpp"
#include "pop3/auth/dovecot_scheme.hpp"
#include "pop3/auth/policy.hpp"
#include "pop3/trace/writer.hpp"

namespace pop3::labs {

sim::Scenario make_scenario(const Lab& lab, std::shared_ptr<const Duration> connection_start) {
  const Scenario& s = lab.scenario;
  sim::Scenario sc;
  sc.seed = s.seed;
  for (const auto& a : s.accounts) {
    const auto scheme = auth::parse_scheme_name(a.scheme);
    if (!scheme)
      throw std::runtime_error("lab " + std::to_string(lab.number) + ": unknown scheme " +
                               a.scheme);
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
  sc.trace.label = "lab " + std::to_string(lab.number) + ": " + lab.title +
                   (lab.student.empty() ? "" : " (student " + lab.student + ")");
  sc.trace.producer = "pop3-lab";
  sc.tls.verify_peer = s.verify_certificate;
  sc.tls.expected_host = s.expected_host;

  // pop3-server's login policy, on the lab's timeline. The state is shared by the
  // scenario's copies, as a running server keeps it across connections.
  if (s.penalty_step_ms > 0 || s.lockout_after > 0) {
    auth::LoginPolicy policy;
    policy.failed_login_delay = std::chrono::milliseconds(s.failed_login_delay_ms);
    policy.penalty_step = std::chrono::milliseconds(s.penalty_step_ms);
    policy.penalty_max = std::chrono::milliseconds(std::max(s.penalty_max_ms, s.penalty_step_ms));
    policy.lockout_after = static_cast<int>(s.lockout_after);
    policy.lockout_duration = std::chrono::seconds(s.lockout_seconds);
    auto state = std::make_shared<auth::PolicyState>(policy);
    // Each connection's simulation has a clock of its own, started at 0; the policy needs
    // one time for all of them (a lockout earned on one connection lasts as long on the
    // next, and on the other client's).
    sc.authenticator = [state, connection_start](Authenticator& store,
                                                 const sim::VirtualClock& clock) {
      const Duration start = connection_start ? *connection_start : Duration{};
      return std::make_unique<auth::PolicyAuthenticator>(
          store, *state, "192.0.2.66",
          [&clock, start] { return TimePoint{} + start + clock.elapsed(); });
    };
  }

  // A server whose certificate the client has no reason to trust (no attacker).
  auto fault_of = [](const std::string& name) {
    return name == "wrong-host" ? attack::CertificateFault::WrongHost
           : name == "expired"  ? attack::CertificateFault::Expired
                                : attack::CertificateFault::Untrusted;
  };
  if (!s.server_certificate.empty())
    attack::substitute_server_certificate(
        sc, attack::make_substitution(fault_of(s.server_certificate), s.expected_host));
  // The attacker on the link (docs/attacks.md).
  // One server's maildrops for every connection of the run: what one connection's UPDATE
  // removed is gone for the next, and a maildrop one session holds is [IN-USE] for another.
  sc.maildrops = std::make_shared<maildrop::MemoryMaildropStore>();
  sim::fill_maildrops(sc, *sc.maildrops);
  if (s.attacker == "strip-stls" || s.attacker == "strip-stls-and-refuse") {
    attack::StlsStripperOptions o;
    o.answer_stls = s.attacker == "strip-stls-and-refuse";
    sc.middlebox = [o] { return std::make_unique<attack::StlsStripper>(o); };
  } else if (s.attacker == "inject-behind-stls") {
    const auto target = s.inject_toward == "client" ? attack::StartTlsInjector::Target::Client
                                                    : attack::StartTlsInjector::Target::Server;
    const std::string bytes = s.inject;
    sc.middlebox = [target, bytes] {
      return std::make_unique<attack::StartTlsInjector>(target, bytes);
    };
  } else if (s.attacker == "substitute-certificate") {
    attack::intercept_with_certificate(
        sc, attack::make_substitution(fault_of(s.certificate), s.expected_host));
  }
  return sc;
}

bool lab_uses_tls(const Lab& lab) noexcept {
  if (lab.scenario.tls == "implicit") return true;
  if (lab.scenario.tls != "stls") return false;
  return std::any_of(lab.steps.begin(), lab.steps.end(), [](const Step& s) {
    return s.action == "starttls" || s.action == "victim_login";
  });
}

Lab tls_variant(const Lab& lab, const std::string& mode) {
  Lab v = lab;
  auto starttls = [](const Step& s) { return s.action == "starttls"; };
  if (mode == "none" || mode == "implicit") {
    v.scenario.tls = mode;
    std::erase_if(v.steps, starttls);
    return v;
  }
  if (mode != "stls")
    throw std::invalid_argument("TLS mode " + mode + ": expected stls, implicit or none");
  v.scenario.tls = "stls";
  const bool does_own = std::any_of(v.steps.begin(), v.steps.end(), [&](const Step& s) {
    return starttls(s) || s.action == "victim_login";
  });
  if (does_own) return v;
  // STLS right after every greeting: the first connect and each reconnect.
  Step tls;
  tls.action = "starttls";
  tls.title = "STLS (the switch: everything after this is encrypted)";
  tls.look = "The TLS handshake: from here on the eavesdropper sees only TLS records.";
  for (std::size_t i = 0; i < v.steps.size(); ++i) {
    if (v.steps[i].action != "connect" && v.steps[i].action != "reconnect") continue;
    tls.client = v.steps[i].client;
    v.steps.insert(v.steps.begin() + static_cast<std::ptrdiff_t>(i + 1), tls);
    ++i;
  }
  return v;
}

LabRun::LabRun(const Lab& lab) : lab_(lab), scenario_(make_scenario(lab_, connection_start_)) {
  open_connection(1, scenario_);
}

trace::Micros LabRun::Connection::now() const {
  return base + std::chrono::duration_cast<trace::Micros>(sim->clock().elapsed());
}

LabRun::Connection& LabRun::open_connection(int client, sim::Scenario scenario) {
  auto c = std::make_unique<Connection>();
  c->number = connections_.size() + 1;
  c->client = client;
  c->base = latest_;
  if (c->number > 1) {
    // A new connection gets new nonces (an APOP timestamp is never reused), as on a real server.
    scenario.seed = scenario_.seed + c->number - 1;
    scenario.trace.label +=
        ", connection " + std::to_string(c->number) + (client == 2 ? " (the second client)" : "");
  }
  c->sink = std::make_unique<ShiftedSink>(
      sink_, c->number == 1 ? "" : "-" + std::to_string(c->number), c->base);
  *connection_start_ = std::chrono::duration_cast<Duration>(c->base);  // read as sim is built
  c->sim = std::make_unique<sim::Simulation>(std::move(scenario), c->sink.get());
  clients_[client - 1] = c.get();
  connections_.push_back(std::move(c));
  return *connections_.back();
}

void LabRun::catch_up(Connection& c) {
  const trace::Micros now = c.now();
  if (c.ended || now >= latest_) return;
  (void)c.sim->run_for(std::chrono::duration_cast<Duration>(latest_ - now));
}

void LabRun::end(Connection& c) {
  if (c.ended) return;
  catch_up(c);
  c.sim->finish();
  c.ended = true;
  latest_ = std::max(latest_, c.now());
}

void LabRun::ShiftedSink::write(const trace::Record& record) {
  trace::Record r = record;
  if (!r.session.empty()) r.session += suffix_;
  r.t += offset_;
  out_.write(r);
}

std::vector<sim::Observation> LabRun::observations() const {
  std::vector<sim::Observation> all;
  for (const auto& c : connections_)
    for (const auto& o : c->sim->eavesdropper().observations())
      all.push_back(o);
  return all;
}

std::string LabRun::tls_key_log() const {
  std::string keys;
  for (const auto& c : connections_)
    if (const sim::TlsPipe* tls = c->sim->tls(sim::Side::Client)) keys += tls->key_log();
  return keys;
}

std::string LabRun::client_session_id() const {
  const std::size_t n = acting()->number;
  return n == 1 ? "client" : "client-" + std::to_string(n);
}

LabRun::~LabRun() = default;

namespace {

const Account& account_of(const Lab& lab, const std::string& user) {
  for (const auto& a : lab.scenario.accounts)
    if (a.user == user) return a;
  throw std::logic_error("no account " + user);  // the file reader refuses such labs
}

}  // namespace

namespace {

// The online guesser's target: the lab's own connection. Each attempt is a login on it,
// recorded in the lab's trace like any other; the connection is never replaced.
class LabConnectionTarget final : public attack::GuessTarget {
 public:
  LabConnectionTarget(sim::Simulation& sim, std::string description)
      : sim_(sim), description_(std::move(description)) {}
  [[nodiscard]] std::string describe() const override { return description_; }
  [[nodiscard]] bool virtual_time() const noexcept override { return true; }
  attack::Attempt attempt(std::string_view user, std::string_view password,
                          attack::LoginMethod method) override {
    attack::Attempt a;
    a.connection = 1;
    attempted_ = true;
    const Duration start = elapsed();
    if (sim_.client_session().state() == State::Closed) {
      a.outcome = attack::AttemptOutcome::Error;
      a.reply = "the connection is closed";
      return a;
    }
    sim::Exchange ex;
    switch (method) {
      case attack::LoginMethod::UserPass:
        ex = sim_.login_user_pass(user, password);
        break;
      case attack::LoginMethod::Apop:
        ex = sim_.apop(user, password);
        break;
      default:
        ex = sim_.authenticate(attack::login_method_name(method), user, password);
        break;
    }
    a.at = elapsed();
    a.took = a.at - start;
    if (ex.refused) {
      a.outcome = attack::AttemptOutcome::Error;
      a.reply = "the client could not try: " + ex.refused.message();
    } else if (const Reply* r = ex.last_reply()) {
      a.outcome = attack::classify_login_reply(*r);
      a.reply = attack::status_text(*r);
    } else {
      a.outcome = attack::AttemptOutcome::Error;
      a.reply = ex.connection_lost ? "the connection ended without a reply" : "no reply";
    }
    exchange_.append(std::move(ex));
    return a;
  }
  void disconnect() override {}
  [[nodiscard]] Duration elapsed() const override { return sim_.clock().elapsed(); }
  void wait(Duration d) override { exchange_.append(sim_.run_for(d)); }
  // The lab's connection, once the guesser has used it.
  [[nodiscard]] std::size_t connections() const noexcept override { return attempted_ ? 1 : 0; }
  sim::Exchange take_exchange() { return std::move(exchange_); }

 private:
  bool attempted_ = false;
  sim::Simulation& sim_;
  std::string description_;
  sim::Exchange exchange_;
};

attack::LoginMethod login_method(std::string mech) {
  for (char& c : mech)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (mech == "APOP") return attack::LoginMethod::Apop;
  if (mech == "PLAIN") return attack::LoginMethod::Plain;
  if (mech == "LOGIN") return attack::LoginMethod::Login;
  if (mech == "CRAM-MD5") return attack::LoginMethod::CramMd5;
  if (mech == "SCRAM-SHA-256") return attack::LoginMethod::ScramSha256;
  return attack::LoginMethod::UserPass;
}

std::string seconds_text(Duration d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f s", std::chrono::duration<double>(d).count());
  return buf;
}

}  // namespace

void LabRun::attacker_note(std::string text) {
  // The attackers work on the lab's own client's connection.
  const Connection& c = *clients_[0];
  attacker_offset_ = c.base;
  const TimePoint now = c.sim->clock().now();
  if (!attacker_) {
    trace::RecorderOptions o;
    o.trace_start = c.sim->clock().start();
    o.expose_secrets = lab_.scenario.expose_secrets;
    attacker_sink_ = std::make_unique<ShiftedSink>(sink_, "", attacker_offset_);
    attacker_ =
        std::make_unique<trace::Recorder>(*attacker_sink_, "attacker", trace::Role::Simulator, o);
    attacker_->session_start(now, "sim:attacker", "what the lab's attackers found");
  }
  if (!attacker_->ended()) attacker_->note(std::move(text), now);
}

void LabRun::crack(const Step& step, StepOutcome& out) {
  const attack::Wordlist words = attack::Wordlist::load(step.wordlist_path);
  // What the eavesdropper recorded, connection by connection.
  attack::Capture capture;
  for (std::size_t c = 1; c <= connection(); ++c) {
    attack::Capture one =
        attack::capture_from_trace(sink_.records, c == 1 ? "link" : "link-" + std::to_string(c));
    for (auto& e : one.exchanges)
      capture.exchanges.push_back(std::move(e));
    for (auto& n : one.notes)
      capture.notes.push_back(std::move(n));
    capture.tls_started |= one.tls_started;
  }
  for (const auto& n : capture.notes)
    out.report.push_back("capture: " + n);
  if (capture.exchanges.empty()) {
    const std::string why =
        capture.tls_started ? "the logins crossed inside TLS: the capture holds only TLS records"
                            : "no APOP, CRAM-MD5 or SCRAM-SHA-256 login in the capture";
    out.report.push_back("offline cracker: nothing to crack (" + why + ")");
    attacker_note("offline cracker: nothing to crack (" + why + ")");
    return;
  }
  std::vector<attack::CrackReport> reports;
  const attack::OfflineCracker cracker;
  for (const auto& exchange : capture.exchanges) {
    const bool refused = std::visit(
        [](const auto& e) { return e.accepted == std::optional<bool>(false); }, exchange);
    if (refused) {
      // A refused login answers no challenge with the right password: a replay, a typo.
      out.report.push_back("offline cracker: skips the refused " +
                           std::string(attack::captured_kind(exchange)) + " login of " +
                           attack::captured_user(exchange) + " (it proves no password)");
      continue;
    }
    attack::CrackReport r = cracker.crack(exchange, words);
    const std::string what = "offline cracker: " + r.kind + " login of " + r.user + " with " +
                             words.name() + " (" + std::to_string(r.words) + " words, " +
                             std::to_string(r.iterations_per_guess) +
                             " keyed hash(es) per guess): ";
    // Deterministic facts only in the trace; the timing goes to the terminal.
    attacker_note(what + (r.password ? "cracked, password \"" + *r.password + "\" at word " +
                                           std::to_string(*r.found_at)
                                     : "not cracked, " + std::to_string(r.tries) + " words tried"));
    std::string summary = r.summary();
    while (!summary.empty() && summary.back() == '\n')
      summary.pop_back();
    std::size_t start = 0;
    for (std::size_t nl = summary.find('\n');; nl = summary.find('\n', start)) {
      out.report.push_back(
          summary.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
    reports.push_back(std::move(r));
  }
  if (reports.size() > 1) {
    const std::string table = attack::cost_table(reports);
    std::size_t start = 0;
    while (start < table.size()) {
      const auto nl = table.find('\n', start);
      out.report.push_back(
          table.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
  }
}

sim::Exchange LabRun::guess(const Step& step, StepOutcome& out) {
  const attack::Wordlist words = attack::Wordlist::load(step.wordlist_path);
  const Scenario& s = lab_.scenario;
  std::string policy = "failure delay " + std::to_string(s.failed_login_delay_ms) + " ms";
  if (s.penalty_step_ms)
    policy += ", penalty +" + std::to_string(s.penalty_step_ms) + " ms per failure";
  if (s.lockout_after)
    policy += ", lockout after " + std::to_string(s.lockout_after) + " failures for " +
              std::to_string(s.lockout_seconds) + " s";
  LabConnectionTarget target(*clients_[0]->sim, "the lab's server (" + policy + ")");
  attack::GuessOptions o;
  o.user = step.user;
  o.method = login_method(step.mechanism);
  o.attempts_per_connection = std::numeric_limits<std::size_t>::max();
  o.max_attempts = step.max;
  o.on_lockout = attack::GuessOptions::OnLockout::Stop;
  attack::OnlineGuesser guesser(target, o);
  const attack::GuessReport r = guesser.run(words);
  // Virtual time: deterministic, so it may go into the trace.
  std::string note = "online guesser: " + std::to_string(r.attempts) + " attempt(s) against " +
                     r.user + " (" + std::string(attack::login_method_name(r.method)) + ") with " +
                     words.name() + " in " + seconds_text(r.elapsed) + " of virtual time; ";
  switch (r.end) {
    case attack::GuessReport::End::Found:
      note += "found the password \"" + *r.password + "\"";
      break;
    case attack::GuessReport::End::LockedOut:
      note += "locked out ([LOGIN-DELAY]) after " +
              std::to_string(r.failures_before_lockout.value_or(0)) + " wrong guesses";
      break;
    case attack::GuessReport::End::Limit:
      note += "stopped after " + std::to_string(r.attempts) + " attempts";
      break;
    case attack::GuessReport::End::Exhausted:
      note += "every word tried, none accepted";
      break;
    case attack::GuessReport::End::Error:
      note += "stopped: " + r.error;
      break;
  }
  attacker_note(note);
  for (const auto& a : r.log)
    out.report.push_back("attempt " + std::to_string(a.number) + ": \"" + a.password + "\" -> " +
                         a.reply + " (after " + seconds_text(a.took) + ")");
  std::string summary = r.summary();
  std::size_t start = 0;
  while (start < summary.size()) {
    const auto nl = summary.find('\n', start);
    out.report.push_back(
        summary.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return target.take_exchange();
}

sim::Exchange LabRun::victim_login(const Step& step, StepOutcome& out) {
  const Account& acc = account_of(lab_, step.user);
  attack::VictimConfig config;
  const std::string& policy = step.policy.empty() ? lab_.scenario.client_starttls : step.policy;
  config.policy = policy == "required" ? attack::StartTlsPolicy::Required
                                       : attack::StartTlsPolicy::Opportunistic;
  config.ask_capa = step.ask_capa;
  config.user = acc.user;
  config.password = acc.password;
  sim::Simulation& sim = *clients_[0]->sim;
  const std::size_t before = sim.history().size();
  const attack::VictimReport r = attack::run_victim(sim, config);
  out.report.push_back("the mail client (STARTTLS " +
                       std::string(attack::start_tls_policy_name(config.policy)) +
                       (config.ask_capa ? "" : ", STLS without asking CAPA") + "):");
  std::string story;
  for (const auto& line : r.story) {
    out.report.push_back("  " + line);
    story += (story.empty() ? "" : "; ") + line;
  }
  attacker_note("mail client (STARTTLS " +
                std::string(attack::start_tls_policy_name(config.policy)) + "): " + story);
  // The exchange: what happened on the way, for the caller's display.
  sim::Exchange ex;
  const auto& history = sim.history();
  for (std::size_t i = before; i < history.size(); ++i)
    ex.events.push_back(history[i]);
  ex.tls_established = r.tls_established;
  ex.tls_failure = r.tls_failure;
  return ex;
}

sim::Exchange LabRun::reconnect(const Step& step) {
  Connection& old = *clients_[0];
  if (old.sim->client_session().state() != State::Closed)
    (void)old.sim->drop_connection("the client reconnects");
  (void)old.sim->run_for(
      std::chrono::duration_cast<Duration>(std::chrono::duration<double>(step.seconds)));
  latest_ = std::max(latest_, old.now());
  end(old);
  sim::Scenario next = scenario_;
  if (step.attacker || step.certificate || step.server_certificate || step.verify_certificate) {
    Lab changed = lab_;
    if (step.server_certificate) changed.scenario.server_certificate = *step.server_certificate;
    if (step.attacker) changed.scenario.attacker = *step.attacker == "none" ? "" : *step.attacker;
    if (step.certificate) changed.scenario.certificate = *step.certificate;
    if (step.verify_certificate) changed.scenario.verify_certificate = *step.verify_certificate;
    next = make_scenario(changed, connection_start_);
    // The server's memory: the login policy's and the maildrops.
    next.authenticator = scenario_.authenticator;
    next.maildrops = scenario_.maildrops;
  }
  return open_connection(1, std::move(next)).sim->connect();
}

sim::Exchange LabRun::replay(const Step& step, StepOutcome& out) {
  // The eavesdropper's copy of what clients sent in clear, connection by connection.
  std::map<std::string, std::string> c2s;
  for (const auto& r : sink_.records)
    if (const auto* w = std::get_if<trace::WireBytesRecord>(&r.body);
        w && r.session.starts_with("link") && w->channel == trace::Channel::Plain &&
        w->direction == Direction::ClientToServer)
      c2s[r.session] += w->bytes;
  std::string found;
  std::string verb = step.verb + " ";
  auto upper = [](std::string s) {
    for (char& c : s)
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
  };
  verb = upper(verb);
  for (std::size_t c = 1; c <= connection(); ++c) {
    const std::string& stream = c2s[c == 1 ? "link" : "link-" + std::to_string(c)];
    std::size_t start = 0;
    for (std::size_t lf = stream.find('\n'); lf != std::string::npos;
         lf = stream.find('\n', start)) {
      std::string line = stream.substr(start, lf - start);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (upper(line.substr(0, verb.size())) == verb) found = line;
      start = lf + 1;
    }
  }
  if (found.empty()) {
    out.report.push_back("replay: the eavesdropper captured no " + step.verb +
                         " command in clear; nothing to resend");
    attacker_note("replay: no " + step.verb + " command captured in clear");
    return {};
  }
  out.report.push_back("replay: the attacker resends a captured line: " + found);
  attacker_note("replay: resent the captured line \"" + found + "\"");
  return clients_[0]->sim->send_raw(found);
}

sim::Exchange LabRun::perform(const Step& step, StepOutcome& out) {
  if (step.action == "reconnect") return reconnect(step);
  if (step.action == "replay") return replay(step, out);
  const std::string& a = step.action;
  if (step.client == 2 && a == "connect") {
    // The second client's new connection, to the same server (its maildrops, its policy).
    if (clients_[1]) end(*clients_[1]);
    return open_connection(2, scenario_).sim->connect();
  }
  if (!clients_[step.client - 1]) {
    // The reader refuses such labs; a lab changed in memory (a test's counter-run) gets here.
    sim::Exchange nothing;
    nothing.refused = make_error_code(Errc::session_closed);
    return nothing;
  }
  Connection& conn = *clients_[step.client - 1];
  catch_up(conn);
  sim::Simulation& sim = *conn.sim;
  if (a == "victim_login") return victim_login(step, out);
  if (a == "guess") return guess(step, out);
  if (a == "crack") {
    crack(step, out);
    return {};
  }
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
    for (char& c : mech)
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (mech == "USER" || mech == "USER/PASS") return sim.login_user_pass(acc.user, acc.password);
    if (mech == "APOP") return sim.apop(acc.user, acc.password);
    return sim.authenticate(mech, acc.user, acc.password);
  }
  if (a == "starttls") return sim.starttls();
  if (a == "quit") return sim.quit();
  if (a == "drop") return sim.drop_connection();
  if (a == "wait")
    return sim.run_for(
        std::chrono::duration_cast<Duration>(std::chrono::duration<double>(step.seconds)));
  throw std::logic_error("unknown action " + a);  // the file reader refuses such labs
}

StepOutcome LabRun::run_next() {
  if (done()) throw std::logic_error("the lab has no more steps");
  StepOutcome out;
  out.index = next_;
  out.step = &lab_.steps[next_];
  out.first_record = sink_.records.size();
  const int client = out.step->client;
  const Connection* before = clients_[client - 1];
  out.first_observation = before ? before->sim->eavesdropper().observations().size() : 0;
  out.exchange = perform(*out.step, out);
  if (clients_[client - 1]) acting_ = client;  // else it had no connection: nothing happened
  Connection& now = *acting();
  if (&now != before) out.first_observation = 0;  // a new connection
  latest_ = std::max(latest_, now.now());
  out.end_record = sink_.records.size();
  out.end_observation = now.sim->eavesdropper().observations().size();
  ++next_;
  if (done()) finish();
  return out;
}

void LabRun::run_all() {
  while (!done())
    run_next();
  finish();
}

void LabRun::finish() {
  for (auto& c : connections_)
    end(*c);
  if (attacker_ && !attacker_->ended()) {
    const Connection& c = *clients_[0];
    attacker_offset_ = c.base;
    attacker_->session_end(c.sim->clock().now(), "the lab is over");
  }
}

bool LabRun::all_checks_hold() const {
  for (const auto& r : checks())
    if (!r.holds) return false;
  return true;
}

void LabRun::write_trace(std::ostream& out) const {
  trace::JsonlWriter writer(out,
                            sim::Simulation::trace_header(connections_.front()->sim->scenario()));
  for (const auto& r : sink_.records)
    writer.write(r);
}

}  // namespace pop3::labs
