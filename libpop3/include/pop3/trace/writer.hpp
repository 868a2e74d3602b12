#pragma once
// Writes a trace as JSON Lines: the header first (at construction, so a trace without
// one cannot be written), then one record per line, in the order written.
#include <iosfwd>

#include "pop3/trace/record.hpp"
#include "pop3/trace/sink.hpp"

namespace pop3::trace {

struct WriterOptions {
  // Flush after every line: for a file that a live viewer tails. Off by default because
  // a busy server writes many small records.
  bool flush_each_record = false;
};

class JsonlWriter final : public Sink {
 public:
  // Writes the header line now. The stream must outlive the writer.
  JsonlWriter(std::ostream& out, const HeaderRecord& header, WriterOptions options = {});

  // Throws std::invalid_argument for a second header, std::runtime_error when the stream
  // has failed (the trace would silently end otherwise).
  void write(const Record& record) override;

 private:
  void write_line(const Record& record);
  std::ostream& out_;
  WriterOptions options_;
};

}  // namespace pop3::trace
