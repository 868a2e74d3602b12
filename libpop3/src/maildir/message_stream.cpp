#include "message_stream.hpp"

namespace pop3::maildir {

FileMessageStream::FileMessageStream(posix::UniqueFd fd, std::uint64_t octets, std::string what)
    : fd_(std::move(fd)), octets_(octets), what_(std::move(what)) {}

void FileMessageStream::refill() {
  if (buffer_.empty()) buffer_.resize(64 * 1024);
  begin_ = 0;
  end_ = posix::read_some(fd_.get(), buffer_.data(), buffer_.size(), "cannot read " + what_);
  eof_ = end_ == 0;
}

std::size_t FileMessageStream::read(char* out, std::size_t capacity) {
  std::size_t produced = 0;
  while (produced < capacity && !encoder_.done()) {
    if (begin_ == end_ && !eof_) refill();
    if (begin_ < end_) {
      const auto step = encoder_.encode(std::string_view(buffer_.data() + begin_, end_ - begin_),
                                        out + produced, capacity - produced);
      begin_ += step.consumed;
      produced += step.produced;
    } else {
      produced += encoder_.finish(out + produced, capacity - produced);
    }
  }
  sent_ += produced;
  if (sent_ > octets_ || (produced == 0 && capacity > 0 && sent_ != octets_))
    throw posix::error(EIO, what_ + " changed on disk while being sent (" +
                                std::to_string(octets_) + " octets expected)");
  return produced;
}

}  // namespace pop3::maildir
