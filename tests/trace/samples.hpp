#pragma once
// Records for the trace tests: one of every type, with awkward bytes where bytes go.
#include <string>
#include <vector>

#include "pop3/trace/record.hpp"

namespace pop3::trace::test {

inline std::string all_byte_values() {
  std::string bytes;
  for (int i = 0; i < 256; ++i)
    bytes.push_back(static_cast<char>(i));
  return bytes;
}

inline HeaderRecord sample_header() {
  using namespace std::chrono;
  return HeaderRecord{kFormatVersion, kFormatMinorVersion, "pop3lab tests",
                      WallTime{sys_days{2024y / May / 1} + 12h + 34min + 56s + Micros{789012}}};
}

inline std::vector<Record> one_of_each() {
  const auto c2s = Direction::ClientToServer;
  const auto s2c = Direction::ServerToClient;
  std::vector<Record> records;
  std::uint64_t seq = 0;
  auto add = [&](Body body) {
    records.push_back(Record{"s1", seq, Micros{static_cast<std::int64_t>(seq * 1500)}, body});
    ++seq;
  };
  add(SessionStartRecord{Role::Server, "192.0.2.7:51234", "lab 3 \xe2\x80\x94 attempt 2",
                         Channel::Plain});
  add(AppBytesRecord{s2c, 0, "+OK POP3 ready <1896.697170952@dbc.mtview.ca.us>\r\n", false});
  add(AppBytesRecord{c2s, 0, all_byte_values(), false});
  add(AppBytesRecord{s2c, 49,
                     "Subject: Gr\xc3\xbc\xc3\x9f"
                     "e\r\n\tfolded\r\n",
                     false});
  add(AppBytesRecord{s2c, 70,
                     "Subject: Gr\xfc\xdf"
                     "e (Latin-1)\r\n",
                     false});
  add(AppBytesRecord{c2s, 256, "PASS ******\r\n", true});
  add(AppBytesRecord{c2s, 269, "", false});
  add(WireBytesRecord{c2s, Channel::Plain, 0, "STLS\r\n", false});
  add(WireBytesRecord{c2s, Channel::Tls, 6, std::string("\x16\x03\x01\x00\x05hello", 10), false});
  add(WireBytesRecord{s2c, Channel::Tls, 1000, all_byte_values(), true});
  add(CommandRecord{"PASS", {"<redacted>"}, true});
  add(CommandRecord{"USER", {"j\xf6rg"}, false});
  add(CommandRecord{"STAT", {}, false});
  add(ReplyRecord{std::nullopt, true, Status::Ok, std::nullopt, "POP3 ready", false, 0, 0,
                  std::nullopt});
  add(ReplyRecord{"CAPA", false, Status::Ok, std::nullopt, "Capability list follows", true, 3, 32,
                  std::vector<std::string>{"TOP", "SASL PLAIN SCRAM-SHA-256", "\x01\xff"}});
  add(ReplyRecord{"PASS", false, Status::Err, "SYS/TEMP", "try later", false, 0, 0, std::nullopt});
  add(ReplyRecord{"AUTH", false, Status::Continue, std::nullopt, "", false, 0, 0, std::nullopt});
  add(ReplyRecord{"LIST", false, Status::Ok, std::nullopt, "0 messages", true, 0, 0,
                  std::vector<std::string>{}});
  add(StateChangeRecord{"AUTHORIZATION", "AUTHORIZATION/USER", "USER accepted"});
  add(TlsRequestedRecord{});
  add(TlsEstablishedRecord{"TLSv1.3", "TLS_AES_256_GCM_SHA384"});
  add(TlsFailedRecord{"certificate verify failed"});
  add(AuthStepRecord{"SCRAM-SHA-256", s2c, "server-first-message: nonce, salt, 4096 iterations"});
  add(ExposureRecord{c2s, 17, 6, "cleartext", "PASS argument", Channel::Plain});
  add(ExposureRecord{c2s, 400, 24, "base64", "AUTH PLAIN initial response", Channel::Tls});
  add(InjectionDiscardedRecord{c2s, 12});
  add(ViolationRecord{"tls_injection", "peer_violation",
                      "plaintext received behind STLS was discarded", "12 octets", false});
  add(ViolationRecord{"system:104", "", "Connection reset by peer", "", true});
  add(NoteRecord{"attacker rewrote CAPA: STLS removed"});
  add(SessionEndRecord{true, "QUIT in TRANSACTION: deletions applied"});
  // Envelope edge cases: another session, a negative time, a huge sequence number.
  records.push_back(
      Record{"\xff-binary-session-id", 18446744073709551615ull, Micros{-5}, NoteRecord{"edge"}});
  return records;
}

}  // namespace pop3::trace::test
