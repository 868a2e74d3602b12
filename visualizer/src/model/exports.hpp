#pragma once
// What the visualizer writes out of its model: the records as a trace file (JSON Lines)
// and the wire as a packet capture for Wireshark, with the TLS key log when the source
// knows the keys (the simulator does; a relay or a live feed does not).
#include <filesystem>
#include <string>

#include "model/trace_model.hpp"

namespace pop3::viz {

// Writes every record of the model, header first (the model's, else a new one for
// pop3-viz). Returns a sentence for the status line; throws std::runtime_error when the
// file cannot be written.
std::string save_trace(const TraceModel& model, const std::filesystem::path& file);

// Writes the wire of every connection in the model as a pcap (pop3::pcap::write_pcap),
// and, when `key_log` is not empty and `keylog_file` is given, the key log beside it
// (owner-only permissions: it decrypts the capture). Returns a sentence for the status
// line; throws std::runtime_error when there is nothing to write or it cannot be written.
std::string export_capture(const TraceModel& model, const std::filesystem::path& file,
                           const std::string& key_log = {},
                           const std::filesystem::path& keylog_file = {});

}  // namespace pop3::viz
