#pragma once
// Where records go. The Recorder writes to a Sink; a JsonlWriter is one, a MemorySink
// (for the visualizer's live model and for tests) is another. Sinks do no locking: the
// recorders sharing one must run on one thread (or strand), as a connection's do.
#include <vector>

#include "pop3/trace/record.hpp"

namespace pop3::trace {

class Sink {
 public:
  virtual ~Sink() = default;
  // May throw (a writer whose stream failed); the Recorder lets the exception through.
  virtual void write(const Record& record) = 0;

 protected:
  Sink() = default;
  Sink(const Sink&) = default;
  Sink& operator=(const Sink&) = default;
};

class MemorySink final : public Sink {
 public:
  void write(const Record& record) override { records.push_back(record); }
  std::vector<Record> records;
};

}  // namespace pop3::trace
