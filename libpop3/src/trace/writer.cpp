#include "pop3/trace/writer.hpp"

#include <ostream>
#include <stdexcept>

#include "pop3/trace/jsonl.hpp"

namespace pop3::trace {

JsonlWriter::JsonlWriter(std::ostream& out, const HeaderRecord& header, WriterOptions options)
    : out_(out), options_(options) {
  write_line(Record{{}, 0, Micros{0}, header});
}

void JsonlWriter::write(const Record& record) {
  if (std::holds_alternative<HeaderRecord>(record.body)) {
    throw std::invalid_argument("trace writer: the header is written once, at construction");
  }
  write_line(record);
}

void JsonlWriter::write_line(const Record& record) {
  const std::string line = encode_line(record);
  out_ << line << '\n';
  if (options_.flush_each_record) out_.flush();
  if (!out_) throw std::runtime_error("trace writer: the output stream failed");
}

}  // namespace pop3::trace
