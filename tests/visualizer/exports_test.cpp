// What pop3-viz writes out: the trace it shows (read back identical) and the wire as a
// pcap, read back here with libpcap (Wireshark's own reading is in tests/labs'
// test_pop3_lab.py, through tshark).
#include "model/exports.hpp"

#include <doctest/doctest.h>
#include <pcap/pcap.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "model/sim_source.hpp"
#include "pop3/trace/reader.hpp"
#include "viz_support.hpp"

using namespace pop3;
using namespace pop3::viz;

namespace {

// The model of a whole lab run.
void play(TraceModel& model, SimSource& source) {
  source.poll(model, 0);
  while (!source.finished()) {
    source.step();
    source.poll(model, 0);
  }
}

struct Packets {
  std::size_t count = 0;
  std::size_t syns = 0;
  std::string payload;  // every TCP payload, concatenated
};

Packets read_pcap(const std::filesystem::path& file) {
  char error[PCAP_ERRBUF_SIZE] = {};
  pcap_t* p = pcap_open_offline(file.c_str(), error);
  REQUIRE_MESSAGE(p != nullptr, error);
  CHECK(pcap_datalink(p) == DLT_RAW);
  Packets out;
  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  while (pcap_next_ex(p, &header, &data) == 1) {
    ++out.count;
    REQUIRE(header->caplen >= 40);
    CHECK((data[0] >> 4) == 4);  // IPv4
    CHECK(data[9] == 6);         // TCP
    if (data[33] & 0x02) ++out.syns;
    out.payload.append(reinterpret_cast<const char*>(data) + 40, header->caplen - 40);
  }
  pcap_close(p);
  return out;
}

}  // namespace

TEST_CASE("a simulator run exports as a pcap with one TCP connection and its TLS keys") {
  viztest::TempDir dir;
  SimSource source(viztest::lab_number(9), 0);
  TraceModel model;
  play(model, source);
  const auto pcap_file = dir.path / "lab9.pcap";
  const auto keys_file = dir.path / "lab9.keys";
  const std::string keys = source.run_state().tls_key_log();
  REQUIRE_FALSE(keys.empty());
  const std::string said = export_capture(model, pcap_file, keys, keys_file);
  CHECK(said.find("1 connection(s)") != std::string::npos);
  const Packets packets = read_pcap(pcap_file);
  CHECK(packets.syns == 2);  // the SYN and the SYN-ACK of one handshake
  // The plain part of the conversation is there as it crossed; the login is not (TLS).
  CHECK(packets.payload.find("STLS\r\n") != std::string::npos);
  CHECK(packets.payload.find("PASS") == std::string::npos);
  struct stat st {};
  REQUIRE(::stat(keys_file.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  std::ifstream in(keys_file);
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str() == keys);
}

TEST_CASE("a saved trace reads back as the records shown") {
  viztest::TempDir dir;
  SimSource source(viztest::lab_number(1), 0);
  TraceModel model;
  play(model, source);
  const auto file = dir.path / "lab1.jsonl";
  CHECK(save_trace(model, file).find(std::to_string(model.size()) + " records") !=
        std::string::npos);
  std::ifstream in(file);
  trace::JsonlReader reader(in);
  std::vector<trace::Record> back;
  while (auto r = reader.next())
    back.push_back(std::move(*r));
  CHECK(back == model.records());
}

TEST_CASE("a trace without wire bytes cannot be a capture, and says why") {
  viztest::TempDir dir;
  TraceModel empty;
  CHECK_THROWS_WITH_AS(export_capture(empty, dir.path / "x.pcap"),
                       doctest::Contains("no wire bytes"), std::runtime_error);
}
