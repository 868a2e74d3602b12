#pragma once
// A message file read as its wire form, held to the size the snapshot measured.
// Internal to pop3::maildir.
#include <cstdint>
#include <string>

#include "pop3/core/maildrop.hpp"
#include "pop3/maildir/line_ends.hpp"
#include "posix.hpp"

namespace pop3::maildir {

class FileMessageStream final : public MessageStream {
 public:
  // `what` names the message in errors.
  FileMessageStream(posix::UniqueFd fd, std::uint64_t octets, std::string what);
  // Throws std::system_error if the file cannot be read or turns out longer or shorter
  // than `octets` in wire form: a client must never get a changed message cut or padded
  // to look whole.
  std::size_t read(char* out, std::size_t capacity) override;

 private:
  void refill();

  posix::UniqueFd fd_;
  std::uint64_t octets_;
  std::uint64_t sent_ = 0;
  std::string what_;
  WireEncoder encoder_;
  std::string buffer_;
  std::size_t begin_ = 0;  // unconsumed input is buffer_[begin_, end_)
  std::size_t end_ = 0;
  bool eof_ = false;
};

}  // namespace pop3::maildir
