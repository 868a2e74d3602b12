#include "pop3/pcap/export.hpp"

#include <pcap/pcap.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <type_traits>

#include "packets.hpp"

namespace pop3::pcap {
namespace {

using detail::Segment;
using trace::Micros;

struct Packet {
  Micros t{0};
  std::string bytes;
};

// One session's TCP connection: sequence numbers per direction ([0] client to server,
// [1] server to client) and how much each direction has sent.
class Connection {
 public:
  Connection(std::size_t number, bool implicit_tls) {
    client_.port = static_cast<std::uint16_t>(50000 + number % 15000);
    server_.port = implicit_tls ? 995 : 110;
    // Made-up initial sequence numbers, different per connection; Wireshark shows them
    // relative to these anyway.
    isn_[0] = static_cast<std::uint32_t>(0x01000000u * (number % 128) + 1000u);
    isn_[1] = static_cast<std::uint32_t>(0x80000000u + 0x01000000u * (number % 128) + 2000u);
  }

  void open(Micros t, std::vector<Packet>& out) {
    if (opened_) return;
    opened_ = true;
    emit(out, t, 0, isn_[0], 0, detail::kSyn);
    emit(out, t, 1, isn_[1], isn_[0] + 1, detail::kSyn | detail::kAck);
    emit(out, t, 0, isn_[0] + 1, isn_[1] + 1, detail::kAck);
  }

  void data(Micros t, Direction direction, std::uint64_t offset, std::string_view bytes,
            std::vector<Packet>& out, ExportSummary& summary) {
    open(t, out);
    const int d = direction == Direction::ClientToServer ? 0 : 1;
    for (std::size_t at = 0; at < bytes.size(); at += detail::kMaxPayload) {
      const std::string_view piece = bytes.substr(at, detail::kMaxPayload);
      emit(out, t, d, seq(d, offset + at), seq(1 - d, sent_[1 - d]), detail::kPsh | detail::kAck,
           piece);
    }
    sent_[d] = std::max(sent_[d], offset + bytes.size());
    summary.octets += bytes.size();
  }

  void close(Micros t, std::vector<Packet>& out) {
    if (!opened_ || closed_) return;
    closed_ = true;
    emit(out, t, 0, seq(0, sent_[0]), seq(1, sent_[1]), detail::kFin | detail::kAck);
    emit(out, t, 1, seq(1, sent_[1]), seq(0, sent_[0]) + 1, detail::kFin | detail::kAck);
    emit(out, t, 0, seq(0, sent_[0]) + 1, seq(1, sent_[1]) + 1, detail::kAck);
  }

  [[nodiscard]] bool opened() const noexcept { return opened_; }

 private:
  // The sequence number of stream offset `offset` in direction d (the SYN took one).
  [[nodiscard]] std::uint32_t seq(int d, std::uint64_t offset) const {
    return static_cast<std::uint32_t>(isn_[d] + 1 + offset);  // modulo 2^32, as TCP counts
  }

  void emit(std::vector<Packet>& out, Micros t, int d, std::uint32_t seq, std::uint32_t ack,
            int flags, std::string_view payload = {}) {
    Segment s;
    s.from = d == 0 ? client_ : server_;
    s.to = d == 0 ? server_ : client_;
    s.seq = seq;
    s.ack = ack;
    s.flags = static_cast<std::uint8_t>(flags);
    s.ip_id = ip_id_[d]++;
    s.payload = payload;
    out.push_back({t, detail::ipv4_tcp_packet(s)});
  }

  detail::Endpoint client_, server_;
  std::uint32_t isn_[2] = {0, 0};
  std::uint64_t sent_[2] = {0, 0};
  std::uint16_t ip_id_[2] = {1, 1};
  bool opened_ = false, closed_ = false;
};

struct PcapDeleter {
  void operator()(pcap_t* p) const noexcept { pcap_close(p); }
};

void write_file(const std::vector<Packet>& packets, const std::filesystem::path& file,
                trace::WallTime created) {
  std::unique_ptr<pcap_t, PcapDeleter> dead(pcap_open_dead(DLT_RAW, 262144));
  if (!dead) throw std::runtime_error("pcap: cannot set up libpcap");
  pcap_dumper_t* dumper = pcap_dump_open(dead.get(), file.c_str());
  if (!dumper)
    throw std::runtime_error("pcap: cannot write " + file.string() + ": " +
                             pcap_geterr(dead.get()));
  const auto base = created.time_since_epoch();
  for (const Packet& p : packets) {
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(base + p.t).count();
    pcap_pkthdr header{};
    header.ts.tv_sec = static_cast<decltype(header.ts.tv_sec)>(us / 1'000'000);
    header.ts.tv_usec = static_cast<decltype(header.ts.tv_usec)>(us % 1'000'000);
    header.caplen = static_cast<bpf_u_int32>(p.bytes.size());
    header.len = header.caplen;
    pcap_dump(reinterpret_cast<u_char*>(dumper), &header,
              reinterpret_cast<const u_char*>(p.bytes.data()));
  }
  const bool flushed = pcap_dump_flush(dumper) == 0;
  pcap_dump_close(dumper);
  if (!flushed) throw std::runtime_error("pcap: writing " + file.string() + " failed");
}

}  // namespace

ExportSummary write_pcap(const std::vector<trace::Record>& records,
                         const std::filesystem::path& file,
                         std::optional<trace::WallTime> created) {
  // The sessions that saw the wire; the others (a client's or server's view of the same
  // conversation in a simulator trace) would only repeat it.
  std::set<std::string, std::less<>> wired;
  for (const auto& r : records)
    if (std::holds_alternative<trace::WireBytesRecord>(r.body)) wired.insert(r.session);
  if (wired.empty())
    throw std::runtime_error(
        "pcap: this trace has no wire bytes (a pop3-client trace records what the client "
        "read and wrote, not the packets: record with pop3-server --trace, the simulator "
        "or pop3-viz's relay)");

  ExportSummary summary;
  std::map<std::string, Connection, std::less<>> connections;
  std::vector<Packet> packets;
  Micros last{0};
  auto connection = [&](const trace::Record& r, bool implicit_tls) -> Connection& {
    auto it = connections.find(r.session);
    if (it == connections.end()) {
      it = connections.emplace(r.session, Connection(++summary.connections, implicit_tls)).first;
    }
    return it->second;
  };
  for (const auto& r : records) {
    last = std::max(last, r.t);
    if (!wired.contains(r.session)) continue;
    std::visit(
        [&](const auto& body) {
          using T = std::decay_t<decltype(body)>;
          if constexpr (std::is_same_v<T, trace::SessionStartRecord>) {
            connection(r, body.channel == trace::Channel::Tls).open(r.t, packets);
          } else if constexpr (std::is_same_v<T, trace::WireBytesRecord>) {
            connection(r, body.channel == trace::Channel::Tls)
                .data(r.t, body.direction, body.offset, body.bytes, packets, summary);
          } else if constexpr (std::is_same_v<T, trace::SessionEndRecord>) {
            connection(r, false).close(r.t, packets);
          }
        },
        r.body);
  }
  for (auto& [id, c] : connections)
    c.close(last, packets);
  // In time order; what happened at one time stays in the order it was recorded.
  std::stable_sort(packets.begin(), packets.end(),
                   [](const Packet& a, const Packet& b) { return a.t < b.t; });
  summary.packets = packets.size();
  write_file(packets, file, created.value_or(trace::WallTime{}));
  return summary;
}

}  // namespace pop3::pcap
