#pragma once
// How pop3-lab shows a step in the terminal: each line on the wire with its annotation,
// the state changes, and what the eavesdropper holds. Built from trace records, so the
// simulator and a real server are shown the same way.
#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

#include "pop3/sim/eavesdropper.hpp"
#include "pop3/trace/record.hpp"

namespace pop3::labs {

class StepDisplay {
 public:
  explicit StepDisplay(std::ostream& out, std::string client_session = "client")
      : out_(out), client_(std::move(client_session)) {}
  // Prints the records [first, end) of a trace.
  void records(const std::vector<trace::Record>& all, std::size_t first, std::size_t end);
  // Prints what the eavesdropper got from these observations.
  void observations(const std::vector<sim::Observation>& seen);
  // The client session to follow (a lab's reconnect makes "client-2", ...).
  void follow(std::string client_session) { client_ = std::move(client_session); }

 private:
  void line(char who, const std::string& text);
  void flush_hidden();
  void bytes(int direction, const std::string& data);
  std::ostream& out_;
  std::string client_;
  std::string partial_[2];
  std::size_t body_lines_ = 0;
  std::size_t hidden_ = 0;
};

// "wonderland" -> "wonderland"; control bytes and non-ASCII shown as \xNN, long text cut.
[[nodiscard]] std::string printable(const std::string& bytes, std::size_t max = 120);

}  // namespace pop3::labs
