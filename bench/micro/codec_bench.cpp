// The sans-IO codec: how many commands per second are framed and parsed, and how fast
// message bodies are dot-stuffed (server) and unstuffed (client).
#include <benchmark/benchmark.h>

#include <array>
#include <string>
#include <string_view>

#include "message_text.hpp"
#include "pop3/core/codec.hpp"
#include "pop3/core/dot_stuffing.hpp"
#include "pop3/core/line_framer.hpp"

namespace {

constexpr std::array<std::string_view, 10> kCommands = {
    "USER alice", "PASS wonderland", "STAT",     "LIST 1", "RETR 42",
    "UIDL",       "DELE 3",          "TOP 1 10", "NOOP",   "QUIT"};

void BM_ParseCommand(benchmark::State& state) {
  std::size_t i = 0;
  for (auto _ : state) {
    auto parsed = pop3::parse_command(kCommands[i++ % kCommands.size()]);
    benchmark::DoNotOptimize(parsed);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseCommand);

// A client's pipelined burst: 1,000 command lines in one read, framed and parsed.
void BM_FrameAndParsePipeline(benchmark::State& state) {
  std::string burst;
  for (int i = 0; i < 1000; ++i)
    burst.append(kCommands[static_cast<std::size_t>(i) % kCommands.size()]).append("\r\n");
  for (auto _ : state) {
    pop3::LineFramer framer;
    framer.feed(burst);
    for (;;) {
      auto line = framer.next();
      if (line.kind != pop3::FramedLine::Kind::Line) break;
      auto parsed = pop3::parse_command(line.text);
      benchmark::DoNotOptimize(parsed);
    }
  }
  state.SetItemsProcessed(state.iterations() * 1000);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(burst.size()));
}
BENCHMARK(BM_FrameAndParsePipeline);

// Server side: 1 MiB of message in 64 KiB pieces (as the session reads them) stuffed.
void BM_DotEncode(benchmark::State& state) {
  const std::string message = pop3::bench::message_text(1 << 20);
  const auto piece = static_cast<std::size_t>(state.range(0));
  std::string out;
  for (auto _ : state) {
    pop3::DotEncoder encoder;
    out.clear();
    for (std::size_t at = 0; at < message.size(); at += piece)
      encoder.encode(std::string_view(message).substr(at, piece), out);
    encoder.finish(out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(message.size()));
}
BENCHMARK(BM_DotEncode)->Arg(64 * 1024)->Arg(1460);

// Client side: the stuffed body unstuffed, in the pieces a socket read gives.
void BM_DotDecode(benchmark::State& state) {
  const std::string message = pop3::bench::message_text(1 << 20);
  std::string stuffed;
  pop3::DotEncoder encoder;
  encoder.encode(message, stuffed);
  encoder.finish(stuffed);
  const auto piece = static_cast<std::size_t>(state.range(0));
  std::string out;
  for (auto _ : state) {
    pop3::DotDecoder decoder;
    out.clear();
    for (std::size_t at = 0; at < stuffed.size() && !decoder.done(); at += piece)
      decoder.decode(std::string_view(stuffed).substr(at, piece), out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(stuffed.size()));
}
BENCHMARK(BM_DotDecode)->Arg(64 * 1024)->Arg(1460);

}  // namespace
