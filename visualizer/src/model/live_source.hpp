#pragma once
// LiveSource: pop3-server's live trace feed (`pop3-server --trace-feed 127.0.0.1:PORT`):
// a loopback TCP port that sends the trace as JSON Lines, the header first, then every
// record of every session from the moment we connect. Each line is decoded with
// pop3::trace::decode_line. Asio does the socket, polled from poll() on the UI thread: no
// thread, no lock. When the server is not there yet, or goes away, the source tries again
// every two seconds, and a new connection starts a new model (the server may have
// restarted, and its session ids with it).
#include <cstdint>
#include <memory>
#include <string>

#include "model/source.hpp"

namespace pop3::viz {

class LiveSource final : public Source {
 public:
  // "127.0.0.1:7110", "[::1]:7110" or "7110" (loopback). Throws std::invalid_argument
  // for anything else.
  explicit LiveSource(const std::string& address);
  ~LiveSource() override;

  [[nodiscard]] SourceKind kind() const noexcept override { return SourceKind::Live; }
  [[nodiscard]] std::string title() const override;
  void poll(TraceModel& model, double now) override;
  [[nodiscard]] std::string status() const override;
  [[nodiscard]] bool finished() const noexcept override { return false; }
  [[nodiscard]] bool connected() const noexcept;
  [[nodiscard]] std::uint64_t records_read() const noexcept { return count_; }

  static constexpr double kRetry = 2.0;  // seconds between connection attempts

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string host_;
  std::uint16_t port_ = 0;
  std::uint64_t count_ = 0;
  std::uint64_t skipped_ = 0;
  double retry_at_ = 0;
};

}  // namespace pop3::viz
