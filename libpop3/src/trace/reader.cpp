#include "pop3/trace/reader.hpp"

#include <istream>

#include "json_codec.hpp"
#include "pop3/trace/jsonl.hpp"

namespace pop3::trace {
namespace {

bool is_blank(const std::string& line) {
  return line.find_first_not_of(" \t\r") == std::string::npos;
}

// Checks format and version before the header's other fields are decoded: a newer major
// version may have changed them, and "too new" is the error the user needs to see.
std::optional<std::string> header_problem(const detail::Json& value) {
  if (!value.is_object()) return "the first line is not a pop3lab trace header";
  const auto type = value.find("type");
  const auto format = value.find("format");
  if (type == value.end() || *type != "header" || format == value.end() || *format != kFormatName) {
    return "not a pop3lab trace: the first line must be a header with \"format\": \"" +
           std::string(kFormatName) + "\"";
  }
  const auto version = value.find("version");
  if (version == value.end() || !version->is_number_unsigned() || *version == 0) {
    return "the header's \"version\" must be a positive integer";
  }
  const auto major = version->get<std::uint64_t>();
  if (major > static_cast<std::uint64_t>(kFormatVersion)) {
    return "trace format version " + std::to_string(major) +
           " is newer than this reader, which reads version " + std::to_string(kFormatVersion) +
           "; use a newer pop3lab to read it";
  }
  return std::nullopt;
}

}  // namespace

JsonlReader::JsonlReader(std::istream& in, ReaderOptions options) : in_(in), options_(options) {
  read_header();
}

bool JsonlReader::read_line(std::string& line) {
  while (std::getline(in_, line)) {
    ++line_number_;
    if (!is_blank(line)) return true;
  }
  return false;
}

void JsonlReader::report(Diagnostic::Severity severity, std::string message) {
  diagnostics_.push_back(
      {line_number_, severity, "line " + std::to_string(line_number_) + ": " + message});
}

void JsonlReader::read_header() {
  std::string line;
  if (!read_line(line)) {
    failed_ = true;
    // The header was due on the line after the last one read (line numbers are 1-based,
    // also for an input that is empty or all blank).
    ++line_number_;
    report(Diagnostic::Severity::Error, "empty input: a trace starts with a header line");
    return;
  }
  auto parsed = detail::parse_json_line(line);
  if (auto* error = std::get_if<DecodeError>(&parsed)) {
    failed_ = true;
    report(Diagnostic::Severity::Error, "bad header: " + error->message);
    return;
  }
  const auto& value = std::get<detail::Json>(parsed);
  if (auto problem = header_problem(value)) {
    failed_ = true;
    report(Diagnostic::Severity::Error, *problem);
    return;
  }
  auto decoded = detail::record_from_json(value);
  if (auto* record = std::get_if<Record>(&decoded)) {
    header_ = std::move(*record);
    return;
  }
  failed_ = true;
  if (auto* error = std::get_if<DecodeError>(&decoded)) {
    report(Diagnostic::Severity::Error, "bad header: " + error->message);
  }
}

std::optional<Record> JsonlReader::next() {
  std::string line;
  while (!failed_ && read_line(line)) {
    auto decoded = decode_line(line);
    if (auto* record = std::get_if<Record>(&decoded)) {
      if (!std::holds_alternative<HeaderRecord>(record->body)) return std::move(*record);
      decoded = DecodeError{"a second header (concatenated traces are not supported)"};
    }
    if (auto* unknown = std::get_if<UnknownRecordType>(&decoded)) {
      report(Diagnostic::Severity::Warning, "skipped a record of unknown type \"" + unknown->type +
                                                "\" (written by a newer producer?)");
      continue;
    }
    report(Diagnostic::Severity::Error, std::get<DecodeError>(decoded).message);
    if (options_.on_error == ReaderOptions::OnError::Stop) failed_ = true;
  }
  return std::nullopt;
}

Trace read_trace(std::istream& in, ReaderOptions options) {
  JsonlReader reader(in, options);
  Trace trace;
  while (auto record = reader.next())
    trace.records.push_back(std::move(*record));
  trace.header = reader.header();
  trace.diagnostics = reader.diagnostics();
  trace.ok = !reader.failed();
  return trace;
}

}  // namespace pop3::trace
