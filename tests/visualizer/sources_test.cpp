// Sources behind one API: the simulator (step, run, pause, restart, the comparison run)
// and a recorded trace file.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "model/file_source.hpp"
#include "model/sim_source.hpp"
#include "viz_support.hpp"

using namespace pop3;
using namespace pop3::viz;

namespace {

std::vector<std::string> texts(const TraceModel& model, const std::string& session) {
  std::vector<std::string> out;
  for (const auto& r : model.session(*model.find_session(session)).transcript.rows())
    out.push_back(r.text);
  return out;
}

}  // namespace

TEST_CASE("SimSource: step appends the records of one step") {
  SimSource source(viztest::lab_number(1), 0.5);
  TraceModel model;
  source.poll(model, 0);
  // Before the first step: the three sessions have started, nothing was said.
  const std::size_t initial = model.size();
  CHECK(model.sessions().size() == 3);
  CHECK(model.session(*model.find_session("client")).transcript.rows().size() == 1);
  CHECK(model.header());
  CHECK(source.can_step());
  source.step();
  source.poll(model, 0);
  REQUIRE(source.marks().size() == 1);
  CHECK(source.marks()[0].first_record == initial);
  CHECK(source.marks()[0].end_record == model.size());
  CHECK(source.next_step() == 1);
  CHECK(model.find_session("client"));
  CHECK(model.live());
  // The comparison run is at its matching step: connect and STLS.
  CHECK(source.variant().with_tls);
  const TraceModel& other = source.comparison();
  CHECK(other.size() > 0);
  CHECK(other.tls_at(*other.find_session("client"), other.size()).status == TlsStatus::Established);
}

TEST_CASE("SimSource: run paces the steps, pause stops, restart starts over") {
  SimSource source(viztest::lab_number(1), 0.5);
  TraceModel model;
  source.run();
  CHECK(source.running());
  source.poll(model, 10.0);  // the first step at once
  CHECK(source.next_step() == 1);
  source.poll(model, 10.2);  // too early for the next
  CHECK(source.next_step() == 1);
  source.poll(model, 10.5);
  CHECK(source.next_step() == 2);
  source.pause();
  source.poll(model, 20.0);
  CHECK(source.next_step() == 2);
  source.run();
  for (double t = 30; !source.finished(); t += 1)
    source.poll(model, t);
  source.poll(model, 100);
  CHECK_FALSE(source.running());
  CHECK(source.status().find("all 8 steps done") != std::string::npos);
  const std::size_t full = model.size();
  CHECK(labs::evaluate(source.lab(), model.records()).size() == source.lab().checks.size());
  for (const auto& r : labs::evaluate(source.lab(), model.records()))
    CHECK_MESSAGE(r.holds, r.check->id);

  source.restart();
  source.poll(model, 101);
  CHECK(model.size() < 10);  // the sessions' starts again
  CHECK(source.next_step() == 0);
  CHECK(source.comparison().size() == 0);
  source.set_interval(0);  // instant
  source.run();
  source.poll(model, 102);
  CHECK(source.finished());
  CHECK(model.size() == full);  // same seed, same records
}

TEST_CASE("FileSource reads a trace in batches, the same as the run that wrote it") {
  labs::LabRun run(viztest::lab_number(1));
  run.run_all();
  TraceModel direct;
  viztest::feed(direct, run);

  viztest::TempDir dir;
  const auto path = dir.path / "lab1.jsonl";
  {
    std::ofstream out(path);
    run.write_trace(out);
  }
  FileSource source(path, 7);
  TraceModel model;
  int polls = 0;
  while (!source.finished()) {
    source.poll(model, 0);
    ++polls;
  }
  CHECK(polls > 10);
  CHECK(source.error().empty());
  CHECK(model.size() == direct.size());
  REQUIRE(model.header());
  CHECK(texts(model, "client") == texts(direct, "client"));
  CHECK(texts(model, "server") == texts(direct, "server"));
  CHECK(source.status().find(std::to_string(direct.size()) + " records") != std::string::npos);
}

TEST_CASE("FileSource ends a poll when its time budget is spent, and reads on at the next") {
  // A million-record file used to be read 50,000 records a frame: 190 ms frames while it
  // loaded (bench_viz).
  labs::LabRun run(viztest::lab_number(14));
  run.run_all();
  viztest::TempDir dir;
  const auto path = dir.path / "lab14-three-times.jsonl";
  const std::size_t written = viztest::write_repeated_trace(path, run.records(), 3);
  REQUIRE(written > 2 * FileSource::kClockEvery);
  FileSource spent(path, 50'000, std::chrono::microseconds(0));  // spent at once
  TraceModel model;
  spent.poll(model, 0);
  CHECK(model.size() == FileSource::kClockEvery);  // what it reads before it looks at the clock
  CHECK_FALSE(spent.finished());
  while (!spent.finished())
    spent.poll(model, 0);
  CHECK(model.size() == written);

  FileSource ample(path, 50'000, std::chrono::seconds(60));  // never spent: one poll reads all
  TraceModel all;
  ample.poll(all, 0);
  CHECK(ample.finished());
  CHECK(all.size() == written);
}

TEST_CASE("FileSource says what is wrong with a file") {
  viztest::TempDir dir;
  FileSource missing(dir.path / "nope.jsonl");
  TraceModel model;
  missing.poll(model, 0);
  CHECK(missing.finished());
  CHECK(missing.error().find("cannot open") != std::string::npos);

  const auto path = dir.path / "bad.jsonl";
  std::ofstream(path) << "{\"hello\": 1}\n";
  FileSource bad(path);
  bad.poll(model, 0);
  CHECK(bad.finished());
  CHECK_FALSE(bad.error().empty());
  CHECK(model.size() == 0);
}
