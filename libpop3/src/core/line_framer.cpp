#include "pop3/core/line_framer.hpp"

namespace pop3 {

void LineFramer::feed(std::string_view bytes) {
  compact();
  buffer_.append(bytes);
}

void LineFramer::compact() {
  // Drop consumed bytes once they are the larger part, so a long session does not keep
  // its whole history and compaction stays amortised O(1) per byte.
  if (start_ == 0) return;
  if (start_ == buffer_.size()) {
    buffer_.clear();
    start_ = 0;
  } else if (start_ >= buffer_.size() / 2) {
    buffer_.erase(0, start_);
    start_ = 0;
  }
}

FramedLine LineFramer::next() {
  const std::size_t lf = buffer_.find('\n', start_ + scanned_);
  if (lf == std::string::npos) {
    const std::size_t available = buffer_.size() - start_;
    if (discarding_) {
      discarded_ += available;
      start_ = buffer_.size();
      scanned_ = 0;
    } else if (available >= options_.max_line) {
      // Even a LF as the very next byte would make the line exceed the cap.
      discarding_ = true;
      discarded_ = available;
      start_ = buffer_.size();
      scanned_ = 0;
    } else {
      scanned_ = available;
    }
    return {};
  }

  const std::size_t octets = lf + 1 - start_;
  scanned_ = 0;
  if (discarding_ || octets > options_.max_line) {
    FramedLine too_long{FramedLine::Kind::TooLong, {}, false, discarded_ + octets};
    discarding_ = false;
    discarded_ = 0;
    start_ = lf + 1;
    return too_long;
  }

  FramedLine line{FramedLine::Kind::Line, buffer_.substr(start_, octets - 1), false, octets};
  start_ = lf + 1;
  if (!line.text.empty() && line.text.back() == '\r') {
    line.text.pop_back();
  } else {
    line.bare_lf = !options_.accept_bare_lf;
  }
  return line;
}

std::string LineFramer::take_buffered() {
  std::string rest = buffer_.substr(start_);
  buffer_.clear();
  start_ = 0;
  scanned_ = 0;
  discarding_ = false;
  discarded_ = 0;
  return rest;
}

}  // namespace pop3
