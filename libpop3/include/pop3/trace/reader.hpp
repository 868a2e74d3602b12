#pragma once
// Reads a trace written as JSON Lines.
//
// Contract:
// - The first non-blank line must be a header of format "pop3lab-trace"; a trace whose
//   major version is newer than kFormatVersion is refused (the layout may have changed
//   in ways this build cannot guess). A newer minor version is read.
// - A malformed line (bad JSON, a missing or ill-typed field) is reported with its line
//   number; then reading stops or goes on, as ReaderOptions says.
// - A record of an unknown type is skipped with a warning (forward compatibility);
//   unknown fields are ignored. Blank lines are skipped.
#include <cstddef>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "pop3/trace/record.hpp"

namespace pop3::trace {

struct ReaderOptions {
  enum class OnError { Stop, Skip };
  OnError on_error = OnError::Stop;  // on a malformed record line (a bad header always stops)
};

struct Diagnostic {
  enum class Severity { Warning, Error };
  std::size_t line = 0;  // 1-based
  Severity severity = Severity::Error;
  std::string message;  // starts with "line N: "
};

class JsonlReader {
 public:
  // Reads and checks the header line right away; see failed() and diagnostics().
  explicit JsonlReader(std::istream& in, ReaderOptions options = {});

  // The header, once read and accepted.
  [[nodiscard]] const std::optional<Record>& header() const noexcept { return header_; }
  // The next record after the header; nullopt at the end of input or once stopped.
  [[nodiscard]] std::optional<Record> next();
  // Reading stopped on an error (a bad header, or a bad line with OnError::Stop).
  [[nodiscard]] bool failed() const noexcept { return failed_; }
  [[nodiscard]] const std::vector<Diagnostic>& diagnostics() const noexcept { return diagnostics_; }

 private:
  bool read_line(std::string& line);
  void read_header();
  void report(Diagnostic::Severity severity, std::string message);

  std::istream& in_;
  ReaderOptions options_;
  std::size_t line_number_ = 0;
  std::optional<Record> header_;
  bool failed_ = false;
  std::vector<Diagnostic> diagnostics_;
};

struct Trace {
  std::optional<Record> header;
  std::vector<Record> records;  // after the header
  std::vector<Diagnostic> diagnostics;
  bool ok = false;  // read to the end without stopping on an error
};

// Reads everything; for tools that want the whole trace in memory.
[[nodiscard]] Trace read_trace(std::istream& in, ReaderOptions options = {});

}  // namespace pop3::trace
