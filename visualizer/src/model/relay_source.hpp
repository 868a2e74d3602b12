#pragma once
// RelaySource: pop3-viz between a POP3 client and a real server. It listens on a loopback
// port, and for each client that connects it opens a connection to the upstream server and
// forwards the bytes both ways unchanged, recording what crossed:
//
//   "link"    (role simulator) the bytes on the wire, both directions, as an eavesdropper
//             on this path sees them: plain, then after STLS ciphertext only (the relay
//             cannot read TLS, and says so), and where each secret crossed;
//   "client"  (role client) what the conversation meant: a pop3::ClientSession of the
//             core, fed the client's lines (send_raw) and the server's replies, recorded
//             by a pop3::trace::Recorder, so commands, replies, states and secrets are
//             the library's own reading, not one made up here.
//
// Later connections are "client-2"/"link-2" and so on. With an implicit-TLS upstream
// (port 995) everything is ciphertext and only the link session has bytes. Asio is polled
// from poll() on the UI thread, like the live feed.
#include <cstdint>
#include <memory>
#include <string>

#include "model/source.hpp"

namespace pop3::viz {

class RelaySource final : public Source {
 public:
  // `listen`: a loopback "ADDR:PORT" or "PORT" (0: any free port, see port()).
  // `upstream`: "HOST:PORT" of the POP3 server. Throws std::invalid_argument for an
  // address it cannot use, std::system_error when it cannot listen.
  RelaySource(const std::string& listen, const std::string& upstream, bool upstream_tls = false);
  ~RelaySource() override;

  [[nodiscard]] SourceKind kind() const noexcept override { return SourceKind::Relay; }
  [[nodiscard]] std::string title() const override;
  void poll(TraceModel& model, double now) override;
  [[nodiscard]] std::string status() const override;
  [[nodiscard]] bool finished() const noexcept override { return false; }

  [[nodiscard]] std::uint16_t port() const noexcept;       // where clients connect
  [[nodiscard]] std::size_t connections() const noexcept;  // accepted so far
  [[nodiscard]] std::size_t open_connections() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pop3::viz
