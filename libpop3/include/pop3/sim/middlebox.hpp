#pragma once
// Middlebox: the seam for on-path attackers (an STLS stripper, a STARTTLS injector, a
// certificate substituter). It sits on the link and sees every chunk either side puts
// on it, in order, before the chunk is scheduled for delivery; for each it says what
// goes on: the chunk as it is, a changed chunk, nothing, or more bytes in either
// direction. It can also write notes into the trace (the "link" session) and break the
// connection.
//
// Contract:
// - on_chunk() is called once per chunk, in the order chunks are sent. What the output
//   forwards travels in the chunk's direction on the chunk's channel, in the order given;
//   inject() sends bytes toward either side after them.
// - The eavesdropper taps the link at the sender's end, before the middlebox: it sees
//   what each side sent. Injected bytes are shown to it flagged as injected. Wire
//   offsets in the trace are the senders' TCP streams; named drop points count delivered
//   octets, which equal the sender's only for a middlebox that keeps lengths.
// - The simulator owns the middlebox; it runs on the simulation's thread.
//
// Only the identity middlebox is implemented here; the attackers are in pop3::attack
// (pop3/attack/: StlsStripper, StartTlsInjector, TlsInterceptor).
#include <string>
#include <string_view>
#include <vector>

#include "pop3/core/events.hpp"
#include "pop3/core/time.hpp"
#include "pop3/trace/record.hpp"

namespace pop3::sim {

struct ChunkView {
  Direction direction = Direction::ClientToServer;
  trace::Channel channel = trace::Channel::Plain;
  std::string_view bytes;
  std::uint64_t offset = 0;  // of bytes[0] in the sender's TCP stream
  TimePoint at{};            // when it was sent (virtual time)
};

class MiddleboxOutput {
 public:
  struct Action {
    enum class Kind : std::uint8_t { Forward, Inject, Note, Cut };
    Kind kind = Kind::Forward;
    Direction direction = Direction::ClientToServer;
    trace::Channel channel = trace::Channel::Plain;
    std::string bytes;  // Forward, Inject: the bytes; Note, Cut: the text
  };

  explicit MiddleboxOutput(const ChunkView& chunk) : chunk_(chunk) {}

  // On in the chunk's direction (the chunk as it is, or changed).
  void forward(std::string bytes) {
    actions_.push_back({Action::Kind::Forward, chunk_.direction, chunk_.channel, std::move(bytes)});
  }
  void forward() { forward(std::string(chunk_.bytes)); }
  // Extra bytes toward the receiver of `direction`.
  void inject(Direction direction, std::string bytes,
              trace::Channel channel = trace::Channel::Plain) {
    actions_.push_back({Action::Kind::Inject, direction, channel, std::move(bytes)});
  }
  // A note in the trace ("stripped STLS from the CAPA reply").
  void note(std::string text) {
    actions_.push_back({Action::Kind::Note, chunk_.direction, chunk_.channel, std::move(text)});
  }
  // Break the connection once what is already delivered has been taken in.
  void cut(std::string why) {
    actions_.push_back({Action::Kind::Cut, chunk_.direction, chunk_.channel, std::move(why)});
  }

  [[nodiscard]] const std::vector<Action>& actions() const noexcept { return actions_; }

 private:
  const ChunkView& chunk_;
  std::vector<Action> actions_;
};

class Middlebox {
 public:
  virtual ~Middlebox() = default;
  [[nodiscard]] virtual std::string_view name() const noexcept = 0;
  // Not forwarding anything drops the chunk.
  virtual void on_chunk(const ChunkView& chunk, MiddleboxOutput& out) = 0;

 protected:
  Middlebox() = default;
  Middlebox(const Middlebox&) = default;
  Middlebox& operator=(const Middlebox&) = default;
};

// Passes every chunk on unchanged: a link with nobody on it but the eavesdropper.
class IdentityMiddlebox final : public Middlebox {
 public:
  [[nodiscard]] std::string_view name() const noexcept override { return "identity"; }
  void on_chunk(const ChunkView&, MiddleboxOutput& out) override { out.forward(); }
};

}  // namespace pop3::sim
