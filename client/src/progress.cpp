#include "progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace pop3::client {

Progress::Progress(std::size_t total_messages, std::uint64_t total_octets)
    : enabled_(::isatty(STDERR_FILENO) == 1 && total_messages > 0),
      total_messages_(total_messages),
      total_octets_(total_octets) {}

Progress::~Progress() {
  finish();
}

void Progress::update(std::size_t messages_done, std::uint64_t octets_done) {
  messages_ = messages_done;
  octets_ = octets_done;
  draw(false);
}

void Progress::draw(bool force) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (!force && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  constexpr int width = 30;
  const double fraction =
      total_octets_ > 0 ? static_cast<double>(octets_) / static_cast<double>(total_octets_) : 1.0;
  const int filled = static_cast<int>(fraction * width);
  std::string bar(static_cast<std::size_t>(width), ' ');
  for (int i = 0; i < filled && i < width; ++i)
    bar[static_cast<std::size_t>(i)] = '=';
  std::fprintf(stderr, "\r[%s] %zu/%zu messages, %.1f/%.1f MiB", bar.c_str(), messages_,
               total_messages_, static_cast<double>(octets_) / 1048576.0,
               static_cast<double>(total_octets_) / 1048576.0);
  std::fflush(stderr);
}

void Progress::finish() {
  if (finished_) return;
  finished_ = true;
  if (!enabled_) return;
  draw(true);
  std::fputc('\n', stderr);
}

}  // namespace pop3::client
