#pragma once
// Private to pop3::pcap: one TCP segment in an IPv4 packet, as octets.
#include <cstdint>
#include <string>
#include <string_view>

namespace pop3::pcap::detail {

enum TcpFlags : std::uint8_t { kFin = 0x01, kSyn = 0x02, kPsh = 0x08, kAck = 0x10 };

struct Endpoint {
  std::uint32_t address = 0x7f000001;  // 127.0.0.1, host order
  std::uint16_t port = 0;
};

struct Segment {
  Endpoint from, to;
  std::uint32_t seq = 0;
  std::uint32_t ack = 0;
  std::uint8_t flags = kAck;
  std::uint16_t ip_id = 0;
  std::string_view payload;  // at most kMaxPayload octets
};

// IPv4's total length is 16 bits: 65,535 less the 20-octet IP and TCP headers.
inline constexpr std::size_t kMaxPayload = 65535 - 40;

// The packet: an IPv4 header (with its checksum), a TCP header (with its checksum over
// the pseudo-header), the payload.
[[nodiscard]] std::string ipv4_tcp_packet(const Segment& segment);

}  // namespace pop3::pcap::detail
