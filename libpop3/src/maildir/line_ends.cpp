#include "pop3/maildir/line_ends.hpp"

#include <algorithm>
#include <cstring>

namespace pop3::maildir {

std::size_t WireEncoder::flush(char* out, std::size_t capacity) noexcept {
  const std::size_t n = std::min(capacity, pending_size_);
  std::memcpy(out, pending_, n);
  pending_size_ -= n;
  if (pending_size_ > 0) std::memmove(pending_, pending_ + n, pending_size_);
  return n;
}

WireEncoder::Step WireEncoder::encode(std::string_view in, char* out,
                                      std::size_t capacity) noexcept {
  Step step;
  step.produced = flush(out, capacity);
  while (step.consumed < in.size() && step.produced < capacity) {
    const char* rest = in.data() + step.consumed;
    const std::size_t room = capacity - step.produced;
    const std::size_t window = std::min(in.size() - step.consumed, room);
    const void* lf = std::memchr(rest, '\n', window);
    // Copy the run up to the next LF (or all that fits) in one go.
    const std::size_t run =
        lf == nullptr ? window : static_cast<std::size_t>(static_cast<const char*>(lf) - rest);
    if (run > 0) {
      std::memcpy(out + step.produced, rest, run);
      step.consumed += run;
      step.produced += run;
      last_ = rest[run - 1];
      seen_input_ = true;
    }
    if (lf == nullptr) continue;
    // The LF itself; there is room for at least one byte, since run < room.
    const bool bare = last_ != '\r';
    ++step.consumed;
    last_ = '\n';
    seen_input_ = true;
    if (!bare) {
      out[step.produced++] = '\n';
      continue;
    }
    out[step.produced++] = '\r';
    if (step.produced < capacity) {
      out[step.produced++] = '\n';
    } else {
      pending_[pending_size_++] = '\n';
    }
  }
  return step;
}

std::size_t WireEncoder::finish(char* out, std::size_t capacity) noexcept {
  if (!finished_) {
    finished_ = true;
    if (seen_input_ && last_ != '\n') {
      if (last_ != '\r') pending_[pending_size_++] = '\r';
      pending_[pending_size_++] = '\n';
    }
  }
  return flush(out, capacity);
}

void WireSizer::add(std::string_view piece) noexcept {
  if (piece.empty()) return;
  disk_ += piece.size();
  char prev = last_;
  for (const char c : piece) {
    if (c == '\n' && prev != '\r') ++added_crs_;
    prev = c;
  }
  last_ = prev;
}

std::uint64_t WireSizer::total() const noexcept {
  std::uint64_t tail = 0;
  if (disk_ > 0 && last_ != '\n') tail = last_ == '\r' ? 1 : 2;
  return disk_ + added_crs_ + tail;
}

std::uint64_t wire_size(std::string_view disk_form) noexcept {
  WireSizer sizer;
  sizer.add(disk_form);
  return sizer.total();
}

std::string to_wire(std::string_view disk_form) {
  std::string wire(static_cast<std::size_t>(wire_size(disk_form)), '\0');
  WireEncoder encoder;
  const auto step = encoder.encode(disk_form, wire.data(), wire.size());
  std::size_t at = step.produced;
  while (!encoder.done())
    at += encoder.finish(wire.data() + at, wire.size() - at);
  return wire;
}

void DiskEncoder::encode(std::string_view in, std::string& out) {
  out.reserve(out.size() + in.size() + 1);
  for (const char c : in) {
    if (held_cr_) {
      held_cr_ = false;
      if (c == '\n' && !held_cr_after_cr_) {
        out.push_back('\n');
        last_ = '\n';
        continue;
      }
      out.push_back('\r');
      last_ = '\r';
    }
    if (c == '\r') {
      held_cr_ = true;
      held_cr_after_cr_ = last_ == '\r';
      continue;
    }
    out.push_back(c);
    last_ = c;
  }
}

void DiskEncoder::finish(std::string& out) {
  if (held_cr_) {
    out.push_back('\r');
    last_ = '\r';
    held_cr_ = false;
  }
}

std::string to_disk(std::string_view crlf_form) {
  std::string out;
  DiskEncoder encoder;
  encoder.encode(crlf_form, out);
  encoder.finish(out);
  return out;
}

}  // namespace pop3::maildir
