#pragma once
// The virtual link between the client and the server: two one-way byte pipes with
// chunking, latency and a cut.
//
// Model:
// - A side writes bytes (one write per session Send, TLS flight or TLS record batch).
//   The link splits each write into chunks (Chunking) and schedules every chunk for
//   delivery `latency` after the write; chunks of one direction arrive in order, one
//   delivery per chunk. Across directions, deliveries go by due time, then by the order
//   they were scheduled.
// - A direction can be limited: once `octets` octets have been delivered in it, the
//   delivery that reaches the limit is truncated there and flagged `cut_after`; the
//   simulation then breaks the connection. Limits count delivered octets (which, with
//   the identity middlebox, are the sender's own octets), TLS records included.
// - cut() drops everything in flight; a cut link delivers nothing and takes nothing.
// - A FIN (the sender closed its side) travels like a chunk, after the bytes before it.
//
// The Link knows nothing of sessions, TLS or the eavesdropper: Simulation wires them.
#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "pop3/core/command.hpp"
#include "pop3/core/events.hpp"
#include "pop3/core/time.hpp"
#include "pop3/sim/seeded.hpp"
#include "pop3/trace/record.hpp"

namespace pop3::sim {

// How writes are cut into deliveries. min = max = 0: each write crosses whole.
struct Chunking {
  std::size_t min = 0;
  std::size_t max = 0;

  static Chunking whole() { return {}; }
  // Every chunk `octets` long (the last one of a write may be shorter); 1: byte by byte.
  static Chunking fixed(std::size_t octets) { return {octets, octets}; }
  // Sizes drawn from the seed, uniformly in [min, max].
  static Chunking random(std::size_t min_octets, std::size_t max_octets) {
    return {min_octets, max_octets};
  }
  [[nodiscard]] bool is_whole() const noexcept { return max == 0; }
  [[nodiscard]] std::string describe() const;
};

// Where the connection breaks. Both sessions then get connection_lost(): bytes still in
// flight are lost, and what arrived before the break is taken in first (a real peer
// reads the data before it sees the reset).
struct DropPoint {
  enum class Kind : std::uint8_t {
    AfterOctets,    // once `octets` octets have been delivered in `direction`
    AfterCommand,   // once the client's `verb` command has reached the server, before
                    // anything comes back ("after the client sends QUIT")
    BeforeCommand,  // the client's `verb` command is lost on the way (sent, never arrives)
    MidReply,       // half-way through the server's reply to `verb` ("mid-RETR"): through
                    // the first write that carries body bytes, or the status line's
                    // write when the reply has no body
    AtTime,         // at virtual time `at` (since the start)
  };
  Kind kind = Kind::AfterOctets;
  Direction direction = Direction::ClientToServer;
  std::uint64_t octets = 0;
  Verb verb = Verb::Quit;
  std::chrono::milliseconds at{0};

  static DropPoint after_octets(Direction d, std::uint64_t n) {
    return {Kind::AfterOctets, d, n, Verb::Quit, {}};
  }
  static DropPoint after_command(Verb v) {
    return {Kind::AfterCommand, Direction::ClientToServer, 0, v, {}};
  }
  static DropPoint before_command(Verb v) {
    return {Kind::BeforeCommand, Direction::ClientToServer, 0, v, {}};
  }
  static DropPoint mid_reply(Verb v) {
    return {Kind::MidReply, Direction::ServerToClient, 0, v, {}};
  }
  static DropPoint at_time(std::chrono::milliseconds t) {
    return {Kind::AtTime, Direction::ClientToServer, 0, Verb::Quit, t};
  }
  [[nodiscard]] std::string describe() const;  // "after the client's QUIT reaches the server"
};

struct LinkSettings {
  Chunking chunking;
  std::chrono::milliseconds latency{0};  // every write arrives this long after it was sent
  std::optional<DropPoint> drop;
};

class Link {
 public:
  struct Delivery {
    Direction direction = Direction::ClientToServer;
    trace::Channel channel = trace::Channel::Plain;
    std::string bytes;
    bool fin = false;        // the sender closed its side (no bytes)
    bool cut_after = false;  // the direction's limit was reached with this delivery
    TimePoint due{};
  };

  Link(LinkSettings settings, std::uint64_t seed);

  [[nodiscard]] const LinkSettings& settings() const noexcept { return settings_; }
  // The chunks a write is cut into (draws sizes from the direction's own stream).
  std::vector<std::string> chunk(Direction direction, std::string_view bytes);
  // Queues one chunk (already through the middlebox) for delivery at now + latency.
  void schedule(Direction direction, trace::Channel channel, std::string bytes, TimePoint now);
  void schedule_fin(Direction direction, TimePoint now);

  // When the earliest chunk is due; nullopt when nothing is in flight.
  [[nodiscard]] std::optional<TimePoint> next_due() const;
  // The earliest chunk if it is due at `now`.
  std::optional<Delivery> pop_due(TimePoint now);

  // Cut once `octets` octets have been delivered in `direction` (the earliest limit wins).
  void limit(Direction direction, std::uint64_t octets);
  [[nodiscard]] std::optional<std::uint64_t> limit_of(Direction direction) const;
  // The limit is already reached (set too late, or reached exactly by a delivery).
  [[nodiscard]] bool limit_reached(Direction direction) const;

  void cut();
  [[nodiscard]] bool is_cut() const noexcept { return cut_; }
  [[nodiscard]] bool idle() const noexcept { return queue_.empty(); }
  [[nodiscard]] std::size_t in_flight() const noexcept { return queue_.size(); }
  [[nodiscard]] std::uint64_t delivered(Direction direction) const noexcept;

 private:
  [[nodiscard]] static std::size_t index(Direction d) noexcept {
    return d == Direction::ClientToServer ? 0 : 1;
  }

  LinkSettings settings_;
  std::array<SeededRandom, 2> sizes_;
  // Latency is the same for every chunk and time never goes back, so the order chunks
  // were scheduled in is also the order of their due times.
  std::deque<Delivery> queue_;
  std::array<std::uint64_t, 2> delivered_{};
  std::array<std::optional<std::uint64_t>, 2> limit_{};
  bool cut_ = false;
};

}  // namespace pop3::sim
