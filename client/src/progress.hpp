#pragma once
// A one-line progress bar on standard error, only when it is a terminal, redrawn at most
// ten times a second.
#include <chrono>
#include <cstdint>
#include <string>

namespace pop3::client {

class Progress {
 public:
  Progress(std::size_t total_messages, std::uint64_t total_octets);
  ~Progress();
  void update(std::size_t messages_done, std::uint64_t octets_done);
  void finish();

 private:
  void draw(bool force);
  bool enabled_;
  std::size_t total_messages_;
  std::uint64_t total_octets_;
  std::size_t messages_ = 0;
  std::uint64_t octets_ = 0;
  std::chrono::steady_clock::time_point last_{};
  bool finished_ = false;
};

}  // namespace pop3::client
