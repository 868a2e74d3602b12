#include "model/exports.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <stdexcept>

#include "pop3/pcap/export.hpp"
#include "pop3/trace/writer.hpp"

namespace pop3::viz {
namespace {

trace::HeaderRecord header_of(const TraceModel& model) {
  trace::HeaderRecord header;
  if (model.header())
    if (const auto* h = std::get_if<trace::HeaderRecord>(&model.header()->body)) header = *h;
  if (header.producer.empty()) {
    header.producer = "pop3-viz";
    header.created = std::chrono::floor<trace::Micros>(std::chrono::system_clock::now());
  }
  return header;
}

void write_private(const std::filesystem::path& file, const std::string& text) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot write " + file.string());
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  if (!ok) throw std::runtime_error("cannot write " + file.string());
}

}  // namespace

std::string save_trace(const TraceModel& model, const std::filesystem::path& file) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("cannot write " + file.string());
  trace::JsonlWriter writer(out, header_of(model));
  for (const auto& r : model.records())
    writer.write(r);
  out.flush();
  if (!out) throw std::runtime_error("writing " + file.string() + " failed");
  return "saved " + std::to_string(model.size()) + " records to " + file.string();
}

std::string export_capture(const TraceModel& model, const std::filesystem::path& file,
                           const std::string& key_log, const std::filesystem::path& keylog_file) {
  const auto s = pcap::write_pcap(model.records(), file, header_of(model).created);
  std::string text = "wrote " + file.string() + ": " + std::to_string(s.connections) +
                     " connection(s), " + std::to_string(s.packets) + " packets";
  if (!key_log.empty() && !keylog_file.empty()) {
    write_private(keylog_file, key_log);
    text += "; TLS keys in " + keylog_file.string();
  }
  return text;
}

}  // namespace pop3::viz
