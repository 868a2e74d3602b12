// Writing then reading a trace gives back exactly the records written.
#include <doctest/doctest.h>

#include <set>
#include <sstream>

#include "pop3/trace/jsonl.hpp"
#include "pop3/trace/reader.hpp"
#include "pop3/trace/writer.hpp"
#include "samples.hpp"

namespace pop3::trace {
namespace {

std::string written(const std::vector<Record>& records) {
  std::ostringstream out;
  JsonlWriter writer(out, test::sample_header());
  for (const Record& record : records)
    writer.write(record);
  return out.str();
}

}  // namespace

TEST_CASE("the samples cover every record type") {
  std::set<std::size_t> seen{Body{test::sample_header()}.index()};
  for (const Record& record : test::one_of_each())
    seen.insert(record.body.index());
  CHECK(seen.size() == std::variant_size_v<Body>);
}

TEST_CASE("write then read returns every record type unchanged, binary bytes included") {
  const auto records = test::one_of_each();
  std::istringstream in(written(records));
  const Trace trace = read_trace(in);
  CHECK(trace.ok);
  CHECK(trace.diagnostics.empty());
  REQUIRE(trace.header);
  CHECK(trace.header->body == Body{test::sample_header()});
  CHECK(trace.header->session.empty());
  CHECK(trace.header->seq == 0);
  REQUIRE(trace.records.size() == records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    CAPTURE(i);
    CAPTURE(record_type_name(records[i].body));
    CHECK(trace.records[i] == records[i]);
  }
}

TEST_CASE("one record is one line and the header is the first") {
  const auto records = test::one_of_each();
  const std::string text = written(records);
  std::istringstream in(text);
  std::string line;
  std::size_t lines = 0;
  while (std::getline(in, line)) {
    if (lines == 0) CHECK(line.rfind(R"({"type":"header","session":"","seq":0,"t":0,)", 0) == 0);
    ++lines;
  }
  CHECK(lines == records.size() + 1);
  CHECK(text.back() == '\n');
}

TEST_CASE("the header line names the format, its version and the creation time") {
  const std::string text = written({});
  CHECK(text ==
        R"({"type":"header","session":"","seq":0,"t":0,"format":"pop3lab-trace","version":1,)"
        R"("minor":0,"producer":"pop3lab tests","created":"2024-05-01T12:34:56.789012Z"})"
        "\n");
}

TEST_CASE("readable bytes are a JSON string; CR, LF and TAB stay escapes of that string") {
  const Record record{"s1", 1, Micros{2},
                      AppBytesRecord{Direction::ClientToServer, 0, "USER alice\r\n\tx", false}};
  CHECK(encode_line(record) ==
        R"({"type":"app","session":"s1","seq":1,"t":2,"dir":"c2s","offset":0,)"
        R"("bytes":"USER alice\r\n\tx","redacted":false})");
}

TEST_CASE("UTF-8 text stays a JSON string in UTF-8") {
  const Record record{"s1", 0, Micros{0},
                      NoteRecord{"Gr\xc3\xbc\xc3\x9f"
                                 "e \xf0\x9f\x93\xa7"}};
  CHECK(encode_line(record).find("\"text\":\"Gr\xc3\xbc\xc3\x9f"
                                 "e \xf0\x9f\x93\xa7\"") != std::string::npos);
}

TEST_CASE("bytes that are not readable text are written as hex, exactly") {
  const Record latin1{"s1", 0, Micros{0},
                      NoteRecord{"Gr\xfc\xdf"
                                 "e"}};
  CHECK(encode_line(latin1).find(R"("text":{"hex":"4772fcdf65"})") != std::string::npos);
  const Record nul{"s1", 0, Micros{0}, NoteRecord{std::string("a\0b", 3)}};
  CHECK(encode_line(nul).find(R"("text":{"hex":"610062"})") != std::string::npos);
  const Record all{
      "s1", 0, Micros{0},
      WireBytesRecord{Direction::ServerToClient, Channel::Tls, 0, test::all_byte_values(), false}};
  const std::string line = encode_line(all);
  CHECK(line.find(R"("bytes":{"hex":"000102)") != std::string::npos);
  CHECK(line.find(R"(fdfeff"})") != std::string::npos);
}

TEST_CASE("hex is read in either case; a JSON string with escaped controls is read too") {
  const auto upper =
      decode_line(R"({"type":"note","session":"s","seq":0,"t":0,"text":{"hex":"FF0A"}})");
  REQUIRE(std::holds_alternative<Record>(upper));
  CHECK(std::get<NoteRecord>(std::get<Record>(upper).body).text == "\xff\n");
  const auto escaped =
      decode_line(R"({"type":"note","session":"s","seq":0,"t":0,"text":"a\u0000b"})");
  REQUIRE(std::holds_alternative<Record>(escaped));
  CHECK(std::get<NoteRecord>(std::get<Record>(escaped).body).text == std::string("a\0b", 3));
}

TEST_CASE("a reply without optional fields reads as greeting-less, code-less, without lines") {
  const auto decoded =
      decode_line(R"({"type":"reply","session":"s","seq":3,"t":9,"greeting":false,"status":"-ERR",)"
                  R"("text":"no","multiline":false,"body_lines":0,"body_octets":0})");
  REQUIRE(std::holds_alternative<Record>(decoded));
  const auto& reply = std::get<ReplyRecord>(std::get<Record>(decoded).body);
  CHECK_FALSE(reply.verb);
  CHECK_FALSE(reply.code);
  CHECK_FALSE(reply.lines);
  CHECK(reply.status == Status::Err);
}

}  // namespace pop3::trace
