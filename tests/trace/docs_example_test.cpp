// The example trace in docs/trace-format.md is a trace this reader accepts, and it keeps
// the promises the document makes about it.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "pop3/trace/reader.hpp"

namespace pop3::trace {
namespace {

// The first ```jsonl block of the document.
std::string example_from_docs() {
  std::ifstream doc(POP3LAB_TRACE_FORMAT_DOC);
  REQUIRE(doc);
  std::string line;
  std::string example;
  bool inside = false;
  while (std::getline(doc, line)) {
    if (!inside && line == "```jsonl") {
      inside = true;
    } else if (inside && line == "```") {
      break;
    } else if (inside) {
      example += line + "\n";
    }
  }
  return example;
}

}  // namespace

TEST_CASE("the documented example trace reads without a diagnostic and hides the password") {
  const std::string example = example_from_docs();
  REQUIRE_FALSE(example.empty());
  CHECK(example.find("s3cr3t") == std::string::npos);
  std::istringstream in(example);
  const Trace trace = read_trace(in);
  CHECK(trace.ok);
  CHECK(trace.diagnostics.empty());
  REQUIRE(trace.header);
  bool masked_pass = false;
  bool redacted_command = false;
  bool exposure = false;
  for (const Record& r : trace.records) {
    if (const auto* app = std::get_if<AppBytesRecord>(&r.body)) {
      masked_pass |= app->redacted && app->bytes == "PASS ******\r\n";
    } else if (const auto* command = std::get_if<CommandRecord>(&r.body)) {
      redacted_command |=
          command->verb == "PASS" && command->args == std::vector<std::string>{"<redacted>"};
    } else if (std::holds_alternative<ExposureRecord>(r.body)) {
      exposure = true;
    }
  }
  CHECK(masked_pass);
  CHECK(redacted_command);
  CHECK(exposure);
  CHECK(std::holds_alternative<SessionEndRecord>(trace.records.back().body));
}

}  // namespace pop3::trace
