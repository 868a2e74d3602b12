#include "packets.hpp"

#include <stdexcept>

namespace pop3::pcap::detail {
namespace {

void put16(std::string& out, std::size_t at, std::uint32_t v) {
  out[at] = static_cast<char>((v >> 8) & 0xff);
  out[at + 1] = static_cast<char>(v & 0xff);
}

void put32(std::string& out, std::size_t at, std::uint32_t v) {
  put16(out, at, v >> 16);
  put16(out, at + 2, v & 0xffff);
}

// The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of
// 16-bit words, the last odd octet padded with zero.
std::uint32_t sum_words(std::string_view data, std::uint32_t sum = 0) {
  for (std::size_t i = 0; i + 1 < data.size(); i += 2)
    sum += (static_cast<std::uint32_t>(static_cast<unsigned char>(data[i])) << 8) |
           static_cast<unsigned char>(data[i + 1]);
  if (data.size() % 2)
    sum += static_cast<std::uint32_t>(static_cast<unsigned char>(data.back())) << 8;
  return sum;
}

std::uint16_t fold(std::uint32_t sum) {
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum & 0xffff);
}

}  // namespace

std::string ipv4_tcp_packet(const Segment& s) {
  if (s.payload.size() > kMaxPayload)
    throw std::logic_error("pcap: a segment longer than IPv4 allows");
  const std::size_t tcp_length = 20 + s.payload.size();
  std::string p(20 + tcp_length, '\0');
  // IPv4 (RFC 791): version 4, header length 5 words, don't fragment, TTL 64, TCP.
  p[0] = static_cast<char>(0x45);
  put16(p, 2, static_cast<std::uint32_t>(p.size()));
  put16(p, 4, s.ip_id);
  put16(p, 6, 0x4000);
  p[8] = 64;
  p[9] = 6;
  put32(p, 12, s.from.address);
  put32(p, 16, s.to.address);
  put16(p, 10, fold(sum_words(std::string_view(p).substr(0, 20))));
  // TCP (RFC 793): no options, a window of 65535.
  put16(p, 20, s.from.port);
  put16(p, 22, s.to.port);
  put32(p, 24, s.seq);
  put32(p, 28, s.ack);
  p[32] = static_cast<char>(5 << 4);
  p[33] = static_cast<char>(s.flags);
  put16(p, 34, 0xffff);
  p.replace(40, s.payload.size(), s.payload);
  // The checksum covers a pseudo-header: addresses, protocol, TCP length.
  std::string pseudo(12, '\0');
  put32(pseudo, 0, s.from.address);
  put32(pseudo, 4, s.to.address);
  pseudo[9] = 6;
  put16(pseudo, 10, static_cast<std::uint32_t>(tcp_length));
  put16(p, 36, fold(sum_words(std::string_view(p).substr(20), sum_words(pseudo))));
  return p;
}

}  // namespace pop3::pcap::detail
