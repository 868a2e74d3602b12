#pragma once
// Eavesdropper: a passive tap on the virtual link, and what it learns.
//
// Where it sits: at each sender's end of the link, before any middlebox. It records
// every chunk each side puts on the wire (direction, channel, virtual time, the bytes:
// POP3 in clear on the plain channel, TLS records on the tls channel), and, flagged, any
// bytes a middlebox injects. A cut keeps bytes from arriving, not from being seen.
//
// What it can read: the sessions announce every secret they send (SecretSeen: which
// octets of which direction's application stream, and what they are: cleartext, base64,
// digest, salted proof). The simulator tells the tap where those application octets went
// on the wire, so each secret becomes an Observation: on the plain channel, the very
// octets an observer reads (the password, its base64, the digest); under TLS, the
// ciphertext record(s) that carried it, from which it learns nothing.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pop3/core/events.hpp"
#include "pop3/core/exposure.hpp"
#include "pop3/core/time.hpp"
#include "pop3/trace/record.hpp"

namespace pop3::sim {

struct Capture {
  Direction direction = Direction::ClientToServer;
  trace::Channel channel = trace::Channel::Plain;
  std::uint64_t offset = 0;  // in the sender's TCP stream (injected bytes: 0)
  std::string bytes;
  TimePoint at{};
  bool injected = false;  // put on the link by a middlebox, not by the sender
};

// Where a run of application octets went on the wire: a plaintext write (same length) or
// the TLS record(s) one encrypted write produced.
struct Segment {
  std::uint64_t app_begin = 0;
  std::uint64_t app_end = 0;
  std::uint64_t wire_begin = 0;
  std::uint64_t wire_end = 0;
  trace::Channel channel = trace::Channel::Plain;
  TimePoint at{};
};

struct Observation {
  Direction direction = Direction::ClientToServer;
  Exposure exposure = Exposure::None;              // what the octets are (whatever the channel)
  trace::Channel channel = trace::Channel::Plain;  // how they crossed
  std::string label;                               // "PASS argument", "AUTH PLAIN initial response"
  // As seen on the wire: the secret's own octets on the plain channel (the password, its
  // base64, the digest: the lab's point), the TLS record(s) that carried it under TLS.
  std::string wire;
  std::uint64_t app_offset = 0;  // the secret in the application stream
  std::uint64_t length = 0;
  std::uint64_t wire_offset = 0;  // of `wire` in the sender's TCP stream
  TimePoint at{};
  bool crossed = false;  // false: never reached the wire (the link broke first)

  // The observer can read it: it crossed on the plain channel and is a secret.
  [[nodiscard]] bool readable() const noexcept {
    return crossed && channel == trace::Channel::Plain && exposure != Exposure::None;
  }
  // "cleartext", "base64", ... on the plain channel; "encrypted" under TLS; "not sent".
  [[nodiscard]] std::string_view observed() const noexcept;
};

// The name of a TLS record's content type (RFC 8446 §5.1): "handshake", "alert", ...,
// "unknown" for a value TLS does not define.
[[nodiscard]] std::string_view tls_content_type_name(std::uint8_t type) noexcept;

// One TLS record as the tap parsed it from a direction's tls channel.
struct TlsRecord {
  Direction direction = Direction::ClientToServer;
  std::uint64_t offset = 0;       // in the sender's TCP stream
  std::uint8_t content_type = 0;  // 20 change_cipher_spec, 21 alert, 22 handshake, 23 data
  std::uint16_t version = 0;      // the record layer's: 0x0303 (0x0301 on a ClientHello)
  std::string bytes;              // header and payload
  [[nodiscard]] std::string_view type_name() const noexcept;  // "application_data", ...
};

class Eavesdropper {
 public:
  // --- what it saw -----------------------------------------------------------------
  [[nodiscard]] const std::vector<Capture>& captures() const noexcept { return captures_; }
  // Every octet one side sent, both channels, in order (the sender's TCP stream).
  [[nodiscard]] const std::string& stream(Direction d) const noexcept { return streams_[index(d)]; }
  // What it can read in one direction: the plain-channel octets, injected ones included.
  [[nodiscard]] std::string plaintext(Direction d) const;
  // The complete TLS records of one direction's tls channel.
  [[nodiscard]] std::vector<TlsRecord> tls_records(Direction d) const;
  // One per secret the sessions announced, in announcement order.
  [[nodiscard]] std::vector<Observation> observations() const;
  // A secret of this kind crossed where it could be read.
  [[nodiscard]] bool saw_in_clear(Exposure kind) const;
  // These octets appear in the readable plaintext of either direction.
  [[nodiscard]] bool saw_in_clear(std::string_view octets) const;
  // For people: what crossed, and each secret as the observer got it.
  [[nodiscard]] std::string report() const;

  // --- fed by the simulation ---------------------------------------------------------
  // Records a chunk the sender put on the link; returns its offset in that stream.
  std::uint64_t capture(Direction d, trace::Channel channel, std::string_view bytes, TimePoint at);
  void capture_injected(Direction d, trace::Channel channel, std::string_view bytes, TimePoint at);
  void map(Direction d, const Segment& segment);
  // A secret announced by its sender, and the channel that sender was on at the time.
  void annotate(const SecretSeen& secret, trace::Channel channel, TimePoint at);

 private:
  struct Annotation {
    SecretSeen secret;
    trace::Channel channel;
    TimePoint at;
  };
  [[nodiscard]] static std::size_t index(Direction d) noexcept {
    return d == Direction::ClientToServer ? 0 : 1;
  }
  [[nodiscard]] Observation observe(const Annotation& a) const;

  std::vector<Capture> captures_;
  std::array<std::string, 2> streams_;
  std::array<std::vector<Segment>, 2> segments_;
  std::vector<Annotation> annotations_;
};

}  // namespace pop3::sim
