// The reader: header checks, errors with line numbers, forward compatibility.
#include "pop3/trace/reader.hpp"

#include <doctest/doctest.h>

#include <sstream>
#include <utility>

namespace pop3::trace {
namespace {

const std::string kHeader =
    R"({"type":"header","session":"","seq":0,"t":0,"format":"pop3lab-trace","version":1,)"
    R"("minor":0,"producer":"test","created":"2024-05-01T12:00:00Z"})"
    "\n";

std::string note(int seq, const std::string& text) {
  return R"({"type":"note","session":"s1","seq":)" + std::to_string(seq) + R"(,"t":)" +
         std::to_string(seq * 10) + R"(,"text":")" + text + "\"}\n";
}

Trace read(const std::string& text, ReaderOptions options = {}) {
  std::istringstream in(text);
  return read_trace(in, options);
}

bool mentions(const Diagnostic& d, const std::string& part) {
  return d.message.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("a malformed line stops reading by default, reported with its line number") {
  const Trace trace = read(kHeader + note(0, "a") + "{not json\n" + note(2, "c"));
  CHECK_FALSE(trace.ok);
  CHECK(trace.records.size() == 1);
  REQUIRE(trace.diagnostics.size() == 1);
  CHECK(trace.diagnostics[0].line == 3);
  CHECK(trace.diagnostics[0].severity == Diagnostic::Severity::Error);
  CHECK(mentions(trace.diagnostics[0], "line 3: not valid JSON at column"));
}

TEST_CASE("with OnError::Skip the reader reports every malformed line and keeps going") {
  ReaderOptions skip;
  skip.on_error = ReaderOptions::OnError::Skip;
  const std::string missing_seq = R"({"type":"note","session":"s1","t":0,"text":"x"})"
                                  "\n";
  const std::string bad_dir =
      R"({"type":"app","session":"s1","seq":2,"t":0,"dir":"up","offset":0,"bytes":"",)"
      R"("redacted":false})"
      "\n";
  const std::string bad_hex = R"({"type":"note","session":"s1","seq":3,"t":0,"text":{"hex":"abc"}})"
                              "\n";
  const Trace trace = read(
      kHeader + note(0, "a") + missing_seq + bad_dir + bad_hex + "[1,2]\n" + note(5, "f"), skip);
  CHECK(trace.ok);
  CHECK(trace.records.size() == 2);
  REQUIRE(trace.diagnostics.size() == 4);
  CHECK(trace.diagnostics[0].line == 3);
  CHECK(mentions(trace.diagnostics[0], R"(line 3: "note" record: field "seq" is missing)"));
  CHECK(trace.diagnostics[1].line == 4);
  CHECK(mentions(trace.diagnostics[1], R"("app" record: field "dir" must be "c2s" or "s2c")"));
  CHECK(trace.diagnostics[2].line == 5);
  CHECK(mentions(trace.diagnostics[2], R"(field "text" must be a string or {"hex")"));
  CHECK(trace.diagnostics[3].line == 6);
  CHECK(mentions(trace.diagnostics[3], "a record must be a JSON object"));
}

TEST_CASE("blank lines are skipped but still counted for line numbers") {
  const Trace trace = read("\n" + kHeader + "\n  \r\n" + note(0, "a") + "\n" + "oops\n");
  CHECK(trace.records.size() == 1);
  REQUIRE(trace.diagnostics.size() == 1);
  CHECK(trace.diagnostics[0].line == 7);
}

TEST_CASE("a trace of a newer major version is refused with a clear error") {
  const std::string v2 =
      R"({"type":"header","session":"","seq":0,"t":0,"format":"pop3lab-trace","version":2,)"
      R"("layout":"changed"})"
      "\n";
  const Trace trace = read(v2 + note(0, "a"));
  CHECK_FALSE(trace.ok);
  CHECK_FALSE(trace.header);
  CHECK(trace.records.empty());
  REQUIRE(trace.diagnostics.size() == 1);
  CHECK(trace.diagnostics[0].line == 1);
  CHECK(trace.diagnostics[0].message ==
        "line 1: trace format version 2 is newer than this reader, which reads version 1; use "
        "a newer pop3lab to read it");
}

TEST_CASE("a newer minor version is read") {
  const std::string v1_7 =
      R"({"type":"header","session":"","seq":0,"t":0,"format":"pop3lab-trace","version":1,)"
      R"("minor":7,"producer":"future","created":"2030-01-01T00:00:00.5Z","extra":[1]})"
      "\n";
  const Trace trace = read(v1_7 + note(0, "a"));
  CHECK(trace.ok);
  REQUIRE(trace.header);
  CHECK(std::get<HeaderRecord>(trace.header->body).minor == 7);
  CHECK(trace.records.size() == 1);
}

TEST_CASE("input that is not a pop3lab trace is refused at line 1") {
  for (const std::string& text :
       {std::string(R"({"type":"note","session":"s","seq":0,"t":0,"text":"x"})"
                    "\n"),
        std::string(R"({"type":"header","format":"other-trace","version":1})"
                    "\n"),
        std::string("hello\n")}) {
    CAPTURE(text);
    const Trace trace = read(text);
    CHECK_FALSE(trace.ok);
    REQUIRE(trace.diagnostics.size() == 1);
    CHECK(trace.diagnostics[0].line == 1);
  }
  const Trace empty = read("");
  CHECK_FALSE(empty.ok);
  REQUIRE(empty.diagnostics.size() == 1);
  CHECK(mentions(empty.diagnostics[0], "empty input"));
}

TEST_CASE("an empty or all-blank input is reported at the line where the header was due") {
  // Found by fuzz/fuzz_trace_reader: the empty input was reported at line 0, and
  // Diagnostic::line is 1-based.
  for (const auto& [text, line] : {std::pair<std::string, std::size_t>{"", 1},
                                   std::pair<std::string, std::size_t>{"\n  \n", 3}}) {
    CAPTURE(text);
    const Trace trace = read(text);
    CHECK_FALSE(trace.ok);
    REQUIRE(trace.diagnostics.size() == 1);
    CHECK(trace.diagnostics[0].line == line);
    const std::string expected = "line " + std::to_string(line) + ": empty input";
    CHECK(trace.diagnostics[0].message.starts_with(expected));
  }
}

TEST_CASE("a number too large for a double is a reported bad line, not an exception") {
  // Found by fuzz/fuzz_trace_reader in CI: nlohmann throws out_of_range (not parse_error)
  // for 1e500, and the reader let it escape.
  const std::string huge_version = R"({"type":"header","format":"pop3lab-trace","version":1e500})"
                                   "\n";
  const Trace header = read(huge_version);
  CHECK_FALSE(header.ok);
  REQUIRE(header.diagnostics.size() == 1);
  CHECK(mentions(header.diagnostics[0],
                 "line 1: bad header: not a usable JSON value: number "
                 "overflow parsing '1e500'"));

  const std::string huge_offset = R"({"type":"note","session":"s1","seq":1,"t":-1e999,"text":"x"})"
                                  "\n";
  for (const auto on_error : {ReaderOptions::OnError::Stop, ReaderOptions::OnError::Skip}) {
    const Trace trace = read(kHeader + huge_offset + note(2, "b"), ReaderOptions{on_error});
    CHECK(trace.ok == (on_error == ReaderOptions::OnError::Skip));
    CHECK(trace.records.size() == (on_error == ReaderOptions::OnError::Skip ? 1U : 0U));
    REQUIRE(trace.diagnostics.size() == 1);
    CHECK(mentions(trace.diagnostics[0], "line 2: not a usable JSON value"));
  }
}

TEST_CASE("a header with a bad field is an error even when the version is fine") {
  const std::string bad_time =
      R"({"type":"header","session":"","seq":0,"t":0,"format":"pop3lab-trace","version":1,)"
      R"("minor":0,"producer":"p","created":"yesterday"})"
      "\n";
  const Trace trace = read(bad_time);
  CHECK_FALSE(trace.ok);
  REQUIRE(trace.diagnostics.size() == 1);
  CHECK(mentions(trace.diagnostics[0], R"(line 1: bad header: "header" record: field "created")"));
}

TEST_CASE("a record of an unknown type is skipped with a warning; unknown fields are ignored") {
  const std::string future =
      R"({"type":"quantum_entanglement","session":"s1","seq":1,"t":5,"qubits":3})"
      "\n";
  const std::string extra_fields =
      R"({"type":"note","session":"s1","seq":2,"t":6,"text":"b","colour":"red","v":{"x":1}})"
      "\n";
  const Trace trace = read(kHeader + note(0, "a") + future + extra_fields);
  CHECK(trace.ok);
  REQUIRE(trace.records.size() == 2);
  CHECK(std::get<NoteRecord>(trace.records[1].body).text == "b");
  REQUIRE(trace.diagnostics.size() == 1);
  CHECK(trace.diagnostics[0].severity == Diagnostic::Severity::Warning);
  CHECK(trace.diagnostics[0].line == 3);
  CHECK(mentions(trace.diagnostics[0], R"(unknown type "quantum_entanglement")"));
}

TEST_CASE("a second header in the middle is an error") {
  const Trace trace = read(kHeader + note(0, "a") + kHeader + note(1, "b"));
  CHECK_FALSE(trace.ok);
  CHECK(trace.records.size() == 1);
  REQUIRE(trace.diagnostics.size() == 1);
  CHECK(mentions(trace.diagnostics[0], "line 3: a second header"));
}

TEST_CASE("the streaming reader hands out records one at a time and the header first") {
  std::istringstream in(kHeader + note(0, "a") + note(1, "b"));
  JsonlReader reader(in);
  REQUIRE(reader.header());
  CHECK(std::get<HeaderRecord>(reader.header()->body).producer == "test");
  auto first = reader.next();
  auto second = reader.next();
  REQUIRE(first);
  REQUIRE(second);
  CHECK(second->seq == 1);
  CHECK(second->t == Micros{10});
  CHECK_FALSE(reader.next());
  CHECK_FALSE(reader.failed());
}

}  // namespace pop3::trace
