#pragma once
// A trace as a packet capture: every session of the trace that recorded wire bytes (the
// simulator's "link" sessions, a pop3-viz relay's, pop3-server's) becomes one TCP
// connection in a pcap file that Wireshark, tshark and tcpdump open. The bytes are the
// trace's wire bytes exactly, in the order and at the times the trace gives; the TCP and
// IPv4 headers around them are made up (the trace has no packets): a three-way handshake
// when the session starts, one segment per wire record (split at 64 KiB), FINs when it
// ends. Addresses are 127.0.0.1 on both sides, the client's port 50000 + the connection's
// number, the server's 110, or 995 for a session that began under TLS, so Wireshark
// decodes POP (and TLS after STLS) without being told.
//
// Encrypted records stay encrypted: give Wireshark the TLS key log of the same run (the
// simulator knows its keys: pop3::labs::LabRun::tls_key_log()) to read them.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "pop3/trace/record.hpp"

namespace pop3::pcap {

struct ExportSummary {
  std::size_t connections = 0;  // sessions written as TCP connections
  std::size_t packets = 0;      // including the handshakes and FINs
  std::size_t octets = 0;       // TCP payload, both directions
};

// Writes `records` (in trace order) to `file`, replacing it. `created` is the wall-clock
// time of the trace's start (its header), so packet times are real dates; without it the
// capture starts at the Unix epoch. Throws std::runtime_error when the file cannot be
// written or the trace has no wire bytes at all.
ExportSummary write_pcap(const std::vector<trace::Record>& records,
                         const std::filesystem::path& file,
                         std::optional<trace::WallTime> created = std::nullopt);

}  // namespace pop3::pcap
