#include <doctest/doctest.h>

#include <map>
#include <sstream>

#include "pop3/trace/jsonl.hpp"
#include "pop3/trace/reader.hpp"
#include "pop3/trace/writer.hpp"
#include "support.hpp"

using namespace simtest;

namespace {

std::vector<trace::Record> round_trip(const Scenario& s,
                                      const std::vector<trace::Record>& records) {
  std::stringstream file;
  trace::JsonlWriter writer(file, Simulation::trace_header(s));
  for (const auto& r : records)
    writer.write(r);
  trace::Trace back = trace::read_trace(file);
  REQUIRE(back.ok);
  REQUIRE(back.diagnostics.empty());
  REQUIRE(back.header);
  return back.records;
}

// Lab checks, from the trace alone.
bool trace_says_password_seen_in_clear(const std::vector<trace::Record>& records) {
  for (const auto& e : records_of<trace::ExposureRecord>(records, "link"))
    if (e.channel == trace::Channel::Plain && e.kind == "cleartext") return true;
  return false;
}
bool trace_says_update_done(const std::vector<trace::Record>& records) {
  const auto ends = records_of<trace::SessionEndRecord>(records, "server");
  return !ends.empty() && ends.back().update_done;
}

}  // namespace

TEST_CASE("the trace of a run round-trips through JSON Lines, with TLS and without") {
  for (const TlsMode mode : {TlsMode::None, TlsMode::Stls, TlsMode::Implicit}) {
    CAPTURE(tls_mode_name(mode));
    Scenario s = basic();
    s.tls.mode = mode;
    s.link.chunking = Chunking::random(1, 40);
    std::vector<trace::Record> recs;
    {
      Simulation sim(s);
      sim.connect();
      if (mode == TlsMode::Stls) sim.starttls();
      sim.authenticate("PLAIN", "alice", "wonderland");
      sim.send({Verb::Retr, {"2"}});
      sim.quit();
      sim.finish();
      recs = records(sim);
    }
    REQUIRE(recs.size() > 20);
    CHECK(round_trip(s, recs) == recs);
  }
}

TEST_CASE(
    "a run written straight to a JsonlWriter reads back as the records of the same run in memory") {
  Scenario s = basic();
  std::stringstream file;
  {
    trace::JsonlWriter writer(file, Simulation::trace_header(s));
    Simulation sim(s, &writer);
    CHECK(sim.memory_trace() == nullptr);
    sim.connect();
    sim.login_user_pass("alice", "wonderland");
    sim.quit();
  }
  Simulation again(s);
  again.connect();
  again.login_user_pass("alice", "wonderland");
  again.quit();
  again.finish();
  const trace::Trace back = trace::read_trace(file);
  REQUIRE(back.ok);
  CHECK(back.header == trace::Record{"", 0, trace::Micros{0}, Simulation::trace_header(s)});
  CHECK(back.records == records(again));
}

TEST_CASE(
    "the trace has three sessions: client, server and link, each numbered from 0 and ended once") {
  Simulation sim(basic());
  sim.connect();
  sim.login_user_pass("alice", "wonderland");
  sim.quit();
  REQUIRE(sim.finished());
  std::map<std::string, std::vector<trace::Record>> by_session;
  for (const auto& r : records(sim))
    by_session[r.session].push_back(r);
  REQUIRE(by_session.size() == 3);
  const std::map<std::string, trace::Role> roles{{"client", trace::Role::Client},
                                                 {"server", trace::Role::Server},
                                                 {"link", trace::Role::Simulator}};
  for (const auto& [session, list] : by_session) {
    CAPTURE(session);
    const auto* start = std::get_if<trace::SessionStartRecord>(&list.front().body);
    REQUIRE(start);
    CHECK(start->role == roles.at(session));
    CHECK(std::holds_alternative<trace::SessionEndRecord>(list.back().body));
    for (std::size_t i = 0; i < list.size(); ++i)
      CHECK(list[i].seq == i);
  }
  // The link session holds the wire, both directions; the sessions hold none.
  CHECK_FALSE(records_of<trace::WireBytesRecord>(records(sim), "link").empty());
  CHECK(records_of<trace::WireBytesRecord>(records(sim), "client").empty());
  CHECK(records_of<trace::WireBytesRecord>(records(sim), "server").empty());
  // Virtual time: all at 0 without latency.
  for (const auto& r : records(sim))
    CHECK(r.t.count() == 0);
}

TEST_CASE("from the trace alone: the eavesdropper saw the password in clear, or only TLS records") {
  {
    Simulation sim(basic());
    sim.connect();
    sim.login_user_pass("alice", "wonderland");
    sim.finish();
    const auto& r = records(sim);
    CHECK(trace_says_password_seen_in_clear(r));
    // With exposed secrets (the simulator's default) the plain wire holds the password
    // exactly where the exposure record points.
    const auto exposure = records_of<trace::ExposureRecord>(r, "link").at(0);
    std::string c2s;
    for (const auto& w : records_of<trace::WireBytesRecord>(r, "link"))
      if (w.direction == Direction::ClientToServer) c2s += w.bytes;
    CHECK(c2s.substr(exposure.offset, exposure.length) == "wonderland");
    CHECK(trace::observed_exposure(exposure) == "cleartext");
  }
  {
    Scenario s = basic();
    s.tls.mode = TlsMode::Stls;
    Simulation sim(s);
    sim.connect();
    sim.starttls();
    sim.login_user_pass("alice", "wonderland");
    sim.finish();
    const auto& r = records(sim);
    CHECK_FALSE(trace_says_password_seen_in_clear(r));
    const auto exposures = records_of<trace::ExposureRecord>(r, "link");
    REQUIRE(exposures.size() == 1);
    CHECK(exposures[0].channel == trace::Channel::Tls);
    CHECK(trace::observed_exposure(exposures[0]) == "encrypted");
    CHECK(records_of<trace::ExposureRecord>(r, "client").at(0).channel == trace::Channel::Tls);
    for (const auto& w : records_of<trace::WireBytesRecord>(r, "link"))
      CHECK_FALSE(contains(w.bytes, "wonderland"));
    CHECK(records_of<trace::TlsEstablishedRecord>(r, "link").size() == 1);
    CHECK(records_of<trace::TlsRequestedRecord>(r, "server").size() == 1);
  }
}

TEST_CASE("from the trace alone: whether a message was deleted") {
  {
    Simulation sim(basic());
    sim.connect();
    sim.login_user_pass("alice", "wonderland");
    sim.send({Verb::Dele, {"1"}});
    sim.quit();
    const auto& r = records(sim);
    CHECK(trace_says_update_done(r));
    bool quit_ok = false;
    for (const auto& reply : records_of<trace::ReplyRecord>(r, "server"))
      quit_ok = quit_ok || (reply.verb == "QUIT" && reply.status == Status::Ok);
    CHECK(quit_ok);
  }
  {
    Scenario s = basic();
    s.link.drop = DropPoint::before_command(Verb::Quit);
    Simulation sim(s);
    sim.connect();
    sim.login_user_pass("alice", "wonderland");
    sim.send({Verb::Dele, {"1"}});
    sim.quit();
    const auto& r = records(sim);
    CHECK_FALSE(trace_says_update_done(r));
    for (const auto& st : records_of<trace::StateChangeRecord>(r, "server"))
      CHECK(st.to != "UPDATE");
    const auto link_end = records_of<trace::SessionEndRecord>(r, "link");
    REQUIRE(link_end.size() == 1);
    CHECK(contains(link_end[0].reason, "the connection broke"));
  }
}

TEST_CASE("from the trace alone: the client refused the certificate and never authenticated") {
  Scenario s = basic();
  s.tls.mode = TlsMode::Stls;
  s.tls.expected_host = "mail.example.net";
  Simulation sim(s);
  sim.connect();
  sim.starttls();
  CHECK(sim.authenticate("PLAIN", "alice", "wonderland").refused ==
        make_error_code(Errc::session_closed));
  const auto& r = records(sim);
  REQUIRE(records_of<trace::TlsFailedRecord>(r, "client").size() == 1);
  for (const auto& c : records_of<trace::CommandRecord>(r, "client"))
    CHECK(c.verb != "AUTH");
  CHECK(records_of<trace::ExposureRecord>(r, "client").empty());
}

TEST_CASE(
    "with expose_secrets off, the password is in no record, but the exposure records remain") {
  Scenario s = basic();
  s.trace.expose_secrets = false;
  Simulation sim(s);
  sim.connect();
  sim.login_user_pass("alice", "wonderland");
  sim.quit();
  bool redacted_wire = false;
  for (const auto& r : records(sim)) {
    CHECK_FALSE(contains(trace::encode_line(r), "wonderland"));
    if (const auto* w = std::get_if<trace::WireBytesRecord>(&r.body))
      redacted_wire = redacted_wire || w->redacted;
  }
  CHECK(redacted_wire);
  CHECK(trace_says_password_seen_in_clear(records(sim)));
  // The eavesdropper object itself still has the bytes: it is the lab's view, not the trace.
  CHECK(sim.eavesdropper().saw_in_clear("wonderland"));
}
