// pop3-viz with a million trace records (issue: "smooth with a million trace events"): how
// long the model takes to take them in, how long a trace file of them takes to open, and
// what a frame of the whole window costs then, at the end and while scrubbing. Frames are
// headless ImGui (the UI's own work: layout, clipping, draw lists; not the GPU's), with
// every panel open at 1280x800, as the tests draw them.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "app/app.hpp"
#include "app/headless.hpp"
#include "model/trace_model.hpp"
#include "pop3/labs/lab_file.hpp"
#include "pop3/labs/lab_run.hpp"
#include "pop3/trace/jsonl.hpp"
#include "pop3/trace/writer.hpp"

namespace {

// POP3LAB_VIZ_BENCH_RECORDS overrides it (the test suite's smoke run uses fewer).
std::size_t record_count() {
  static const std::size_t count = [] {
    const char* env = std::getenv("POP3LAB_VIZ_BENCH_RECORDS");
    const long long n = env ? std::atoll(env) : 0;
    return n > 0 ? static_cast<std::size_t>(n) : std::size_t{1'000'000};
  }();
  return count;
}

// A busy server's trace: lab 2's connection (login, LIST, RETR, DELE, QUIT, with the wire
// and the link beside it) over and over, each copy a connection of its own ("client-7",
// "server-7", "link-7"), one after the other in time, until there are `count` records.
const std::vector<pop3::trace::Record>& many_records() {
  static const std::vector<pop3::trace::Record> records = [] {
    const std::size_t count = record_count();
    pop3::labs::Lab lab;
    for (auto& l : pop3::labs::load_labs(POP3LAB_LABS))
      if (l.number == 2) lab = l;
    pop3::labs::LabRun run(lab);
    run.run_all();
    const auto& one = run.records();
    const pop3::trace::Micros span = one.back().t + pop3::trace::Micros(1000);
    std::vector<pop3::trace::Record> out;
    out.reserve(count);
    for (std::size_t copy = 0; out.size() < count; ++copy) {
      for (const auto& r : one) {
        if (out.size() == count) break;
        pop3::trace::Record c = r;
        if (copy > 0 && !c.session.empty()) c.session += "-" + std::to_string(copy + 1);
        c.t += span * static_cast<std::int64_t>(copy);
        out.push_back(std::move(c));
      }
    }
    return out;
  }();
  return records;
}

std::filesystem::path trace_file() {
  static const std::filesystem::path path = [] {
    const auto p = std::filesystem::temp_directory_path() /
                   ("pop3lab-viz-bench-" + std::to_string(::getpid()) + ".jsonl");
    std::ofstream out(p, std::ios::binary);
    pop3::trace::HeaderRecord header;
    header.producer = "bench_viz";
    pop3::trace::JsonlWriter writer(out, header);
    for (const auto& r : many_records())
      writer.write(r);
    return p;
  }();
  return path;
}

struct RemoveTraceFile {
  ~RemoveTraceFile() {
    std::error_code ignored;
    std::filesystem::remove(trace_file(), ignored);
  }
};

// The window with the trace file opened and read to the end (frames until it is).
struct Opened {
  pop3::viz::HeadlessContext ui;
  std::unique_ptr<pop3::viz::App> app;
  int frames = 0;
  Opened() {
    pop3::viz::AppOptions options;
    options.labs_root = POP3LAB_LABS;
    options.trace = trace_file();
    app = std::make_unique<pop3::viz::App>(options);
    app->build_fonts();
    while (app->model().size() < many_records().size() && frames < 100'000) {
      ui.frame(*app);
      ++frames;
    }
  }
};

Opened& opened() {
  static Opened o;
  return o;
}

void BM_ModelAppend(benchmark::State& state) {
  const auto& records = many_records();
  for (auto _ : state) {
    pop3::viz::TraceModel model;
    for (const auto& r : records)
      model.append(r);
    benchmark::DoNotOptimize(model.size());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(records.size()));
}
BENCHMARK(BM_ModelAppend)->Unit(benchmark::kMillisecond);

// Opening the file in the window: the frames that read it (a batch each) and their time.
void BM_OpenTraceFile(benchmark::State& state) {
  (void)trace_file();
  int frames = 0;
  for (auto _ : state) {
    Opened o;
    frames = o.frames;
    benchmark::DoNotOptimize(o.app->model().size());
  }
  state.counters["frames"] = frames;
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(record_count()));
}
BENCHMARK(BM_OpenTraceFile)->Unit(benchmark::kMillisecond);

// A frame with the cursor at the end of the million records (the newest connection shown).
void BM_FrameAtEnd(benchmark::State& state) {
  Opened& o = opened();
  o.app->model().set_cursor(o.app->model().size());
  for (auto _ : state)
    o.ui.frame(*o.app);
  state.counters["records"] = static_cast<double>(o.app->model().size());
  state.counters["sessions"] = static_cast<double>(o.app->model().sessions().size());
}
BENCHMARK(BM_FrameAtEnd)->Unit(benchmark::kMicrosecond);

// Scrubbing: the cursor jumps to a random record every frame, as a drag on the timeline
// does; every panel shows the trace as of that record.
void BM_FrameScrubbing(benchmark::State& state) {
  Opened& o = opened();
  std::mt19937_64 random(7);
  std::uniform_int_distribution<std::size_t> at(0, o.app->model().size());
  for (auto _ : state) {
    o.app->model().set_cursor(at(random));
    o.ui.frame(*o.app);
  }
  o.app->model().set_cursor(o.app->model().size());
}
BENCHMARK(BM_FrameScrubbing)->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  const RemoveTraceFile cleanup;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
