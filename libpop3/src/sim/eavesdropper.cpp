#include "pop3/sim/eavesdropper.hpp"

#include <algorithm>

namespace pop3::sim {
namespace {

// Bytes for a person: printable ASCII as is, CR/LF/TAB escaped, anything else \xNN.
std::string printable(std::string_view bytes, std::size_t max = 48) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < bytes.size() && i < max; ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c == '\r')
      out += "\\r";
    else if (c == '\n')
      out += "\\n";
    else if (c == '\t')
      out += "\\t";
    else if (c == '\\')
      out += "\\\\";
    else if (c >= 0x20 && c < 0x7f)
      out += static_cast<char>(c);
    else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0x0f];
    }
  }
  if (bytes.size() > max) out += "...";
  return out;
}

}  // namespace

std::string_view Observation::observed() const noexcept {
  if (!crossed) return "not sent";
  if (channel == trace::Channel::Tls) return "encrypted";
  return exposure_name(exposure);
}

std::string_view TlsRecord::type_name() const noexcept {
  return tls_content_type_name(content_type);
}

std::string_view tls_content_type_name(std::uint8_t type) noexcept {
  switch (type) {
    case 20:
      return "change_cipher_spec";
    case 21:
      return "alert";
    case 22:
      return "handshake";
    case 23:
      return "application_data";
    case 24:
      return "heartbeat";
    default:
      return "unknown";
  }
}

std::uint64_t Eavesdropper::capture(Direction d, trace::Channel channel, std::string_view bytes,
                                    TimePoint at) {
  std::string& stream = streams_[index(d)];
  const std::uint64_t offset = stream.size();
  stream.append(bytes);
  captures_.push_back(Capture{d, channel, offset, std::string(bytes), at, false});
  return offset;
}

void Eavesdropper::capture_injected(Direction d, trace::Channel channel, std::string_view bytes,
                                    TimePoint at) {
  captures_.push_back(Capture{d, channel, 0, std::string(bytes), at, true});
}

void Eavesdropper::map(Direction d, const Segment& segment) {
  segments_[index(d)].push_back(segment);
}

void Eavesdropper::annotate(const SecretSeen& secret, trace::Channel channel, TimePoint at) {
  annotations_.push_back(Annotation{secret, channel, at});
}

std::string Eavesdropper::plaintext(Direction d) const {
  std::string out;
  for (const Capture& c : captures_)
    if (c.direction == d && c.channel == trace::Channel::Plain) out += c.bytes;
  return out;
}

std::vector<TlsRecord> Eavesdropper::tls_records(Direction d) const {
  std::vector<TlsRecord> out;
  std::string tls;
  std::uint64_t base = 0;
  bool first = true;
  for (const Capture& c : captures_) {
    if (c.direction != d || c.channel != trace::Channel::Tls || c.injected) continue;
    if (first) base = c.offset;
    first = false;
    tls += c.bytes;
  }
  std::size_t at = 0;
  while (tls.size() - at >= 5) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(tls[at + i]); };
    const std::size_t length = static_cast<std::size_t>(byte(3)) << 8 | byte(4);
    if (tls.size() - at < 5 + length) break;
    TlsRecord r;
    r.direction = d;
    r.offset = base + at;
    r.content_type = byte(0);
    r.version = static_cast<std::uint16_t>(byte(1) << 8 | byte(2));
    r.bytes = tls.substr(at, 5 + length);
    out.push_back(std::move(r));
    at += 5 + length;
  }
  return out;
}

Observation Eavesdropper::observe(const Annotation& a) const {
  const SecretSeen& s = a.secret;
  Observation o;
  o.direction = s.direction;
  o.exposure = s.exposure;
  o.channel = a.channel;
  o.label = s.label;
  o.app_offset = s.offset;
  o.length = s.length;
  o.at = a.at;
  const std::uint64_t begin = s.offset;
  const std::uint64_t end = s.offset + s.length;
  const Segment* first = nullptr;
  const Segment* last = nullptr;
  std::uint64_t covered = 0;
  for (const Segment& seg : segments_[index(s.direction)]) {
    const std::uint64_t lo = std::max(begin, seg.app_begin);
    const std::uint64_t hi = std::min(end, seg.app_end);
    if (lo >= hi) continue;
    if (!first) first = &seg;
    last = &seg;
    covered += hi - lo;
  }
  if (!first) return o;
  o.crossed = covered == s.length;
  o.channel = first->channel;
  o.at = first->at;
  const std::string& stream = streams_[index(s.direction)];
  if (first->channel == trace::Channel::Plain) {
    // Plain application octets are the wire octets, one for one.
    o.wire_offset = first->wire_begin + (begin - first->app_begin);
    o.wire =
        stream.substr(static_cast<std::size_t>(o.wire_offset), static_cast<std::size_t>(covered));
  } else {
    o.wire_offset = first->wire_begin;
    o.wire = stream.substr(static_cast<std::size_t>(first->wire_begin),
                           static_cast<std::size_t>(last->wire_end - first->wire_begin));
  }
  return o;
}

std::vector<Observation> Eavesdropper::observations() const {
  std::vector<Observation> out;
  out.reserve(annotations_.size());
  for (const Annotation& a : annotations_)
    out.push_back(observe(a));
  return out;
}

bool Eavesdropper::saw_in_clear(Exposure kind) const {
  return std::ranges::any_of(annotations_, [&](const Annotation& a) {
    const Observation o = observe(a);
    return o.readable() && o.exposure == kind;
  });
}

bool Eavesdropper::saw_in_clear(std::string_view octets) const {
  if (octets.empty()) return false;
  for (const Direction d : {Direction::ClientToServer, Direction::ServerToClient})
    if (plaintext(d).find(octets) != std::string::npos) return true;
  return false;
}

std::string Eavesdropper::report() const {
  std::string out;
  for (const Direction d : {Direction::ClientToServer, Direction::ServerToClient}) {
    std::uint64_t plain = 0;
    std::uint64_t tls = 0;
    std::uint64_t injected = 0;
    for (const Capture& c : captures_) {
      if (c.direction != d) continue;
      (c.injected ? injected : c.channel == trace::Channel::Plain ? plain : tls) += c.bytes.size();
    }
    out += std::string(direction_name(d)) + ": " + std::to_string(plain) + " octets in clear, " +
           std::to_string(tls) + " octets of TLS records";
    if (injected) out += ", " + std::to_string(injected) + " octets injected";
    out += "\n";
  }
  for (const Observation& o : observations()) {
    out += std::string(direction_name(o.direction)) + " " + o.label + " (" +
           std::string(exposure_name(o.exposure)) + "): ";
    if (!o.crossed) {
      out += "never crossed the link\n";
    } else if (o.channel == trace::Channel::Tls) {
      out += "encrypted, inside " + std::to_string(o.wire.size()) +
             " octets of TLS records: " + printable(o.wire, 16) + "\n";
    } else {
      out += "read in clear: \"" + printable(o.wire) + "\"";
      out += o.exposure == Exposure::None ? ""
                                          : " -- " + std::string(exposure_consequence(o.exposure));
      out += "\n";
    }
  }
  return out;
}

}  // namespace pop3::sim
