// `pop3-lab run N --server URL`: the lab's client side against a real server (pop3-server
// or Dovecot). The same steps, the same display, the same checks, on a trace recorded from
// the real client session. The server must have the lab's accounts (pop3-server's lab
// directory has alice/wonderland and bob/builder).
#include <algorithm>
#include <iostream>
#include <thread>

#include "commands.hpp"
#include "display.hpp"
#include "pop3/auth/apop.hpp"
#include "pop3/auth/client_mechanisms.hpp"
#include "pop3/labs/checks.hpp"
#include "pop3/trace/recorder.hpp"

namespace pop3::labs {

std::string step_description(const Step& s);

namespace {

const Account& account_of(const Lab& lab, const std::string& user) {
  for (const auto& a : lab.scenario.accounts)
    if (a.user == user) return a;
  throw std::logic_error("no account " + user);
}

void perform(net::Client& client, const Lab& lab, const Step& step, bool& connected) {
  const std::string& a = step.action;
  if (a == "connect") {
    client.connect();
    connected = true;
  } else if (!connected) {
    throw std::runtime_error("the lab's first step must connect");
  } else if (a == "send") {
    client.raw(step.line);
  } else if (a == "pipeline") {
    for (const auto& line : step.lines)
      client.raw(line);  // one at a time on a real server
  } else if (a == "login") {
    const Account& acc = account_of(lab, step.user);
    std::string mech = step.mechanism;
    for (char& c : mech)
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (mech == "USER" || mech == "USER/PASS") {
      if (client.command({Verb::User, {acc.user}}).ok())
        client.command({Verb::Pass, {acc.password}});
    } else if (mech == "APOP") {
      const auto& ts = client.session().apop_timestamp();
      if (!ts) throw std::runtime_error("the server's greeting offers no APOP timestamp");
      client.command({Verb::Apop, {acc.user, auth::apop_digest(*ts, Secret(acc.password))}});
    } else {
      auto m = auth::make_client_mechanism(mech, acc.user, Secret(acc.password));
      if (!m) throw std::runtime_error("unknown mechanism " + mech);
      client.authenticate(std::move(m));
    }
  } else if (a == "starttls") {
    client.starttls();
  } else if (a == "quit") {
    client.quit();
  } else if (a == "drop") {
    client.close();
    client.session().connection_lost();
  } else if (a == "wait") {
    // Real time: capped, a lab that waits for the autologout timer cannot run here.
    std::this_thread::sleep_for(std::chrono::duration<double>(std::min(step.seconds, 5.0)));
  }
}

}  // namespace

int run_lab_on_server(const Lab& lab, const RunOptions& options) {
  const bool simulated_only = !lab.scenario.attacker.empty() ||
                              std::any_of(lab.steps.begin(), lab.steps.end(), [](const Step& s) {
                                return s.action == "victim_login" || s.action == "crack" ||
                                       s.action == "guess" || s.action == "reconnect" ||
                                       s.action == "replay" || s.client == 2;
                              });
  if (!lab.scenario.allow_real_server || simulated_only) {
    std::cerr << "pop3-lab: lab " << lab.number
              << " needs the simulator (it sets up things a real server "
              << "cannot do for it); run it without --server\n";
    return 2;
  }
  const auto url = net::parse_pop3_url(*options.server);
  if (!url) {
    std::cerr << "pop3-lab: --server takes pop3://HOST:PORT or pop3s://HOST:PORT\n";
    return 2;
  }
  net::ClientOptions o;
  o.host = url->host;
  o.port = url->port;
  o.tls = url->implicit_tls ? net::TlsMode::Implicit : net::TlsMode::None;
  if (options.tls == "implicit") o.tls = net::TlsMode::Implicit;
  o.tls_options = options.tls_options;
  o.session.enforce_states = false;
  net::Client client(o);
  trace::MemorySink sink;
  trace::Recorder recorder(sink, "client", trace::Role::Client,
                           trace::RecorderOptions{Clock::now(), lab.scenario.expose_secrets});
  recorder.session_start(Clock::now(), url->host + ":" + std::to_string(url->port),
                         "lab " + std::to_string(lab.number) + " against a real server");
  client.on_step = [&](const pop3::Step& s) { recorder.step(s, Clock::now()); };
  client.on_tls = [&](std::string_view d) {
    const std::string text(d);
    const auto space = text.find(' ');
    recorder.tls_established(text.substr(0, space),
                             space == std::string::npos ? "" : text.substr(space + 1),
                             Clock::now());
  };
  std::cout << "Lab " << lab.number << ": " << lab.title << "\nagainst " << *options.server << "\n";
  StepDisplay display(std::cout);
  bool connected = false;
  for (std::size_t i = 0; i < lab.steps.size(); ++i) {
    const Step& step = lab.steps[i];
    std::cout << "\n── Step " << i + 1 << "/" << lab.steps.size() << ": "
              << (step.title.empty() ? step_description(step) : step.title)
              << "\n  action: " << step_description(step) << "\n";
    const std::size_t first = sink.records.size();
    try {
      perform(client, lab, step, connected);
    } catch (const net::ClientError& e) {
      std::cout << "     -- " << net::failure_name(e.kind()) << ": " << e.what() << "\n";
    }
    display.records(sink.records, first, sink.records.size());
    if (!step.look.empty()) std::cout << "  look: " << step.look << "\n";
    if (!step.question.empty())
      std::cout << "  question: " << step.question << "\n  answer: " << step.answer << "\n";
  }
  client.close();
  recorder.session_end(Clock::now());
  // Only the client's side was recorded: checks aimed at the server's sessions are judged
  // on the client's view of the same conversation (its replies, states and UPDATE).
  Lab judged = lab;
  for (auto& c : judged.checks)
    if (c.role == "server") c.role.clear();
  std::cout << "\nChecks (on the client's side of the conversation):\n";
  const bool all = print_checks(judged, evaluate(judged, sink.records));
  return all ? 0 : 1;
}

}  // namespace pop3::labs
