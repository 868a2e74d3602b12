#pragma once
// Private to pop3::sim. Endpoint: one side's socket as the simulator models it. Its
// session's application bytes go out plain, or through the side's TlsPipe once TLS has
// started (held back while the handshake runs); bytes from the link come in the same way.
// It returns what to put on the wire and never touches the link itself.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pop3/sim/events.hpp"
#include "pop3/sim/tls_pipe.hpp"
#include "pop3/trace/record.hpp"

namespace pop3::sim::detail {

struct WireWrite {
  trace::Channel channel = trace::Channel::Plain;
  std::string bytes;
  bool carries_app = false;  // the write carries application octets [app_begin, app_end)
  std::uint64_t app_begin = 0;
  std::uint64_t app_end = 0;
  std::string app;
};

struct Incoming {
  std::string app;                // for the session
  std::vector<WireWrite> writes;  // for the peer: handshake flights, alerts, held writes
  bool tls_up = false;            // the handshake completed with these bytes
  bool tls_failed = false;
  std::string failure;
};

class Endpoint {
 public:
  explicit Endpoint(Side side) : side_(side) {}

  [[nodiscard]] Side side() const noexcept { return side_; }
  [[nodiscard]] bool has_tls() const noexcept { return tls_.has_value(); }
  [[nodiscard]] const TlsPipe* tls() const noexcept { return tls_ ? &*tls_ : nullptr; }
  // The channel the side writes on now: tls once its TLS has started.
  [[nodiscard]] trace::Channel channel() const noexcept {
    return tls_ ? trace::Channel::Tls : trace::Channel::Plain;
  }
  [[nodiscard]] std::uint64_t app_sent() const noexcept { return app_sent_; }
  // The handshake completed at some point (a later failure is the record layer's).
  [[nodiscard]] bool tls_was_up() const noexcept { return tls_was_up_; }

  // From now on everything goes through `pipe`; a client writes its ClientHello.
  std::vector<WireWrite> start_tls(TlsPipe pipe);
  std::vector<WireWrite> send_app(std::string bytes);
  Incoming receive(std::string_view wire);
  // The session closed: a close_notify if TLS is up.
  std::vector<WireWrite> close();

 private:
  struct Held {
    std::uint64_t begin;
    std::string bytes;
  };
  WireWrite encrypt(std::uint64_t begin, std::string bytes);
  void collect(std::vector<WireWrite>& out);  // handshake bytes waiting in the pipe

  Side side_;
  std::optional<TlsPipe> tls_;
  std::vector<Held> held_;
  std::uint64_t app_sent_ = 0;
  bool failure_reported_ = false;
  bool tls_was_up_ = false;
};

}  // namespace pop3::sim::detail
