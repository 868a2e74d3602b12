#include "model/file_source.hpp"

namespace pop3::viz {

FileSource::FileSource(std::filesystem::path path, std::size_t batch,
                       std::chrono::microseconds budget)
    : path_(std::move(path)), batch_(batch), budget_(budget) {}

FileSource::~FileSource() = default;

std::string FileSource::title() const {
  return "trace " + path_.filename().string();
}

void FileSource::poll(TraceModel& model, double) {
  if (done_) return;
  if (!opened_) {
    opened_ = true;
    in_.open(path_, std::ios::binary);
    if (!in_) {
      error_ = "cannot open " + path_.string();
      done_ = true;
      return;
    }
    trace::ReaderOptions options;
    options.on_error = trace::ReaderOptions::OnError::Skip;
    reader_ = std::make_unique<trace::JsonlReader>(in_, options);
    if (reader_->failed() || !reader_->header()) {
      const auto& d = reader_->diagnostics();
      error_ = path_.filename().string() + ": " +
               (d.empty() ? std::string("not a pop3lab trace") : d.back().message);
      done_ = true;
      return;
    }
    model.set_header(reader_->header());
  }
  const auto until = std::chrono::steady_clock::now() + budget_;
  for (std::size_t i = 0; i < batch_; ++i) {
    if (i > 0 && i % kClockEvery == 0 && std::chrono::steady_clock::now() >= until) break;
    auto record = reader_->next();
    if (!record) {
      done_ = true;
      break;
    }
    model.append(std::move(*record));
    ++count_;
  }
  if (done_ && reader_->failed() && error_.empty()) {
    const auto& d = reader_->diagnostics();
    error_ = d.empty() ? "reading stopped" : d.back().message;
  }
}

std::vector<trace::Diagnostic> FileSource::diagnostics() const {
  return reader_ ? reader_->diagnostics() : std::vector<trace::Diagnostic>{};
}

std::string FileSource::status() const {
  if (!error_.empty() && count_ == 0) return error_;
  std::string s = path_.filename().string() + ": " + std::to_string(count_) + " records";
  if (!done_) s += " (reading...)";
  const auto d = diagnostics();
  if (!d.empty()) s += ", " + std::to_string(d.size()) + " diagnostic(s)";
  return s;
}

}  // namespace pop3::viz
