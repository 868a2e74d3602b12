#pragma once
// Private to pop3::sim. DropTracker turns a named drop point ("after the client's QUIT
// reaches the server", "mid-RETR") into an octet count on the link, by watching the
// sessions' commands and replies and where their application octets went on the wire.
//
// Positions, per kind (all in the sender's TCP stream, which the link's limit counts):
// - AfterCommand: the end of the command line's octets (plain), or the end of the TLS
//   record(s) carrying it; BeforeCommand: their start.
// - MidReply: half-way through the wire octets of the server's first write for that
//   reply that carries body octets; through the status line's write if the reply has no
//   body. Under TLS that is half a record: the client can decrypt none of it.
#include <cstdint>
#include <optional>
#include <string_view>

#include "pop3/sim/eavesdropper.hpp"
#include "pop3/sim/events.hpp"
#include "pop3/sim/link.hpp"

namespace pop3::sim::detail {

struct Arm {
  Direction direction = Direction::ClientToServer;
  std::uint64_t octets = 0;
};

class DropTracker {
 public:
  explicit DropTracker(std::optional<DropPoint> drop) : drop_(drop) {}

  // The limit known from the start (AfterOctets).
  [[nodiscard]] std::optional<Arm> initial() const;
  // A session's CommandEvent; app_sent: the application octets its side had sent before.
  void on_command(Side side, Verb verb, std::uint64_t app_sent);
  std::optional<Arm> on_reply(Side side, const ReplyEvent& reply);
  // Application octets a side put on the wire.
  std::optional<Arm> on_write(Side side, const Segment& segment, std::string_view app);

 private:
  enum class Stage : std::uint8_t {
    Waiting,
    InLine,
    AwaitStatus,
    AwaitReplyEvent,
    AwaitBody,
    Done
  };
  [[nodiscard]] static std::uint64_t middle(const Segment& s) noexcept;
  std::optional<Arm> done(Direction d, std::uint64_t octets);

  std::optional<DropPoint> drop_;
  Stage stage_ = Stage::Waiting;
  std::uint64_t start_ = 0;  // where the command line or the reply begins (application octets)
  Segment status_{};         // the reply's status-line write
};

}  // namespace pop3::sim::detail
