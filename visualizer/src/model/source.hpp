#pragma once
// Where a model's records come from. Every source appends records to a TraceModel when
// polled (once per frame); the panels never know which source it is, only whether it can
// be stepped (the simulator) and what it says about itself.
//
//   SimSource    a lab played on the embedded simulator (pop3::labs::LabRun)
//   FileSource   a recorded trace file (JSON Lines), read in batches
#include <string>

#include "model/trace_model.hpp"

namespace pop3::viz {

enum class SourceKind : std::uint8_t { Simulator, File, Live, Relay };

class Source {
 public:
  virtual ~Source() = default;
  Source(const Source&) = delete;
  Source& operator=(const Source&) = delete;

  [[nodiscard]] virtual SourceKind kind() const noexcept = 0;
  // "Lab 1: First contact (simulator)", "trace lab1.jsonl"
  [[nodiscard]] virtual std::string title() const = 0;
  // Appends what has arrived since the last poll. `now` is a monotonic time in seconds,
  // used only for pacing (Run steps at an interval).
  virtual void poll(TraceModel& model, double now) = 0;
  // One line for the status bar.
  [[nodiscard]] virtual std::string status() const = 0;
  // The last error, for people ("" when none).
  [[nodiscard]] const std::string& error() const noexcept { return error_; }

  // Playback, for sources that can be driven (the simulator).
  [[nodiscard]] virtual bool can_step() const noexcept { return false; }
  virtual void step() {}
  virtual void run() {}
  virtual void pause() {}
  virtual void restart() {}
  [[nodiscard]] virtual bool running() const noexcept { return false; }
  // Nothing more will come (the lab is over, the file is read, the feed closed).
  [[nodiscard]] virtual bool finished() const noexcept = 0;

 protected:
  Source() = default;
  std::string error_;
};

}  // namespace pop3::viz
