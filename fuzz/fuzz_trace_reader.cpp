// The trace reader (JSON Lines, docs/trace-format.md) fed arbitrary text.
//
// The input is a whole trace file. Invariants:
//  - reading never throws (the reader reports every problem as a Diagnostic);
//  - every diagnostic names a line that exists, or the one after the last ("line N: ...");
//    ok with OnError::Stop means no error;
//  - an accepted header is a pop3lab-trace header this build can read (major version
//    at most kFormatVersion, and positive, so that it can be written again);
//  - every record read re-serialises (encode_line) to a line that decodes to the same
//    record, and re-serialising that gives the same line (a fixed point);
//  - the records read with OnError::Stop are a prefix of those read with OnError::Skip;
//  - a trace read without error, written out again line by line, reads back identically
//    (same header, same records, no diagnostics);
#include <algorithm>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>
#include <variant>

#include "invariant.hpp"
#include "pop3/trace/jsonl.hpp"
#include "pop3/trace/reader.hpp"
#include "pop3/trace/record.hpp"

namespace {

void check_round_trip(const pop3::trace::Record& record) {
  const std::string line = pop3::trace::encode_line(record);
  FUZZ_CHECK(line.find('\n') == std::string::npos);
  const auto decoded = pop3::trace::decode_line(line);
  FUZZ_CHECK(std::holds_alternative<pop3::trace::Record>(decoded));
  FUZZ_CHECK(std::get<pop3::trace::Record>(decoded) == record);
  FUZZ_CHECK(pop3::trace::encode_line(std::get<pop3::trace::Record>(decoded)) == line);
}

pop3::trace::Trace read(std::string_view text, pop3::trace::ReaderOptions::OnError on_error) {
  std::istringstream in{std::string(text)};
  return pop3::trace::read_trace(in, pop3::trace::ReaderOptions{on_error});
}

// Round trips are checked on the records read with OnError::Skip only: those read with
// Stop are compared to them (JSON at -O0 with sanitizers is slow; each parse counts).
void check_trace(const pop3::trace::Trace& trace, std::size_t line_count, bool stop_on_error) {
  bool errors = false;
  for (const auto& d : trace.diagnostics) {
    // A problem found at the end of the input (no header) names the line after the last.
    FUZZ_CHECK(d.line >= 1 && d.line <= line_count + 1);
    FUZZ_CHECK(d.message.starts_with("line " + std::to_string(d.line) + ": "));
    errors = errors || d.severity == pop3::trace::Diagnostic::Severity::Error;
  }
  // ok means "read to the end": with OnError::Skip that includes lines reported and skipped.
  if (trace.ok && stop_on_error) FUZZ_CHECK(!errors);
  if (trace.header) {
    const auto* header = std::get_if<pop3::trace::HeaderRecord>(&trace.header->body);
    FUZZ_CHECK(header != nullptr);
    FUZZ_CHECK(header->version >= 1 && header->version <= pop3::trace::kFormatVersion);
    check_round_trip(*trace.header);
  } else {
    FUZZ_CHECK(trace.records.empty());
  }
  for (const auto& record : trace.records) {
    FUZZ_CHECK(!std::holds_alternative<pop3::trace::HeaderRecord>(record.body));
    if (!stop_on_error) check_round_trip(record);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = pop3fuzz::as_text(data, size);
  // Lines as std::getline() counts them: a last line without LF counts too.
  std::size_t line_count = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
  if (!text.empty() && !text.ends_with('\n')) ++line_count;

  const auto stopped = read(text, pop3::trace::ReaderOptions::OnError::Stop);
  const auto skipped = read(text, pop3::trace::ReaderOptions::OnError::Skip);
  check_trace(stopped, line_count, true);
  check_trace(skipped, line_count, false);
  FUZZ_CHECK(stopped.header == skipped.header);
  FUZZ_CHECK(stopped.records.size() <= skipped.records.size());
  for (std::size_t i = 0; i < stopped.records.size(); ++i)
    FUZZ_CHECK(stopped.records[i] == skipped.records[i]);

  if (stopped.ok && stopped.header) {
    std::string rewritten = pop3::trace::encode_line(*stopped.header) + "\n";
    for (const auto& record : stopped.records)
      rewritten += pop3::trace::encode_line(record) + "\n";
    const auto again = read(rewritten, pop3::trace::ReaderOptions::OnError::Stop);
    FUZZ_CHECK(again.ok);
    FUZZ_CHECK(again.header == stopped.header);
    FUZZ_CHECK(again.records == stopped.records);
    // Unknown record types are skipped with a warning; a rewritten trace has none.
    FUZZ_CHECK(again.diagnostics.empty());
  }
  return 0;
}
