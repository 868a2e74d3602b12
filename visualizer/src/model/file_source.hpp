#pragma once
// FileSource: a recorded trace (JSON Lines, docs/trace-format.md) read with
// pop3::trace::JsonlReader, a batch of records per poll so that a large file fills the
// model while the window stays responsive: at most `batch` records, and no more once
// `budget` has passed (the clock is read every kClockEvery records, so a poll reads at
// least that many). A million records then load at a frame rate, not in 20 frames of
// 190 ms. Malformed lines are skipped and reported.
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <memory>
#include <vector>

#include "model/source.hpp"
#include "pop3/trace/reader.hpp"

namespace pop3::viz {

class FileSource final : public Source {
 public:
  static constexpr std::size_t kClockEvery = 256;
  explicit FileSource(std::filesystem::path path, std::size_t batch = 50'000,
                      std::chrono::microseconds budget = std::chrono::milliseconds(10));
  ~FileSource() override;

  [[nodiscard]] SourceKind kind() const noexcept override { return SourceKind::File; }
  [[nodiscard]] std::string title() const override;
  void poll(TraceModel& model, double now) override;
  [[nodiscard]] std::string status() const override;
  [[nodiscard]] bool finished() const noexcept override { return done_; }

  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }
  [[nodiscard]] std::vector<trace::Diagnostic> diagnostics() const;
  [[nodiscard]] std::size_t records_read() const noexcept { return count_; }

 private:
  std::filesystem::path path_;
  std::size_t batch_;
  std::chrono::microseconds budget_;
  std::ifstream in_;
  std::unique_ptr<trace::JsonlReader> reader_;
  bool opened_ = false;
  bool done_ = false;
  std::size_t count_ = 0;
};

}  // namespace pop3::viz
