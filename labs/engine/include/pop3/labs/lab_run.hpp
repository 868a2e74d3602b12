#pragma once
// LabRun: a lab played on the simulator, one step at a time. It builds the simulation from
// the lab's scenario, performs each step's action, keeps the trace, and evaluates the
// checks on it whenever asked. pop3-lab and the visualizer both drive labs through it.
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "pop3/labs/checks.hpp"
#include "pop3/labs/lab.hpp"
#include "pop3/sim/simulation.hpp"
#include "pop3/trace/recorder.hpp"
#include "pop3/trace/sink.hpp"

namespace pop3::labs {

struct StepOutcome {
  const Step* step = nullptr;
  std::size_t index = 0;         // 0-based
  std::size_t first_record = 0;  // records() added by this step: [first_record, end_record)
  std::size_t end_record = 0;
  sim::Exchange exchange;
  std::size_t first_observation = 0;  // eavesdropper observations added by this step
  std::size_t end_observation = 0;
  // What an attacker step found, for people (victim_login's story, the cracker's and the
  // guesser's summaries). Real timings appear here, never in the trace.
  std::vector<std::string> report;
};

// The simulator's scenario for a lab (exposed for tests and the visualizer).
// `connection_start`, when given, is where on the lab's timeline the connection being
// built starts (LabRun sets it before each Simulation): the login policy's time is that
// plus the connection's own clock, so that penalties and lockouts run on one time for
// every connection, also for two clients at once. Without it, policy time is the
// connection's own clock (one connection).
[[nodiscard]] sim::Scenario make_scenario(const Lab& lab,
                                          std::shared_ptr<const Duration> connection_start = {});

// Does the lab's own run go under TLS (implicit TLS, or a starttls step on an STLS server)?
[[nodiscard]] bool lab_uses_tls(const Lab& lab) noexcept;
// The same lab, one switch away (pop3-lab run N --tls): `mode` "stls" offers STLS and
// adds a starttls step right after the connect and each reconnect (unless a victim_login
// does its own STLS);
// "implicit" runs it on an implicit-TLS port (starttls steps removed); "none" takes TLS
// away (starttls steps removed). Everything else (seed, steps, checks) is the lab's.
[[nodiscard]] Lab tls_variant(const Lab& lab, const std::string& mode = "stls");

class LabRun {
 public:
  explicit LabRun(const Lab& lab);
  ~LabRun();
  LabRun(const LabRun&) = delete;
  LabRun& operator=(const LabRun&) = delete;

  [[nodiscard]] const Lab& lab() const noexcept { return lab_; }
  [[nodiscard]] std::size_t next_step() const noexcept { return next_; }
  [[nodiscard]] bool done() const noexcept { return next_ >= lab_.steps.size(); }
  // Performs the next step. Throws std::logic_error when done().
  StepOutcome run_next();
  // Runs every remaining step, then ends the trace.
  void run_all();
  // Ends the trace sessions (the simulator's destructor would too).
  void finish();

  [[nodiscard]] const std::vector<trace::Record>& records() const noexcept { return sink_.records; }
  [[nodiscard]] std::vector<CheckResult> checks() const { return evaluate(lab_, sink_.records); }
  [[nodiscard]] bool all_checks_hold() const;
  // The simulation of the connection the last step acted on (a reconnect, or the second
  // client's connect, starts a new one).
  [[nodiscard]] sim::Simulation& simulation() noexcept { return *acting()->sim; }
  // What the eavesdropper saw of every secret, in every connection so far.
  [[nodiscard]] std::vector<sim::Observation> observations() const;
  // How many connections were opened so far: 1, then 2 after a reconnect or the second
  // client's connect, ... Connection N's trace sessions are client-N, server-N, link-N
  // (the first's have no suffix).
  [[nodiscard]] std::size_t connection() const noexcept { return connections_.size(); }
  // The trace session id of the client of the connection the last step acted on:
  // "client", "client-2", ...
  [[nodiscard]] std::string client_session_id() const;
  // The TLS secrets of every connection's handshakes so far, in the NSS key log format
  // (SSLKEYLOGFILE): Wireshark decrypts a capture of the run with them. Empty without TLS.
  [[nodiscard]] std::string tls_key_log() const;
  // The trace as JSON Lines, header first.
  void write_trace(std::ostream& out) const;

 private:
  sim::Exchange perform(const Step& step, StepOutcome& out);
  void crack(const Step& step, StepOutcome& out);
  sim::Exchange guess(const Step& step, StepOutcome& out);
  sim::Exchange victim_login(const Step& step, StepOutcome& out);
  sim::Exchange reconnect(const Step& step);
  sim::Exchange replay(const Step& step, StepOutcome& out);
  // The "attacker" trace session: what the lab's attackers found, as notes.
  void attacker_note(std::string text);
  Lab lab_;
  // Where the connection being opened starts on the lab's timeline (make_scenario).
  std::shared_ptr<Duration> connection_start_ = std::make_shared<Duration>();
  trace::MemorySink sink_;
  // Records of every connection and of the attacker session go through here: session ids
  // get the connection's suffix, times the connection's start on the lab's timeline.
  class ShiftedSink final : public trace::Sink {
   public:
    ShiftedSink(trace::Sink& out, std::string suffix, const trace::Micros& offset)
        : out_(out), suffix_(std::move(suffix)), offset_(offset) {}
    void write(const trace::Record& record) override;

   private:
    trace::Sink& out_;
    std::string suffix_;
    const trace::Micros& offset_;
  };
  // One connection: its simulation (with its own virtual clock, started at `base` on the
  // lab's timeline) and the sink that puts its records on that timeline.
  struct Connection {
    std::size_t number = 0;
    int client = 1;
    trace::Micros base{0};
    std::unique_ptr<ShiftedSink> sink;
    std::unique_ptr<sim::Simulation> sim;
    bool ended = false;  // its trace sessions are ended: nothing more may happen on it
    [[nodiscard]] trace::Micros now() const;  // where its clock is, on the lab's timeline
  };
  Connection& open_connection(int client, sim::Scenario scenario);
  // Brings a connection's clock up to the lab's time: the two clients' simulations each
  // have their own clock, and the one that sat idle lets the time the other spent pass.
  void catch_up(Connection& c);
  // Catches up and ends a connection's trace sessions (reconnect, finish).
  void end(Connection& c);
  [[nodiscard]] Connection* acting() const noexcept { return clients_[acting_ - 1]; }
  sim::Scenario scenario_;
  trace::Micros latest_{0};  // the lab's time: the furthest any connection's clock went
  std::vector<std::unique_ptr<Connection>> connections_;  // in the order they were opened
  Connection* clients_[2] = {nullptr, nullptr};           // each client's latest connection
  int acting_ = 1;                                        // who the last step was for
  trace::Micros attacker_offset_{0};
  std::unique_ptr<ShiftedSink> attacker_sink_;
  std::unique_ptr<trace::Recorder> attacker_;
  std::size_t next_ = 0;
};

}  // namespace pop3::labs
