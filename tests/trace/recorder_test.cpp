// The Recorder: steps become records, secrets stay out unless a lab asks for them.
#include "pop3/trace/recorder.hpp"

#include <doctest/doctest.h>

#include <stdexcept>

#include "pop3/core/errors.hpp"

namespace pop3::trace {
namespace {

constexpr auto c2s = Direction::ClientToServer;
constexpr auto s2c = Direction::ServerToClient;

TimePoint at(int ms) {
  return TimePoint{} + std::chrono::milliseconds{ms};
}

RecorderOptions options(bool expose = false) {
  RecorderOptions o;
  o.trace_start = at(0);
  o.expose_secrets = expose;
  return o;
}

template <typename T>
std::vector<T> all_of(const MemorySink& sink) {
  std::vector<T> found;
  for (const Record& r : sink.records) {
    if (const T* body = std::get_if<T>(&r.body)) found.push_back(*body);
  }
  return found;
}

std::string joined_app(const MemorySink& sink, Direction d) {
  std::string bytes;
  for (const auto& app : all_of<AppBytesRecord>(sink)) {
    if (app.direction == d) bytes += app.bytes;
  }
  return bytes;
}

std::string joined_wire(const MemorySink& sink, Direction d) {
  std::string bytes;
  for (const auto& wire : all_of<WireBytesRecord>(sink)) {
    if (wire.direction == d) bytes += wire.bytes;
  }
  return bytes;
}

SecretSeen pass_secret(Direction d) {
  return SecretSeen{d, 17, 6, Exposure::Cleartext, "PASS argument"};
}

// A server that received "USER alice\r\nPASS s3cr3t\r\n" in awkward pieces, with the
// secret announced before the piece that starts it, as the core promises.
void server_receives_pass_in_pieces(Recorder& recorder) {
  recorder.step(Received{"USER alice\r\n", 0, false}, at(1));
  recorder.step(pass_secret(c2s), at(2));
  recorder.step(Received{"PASS s3", 12, false}, at(2));
  recorder.step(Received{"cr", 19, false}, at(3));
  recorder.step(Received{"3t\r\n", 21, false}, at(4));
}

}  // namespace

TEST_CASE("recorder: a PASS argument split across Received records is masked in every piece") {
  MemorySink sink;
  Recorder recorder(sink, "s1", Role::Server, options());
  server_receives_pass_in_pieces(recorder);
  const auto apps = all_of<AppBytesRecord>(sink);
  REQUIRE(apps.size() == 4);
  CHECK(apps[0].bytes == "USER alice\r\n");
  CHECK_FALSE(apps[0].redacted);
  CHECK(apps[1].bytes == "PASS **");
  CHECK(apps[2].bytes == "**");
  CHECK(apps[3].bytes == "**\r\n");
  CHECK(apps[1].redacted);
  CHECK(apps[2].redacted);
  CHECK(apps[3].redacted);
  CHECK(apps[3].offset == 21);
  CHECK(apps[3].direction == c2s);
  CHECK(joined_app(sink, c2s) == "USER alice\r\nPASS ******\r\n");
}

TEST_CASE("recorder: a PASS argument split across Send records is masked (client side)") {
  MemorySink sink;
  Recorder recorder(sink, "c1", Role::Client, options());
  recorder.step(Send{"USER alice\r\nPA"}, at(1));
  recorder.step(pass_secret(c2s), at(2));
  recorder.step(Send{"SS s3c"}, at(2));
  recorder.step(Send{"r3t\r\nSTAT\r\n"}, at(2));
  const auto apps = all_of<AppBytesRecord>(sink);
  REQUIRE(apps.size() == 3);
  CHECK(apps[0].offset == 0);
  CHECK(apps[1].offset == 14);
  CHECK(apps[2].offset == 20);
  CHECK(apps[1].bytes == "SS ***");
  CHECK(apps[2].bytes == "***\r\nSTAT\r\n");
  CHECK(joined_app(sink, c2s) == "USER alice\r\nPASS ******\r\nSTAT\r\n");
}

TEST_CASE("recorder: expose_secrets keeps the PASS bytes, and still writes the exposure") {
  MemorySink sink;
  Recorder recorder(sink, "s1", Role::Server, options(true));
  server_receives_pass_in_pieces(recorder);
  CHECK(joined_app(sink, c2s) == "USER alice\r\nPASS s3cr3t\r\n");
  for (const auto& app : all_of<AppBytesRecord>(sink))
    CHECK_FALSE(app.redacted);
  const auto exposures = all_of<ExposureRecord>(sink);
  REQUIRE(exposures.size() == 1);
}

TEST_CASE("recorder: the exposure record marks the range, kind and channel, never the secret") {
  MemorySink sink;
  Recorder recorder(sink, "s1", Role::Server, options());
  server_receives_pass_in_pieces(recorder);
  const auto exposures = all_of<ExposureRecord>(sink);
  REQUIRE(exposures.size() == 1);
  CHECK(exposures[0] == ExposureRecord{c2s, 17, 6, "cleartext", "PASS argument", Channel::Plain});
  CHECK(observed_exposure(exposures[0]) == "cleartext");
  for (const Record& r : sink.records) {
    const auto* app = std::get_if<AppBytesRecord>(&r.body);
    if (app != nullptr) CHECK(app->bytes.find("s3") == std::string::npos);
  }
}

TEST_CASE("recorder: after TLS is established exposures are on the tls channel") {
  MemorySink sink;
  Recorder recorder(sink, "s1", Role::Server, options());
  recorder.step(StartTls{}, at(1));
  recorder.tls_established("TLSv1.3", "TLS_AES_128_GCM_SHA256", at(2));
  CHECK(recorder.channel() == Channel::Tls);
  recorder.step(pass_secret(c2s), at(3));
  const auto exposures = all_of<ExposureRecord>(sink);
  REQUIRE(exposures.size() == 1);
  CHECK(exposures[0].channel == Channel::Tls);
  CHECK(observed_exposure(exposures[0]) == "encrypted");
  CHECK(all_of<TlsRequestedRecord>(sink).size() == 1);
  CHECK(all_of<TlsEstablishedRecord>(sink).at(0).cipher == "TLS_AES_128_GCM_SHA256");
}

TEST_CASE("recorder: implicit TLS sessions start on the tls channel") {
  MemorySink sink;
  Recorder recorder(sink, "s1", Role::Server, options());
  recorder.session_start(at(0), "192.0.2.1:995", "", Channel::Tls);
  recorder.step(pass_secret(c2s), at(1));
  CHECK(all_of<ExposureRecord>(sink).at(0).channel == Channel::Tls);
  CHECK(all_of<SessionStartRecord>(sink).at(0).channel == Channel::Tls);
}

TEST_CASE("recorder: plain wire bytes wait for the session to frame them, then are masked") {
  MemorySink sink;
  Recorder recorder(sink, "s1", Role::Server, options());
  // The socket delivers bytes before the session has seen them, so before the secret
  // is known: the wire record must not be written yet.
  recorder.wire(c2s, Channel::Plain, "USER alice\r\nPASS s3", at(1));
  CHECK(all_of<WireBytesRecord>(sink).empty());
  recorder.step(Received{"USER alice\r\n", 0, false}, at(1));
  CHECK(all_of<WireBytesRecord>(sink).empty());  // 19 wire bytes, only 12 framed
  recorder.wire(c2s, Channel::Plain, "cr3t\r\n", at(2));
  recorder.step(pass_secret(c2s), at(3));
  recorder.step(Received{"PASS s3cr3t\r\n", 12, false}, at(3));
  const auto wires = all_of<WireBytesRecord>(sink);
  REQUIRE(wires.size() == 2);
  CHECK(wires[0].bytes == "USER alice\r\nPASS **");
  CHECK(wires[0].redacted);
  CHECK(wires[0].offset == 0);
  CHECK(wires[1].bytes == "****\r\n");
  CHECK(wires[1].offset == 19);
  // Held records keep the time they arrived and are written after the app record.
  const auto& last = sink.records.back();
  CHECK(last.t == Micros{2000});
  CHECK(std::holds_alternative<WireBytesRecord>(last.body));
}

TEST_CASE("recorder: outgoing wire bytes are masked at once; TLS wire bytes are never held") {
  MemorySink sink;
  Recorder recorder(sink, "c1", Role::Client, options());
  recorder.step(Send{"USER alice\r\n"}, at(1));
  recorder.step(pass_secret(c2s), at(2));
  recorder.step(Send{"PASS s3cr3t\r\n"}, at(2));
  recorder.wire(c2s, Channel::Plain, "USER alice\r\nPASS s3cr3t\r\n", at(3));
  REQUIRE(all_of<WireBytesRecord>(sink).size() == 1);
  CHECK(joined_wire(sink, c2s) == "USER alice\r\nPASS ******\r\n");
  recorder.wire(s2c, Channel::Plain, "+OK hi\r\n", at(4));  // not framed yet: held
  CHECK(all_of<WireBytesRecord>(sink).size() == 1);
  recorder.wire(s2c, Channel::Tls, "\x17\x03\x03", at(5));  // plaintext phase over: flush
  const auto wires = all_of<WireBytesRecord>(sink);
  REQUIRE(wires.size() == 3);
  CHECK(wires[1].bytes == "+OK hi\r\n");
  CHECK(wires[2].channel == Channel::Tls);
  CHECK(wires[2].offset == 8);  // the TCP stream position counts plain and TLS bytes
}

TEST_CASE("recorder: session_end writes held wire records, then the end record, once") {
  MemorySink sink;
  Recorder recorder(sink, "s1", Role::Server, options());
  recorder.wire(c2s, Channel::Plain, "PASS half", at(1));
  recorder.step(StateChange{State::Transaction, State::Update, "QUIT in TRANSACTION"}, at(2));
  recorder.step(StateChange{State::Update, State::Closed, "deletions applied"}, at(2));
  recorder.step(Closed{true}, at(2));
  CHECK(all_of<SessionEndRecord>(sink).empty());
  recorder.session_end(at(3));
  recorder.session_end(at(4));
  REQUIRE(sink.records.size() == 4);
  CHECK(std::holds_alternative<WireBytesRecord>(sink.records[2].body));
  const auto ends = all_of<SessionEndRecord>(sink);
  REQUIRE(ends.size() == 1);
  CHECK(ends[0] == SessionEndRecord{true, "deletions applied"});
  CHECK(recorder.ended());
  CHECK_THROWS_AS(recorder.note("late", at(5)), std::logic_error);
}

TEST_CASE("recorder: a session that ends without Closed says so; a reason overrides") {
  MemorySink sink;
  Recorder a(sink, "a", Role::Server, options());
  a.session_end(at(1));
  Recorder b(sink, "b", Role::Server, options());
  b.session_end(at(1), "server shutting down");
  const auto ends = all_of<SessionEndRecord>(sink);
  REQUIRE(ends.size() == 2);
  CHECK(ends[0] == SessionEndRecord{false, "connection ended before the session closed"});
  CHECK(ends[1] == SessionEndRecord{false, "server shutting down"});
}

TEST_CASE("recorder: the command record redacts the table's secret argument") {
  MemorySink sink;
  Recorder recorder(sink, "s1", Role::Server, options());
  recorder.step(CommandEvent{Command{Verb::User, {"alice"}}}, at(1));
  recorder.step(CommandEvent{Command{Verb::Pass, {"correct horse battery"}}}, at(2));
  recorder.step(CommandEvent{Command{Verb::Apop, {"alice", "c4c9334bac560ecc979e58001b3e22fb"}}},
                at(3));
  const auto commands = all_of<CommandRecord>(sink);
  REQUIRE(commands.size() == 3);
  CHECK(commands[0] == CommandRecord{"USER", {"alice"}, false});
  CHECK(commands[1] == CommandRecord{"PASS", {"<redacted>"}, true});
  CHECK(commands[2] == CommandRecord{"APOP", {"alice", "<redacted>"}, true});
}

TEST_CASE("recorder: a command argument inside an announced secret range is redacted too") {
  // AUTH's initial response is secret or not depending on the mechanism, so the table
  // cannot say; the SecretSeen the session announces for it does.
  const std::string line = "AUTH PLAIN AGFsaWNlAHMzY3IzdA==\r\n";
  SUBCASE("server: the line was just received") {
    MemorySink sink;
    Recorder recorder(sink, "s1", Role::Server, options());
    recorder.step(Received{"CAPA\r\n", 0, false}, at(1));
    recorder.step(SecretSeen{c2s, 6 + 11, 20, Exposure::Base64, "AUTH PLAIN initial response"},
                  at(2));
    recorder.step(Received{line, 6, false}, at(2));
    recorder.step(CommandEvent{Command{Verb::Auth, {"PLAIN", "AGFsaWNlAHMzY3IzdA=="}}}, at(2));
    CHECK(all_of<CommandRecord>(sink).at(0) ==
          CommandRecord{"AUTH", {"PLAIN", "<redacted>"}, true});
    CHECK(joined_app(sink, c2s) == "CAPA\r\nAUTH PLAIN ********************\r\n");
  }
  SUBCASE("client: the line is sent after the command event") {
    MemorySink sink;
    Recorder recorder(sink, "c1", Role::Client, options());
    recorder.step(Send{"CAPA\r\n"}, at(1));
    recorder.step(SecretSeen{c2s, 6 + 11, 20, Exposure::Base64, "AUTH PLAIN initial response"},
                  at(2));
    recorder.step(CommandEvent{Command{Verb::Auth, {"PLAIN", "AGFsaWNlAHMzY3IzdA=="}}}, at(2));
    recorder.step(Send{line}, at(2));
    CHECK(all_of<CommandRecord>(sink).at(0) ==
          CommandRecord{"AUTH", {"PLAIN", "<redacted>"}, true});
    CHECK(joined_app(sink, c2s) == "CAPA\r\nAUTH PLAIN ********************\r\n");
  }
  SUBCASE("a mechanism whose initial response is not secret is kept") {
    MemorySink sink;
    Recorder recorder(sink, "s1", Role::Server, options());
    recorder.step(Received{"AUTH EXTERNAL =\r\n", 0, false}, at(1));
    recorder.step(CommandEvent{Command{Verb::Auth, {"EXTERNAL", "="}}}, at(1));
    CHECK(all_of<CommandRecord>(sink).at(0) == CommandRecord{"AUTH", {"EXTERNAL", "="}, false});
  }
}

TEST_CASE("recorder: expose_secrets keeps the secret argument in the command record") {
  MemorySink sink;
  Recorder recorder(sink, "s1", Role::Server, options(true));
  recorder.step(CommandEvent{Command{Verb::Pass, {"correct horse battery"}}}, at(2));
  CHECK(all_of<CommandRecord>(sink).at(0) ==
        CommandRecord{"PASS", {"correct horse battery"}, false});
}

TEST_CASE("recorder: sequence numbers count from 0 and times are microseconds since start") {
  MemorySink sink;
  Recorder recorder(sink, "s7", Role::Server, options());
  recorder.session_start(at(0), "peer");
  recorder.step(NeedInput{}, at(1));
  recorder.step(BodyChunk{"data"}, at(1));
  recorder.step(Send{"+OK\r\n"}, at(2));
  recorder.note("hello", TimePoint{} + std::chrono::microseconds{2500});
  REQUIRE(sink.records.size() == 3);
  for (std::size_t i = 0; i < sink.records.size(); ++i) {
    CHECK(sink.records[i].seq == i);
    CHECK(sink.records[i].session == "s7");
  }
  CHECK(sink.records[1].t == Micros{2000});
  CHECK(sink.records[2].t == Micros{2500});
}

TEST_CASE("recorder: replies record status, code, body size and listing lines") {
  MemorySink sink;
  Recorder recorder(sink, "c1", Role::Client, options());
  Reply greeting = Reply::positive("POP3 ready");
  recorder.step(ReplyEvent{std::nullopt, greeting, true}, at(1));
  Reply capa = Reply::positive("Capability list follows");
  capa.multiline = true;
  capa.lines = {"TOP", "UIDL"};
  recorder.step(ReplyEvent{Verb::Capa, capa, false}, at(2));
  Reply retr = Reply::positive("2 lines");
  retr.multiline = true;
  retr.body = "Subject: x\r\n\r\nbody\r\n";
  recorder.step(ReplyEvent{Verb::Retr, retr, false}, at(3));
  recorder.step(ReplyEvent{Verb::Pass, Reply::negative("busy", ResponseCode::in_use()), false},
                at(4));
  const auto replies = all_of<ReplyRecord>(sink);
  REQUIRE(replies.size() == 4);
  CHECK(replies[0] == ReplyRecord{std::nullopt, true, Status::Ok, std::nullopt, "POP3 ready", false,
                                  0, 0, std::nullopt});
  CHECK(replies[1] == ReplyRecord{"CAPA", false, Status::Ok, std::nullopt,
                                  "Capability list follows", true, 2, 11,
                                  std::vector<std::string>{"TOP", "UIDL"}});
  CHECK(replies[2].body_lines == 3);
  CHECK(replies[2].body_octets == 20);
  CHECK_FALSE(replies[2].lines);  // message data is not copied unless asked
  CHECK(replies[3].code == "IN-USE");
  CHECK(replies[3].status == Status::Err);
}

TEST_CASE("recorder: message_lines records RETR bodies as lines") {
  MemorySink sink;
  RecorderOptions o = options();
  o.message_lines = true;
  Recorder recorder(sink, "c1", Role::Client, o);
  Reply retr = Reply::positive("");
  retr.multiline = true;
  retr.body = "Subject: x\r\n\r\nbody\r\n";
  recorder.step(ReplyEvent{Verb::Retr, retr, false}, at(3));
  CHECK(all_of<ReplyRecord>(sink).at(0).lines ==
        std::vector<std::string>{"Subject: x", "", "body"});
}

TEST_CASE("recorder: state changes, auth steps, injections and violations become records") {
  MemorySink sink;
  Recorder recorder(sink, "s1", Role::Server, options());
  recorder.step(StateChange{State::Authorization, State::AwaitingPass, "USER accepted"}, at(1));
  recorder.step(AuthStep{"USER/PASS", c2s, "password sent in cleartext"}, at(1));
  recorder.step(InjectionDiscarded{c2s, 14}, at(2));
  recorder.step(Violation{make_error_code(Errc::tls_injection), "14 octets", false}, at(2));
  recorder.step(Violation{std::make_error_code(std::errc::connection_reset), "", true}, at(3));
  CHECK(all_of<StateChangeRecord>(sink).at(0) ==
        StateChangeRecord{std::string(state_name(State::Authorization)),
                          std::string(state_name(State::AwaitingPass)), "USER accepted"});
  CHECK(all_of<AuthStepRecord>(sink).at(0) ==
        AuthStepRecord{"USER/PASS", c2s, "password sent in cleartext"});
  CHECK(all_of<InjectionDiscardedRecord>(sink).at(0) == InjectionDiscardedRecord{c2s, 14});
  const auto violations = all_of<ViolationRecord>(sink);
  REQUIRE(violations.size() == 2);
  CHECK(violations[0].error == "tls_injection");
  CHECK(violations[0].kind == "peer_violation");
  CHECK(violations[0].message == make_error_code(Errc::tls_injection).message());
  CHECK(violations[0].detail == "14 octets");
  CHECK(violations[1].error ==
        "generic:" + std::to_string(static_cast<int>(std::errc::connection_reset)));
  CHECK(violations[1].kind.empty());
  CHECK(violations[1].fatal);
}

TEST_CASE("recorder: a simulator session has no side for Send and Received") {
  MemorySink sink;
  Recorder recorder(sink, "sim", Role::Simulator, options());
  CHECK_THROWS_AS(recorder.step(Send{"x"}, at(1)), std::logic_error);
  CHECK_THROWS_AS(recorder.step(Received{"x", 0, false}, at(1)), std::logic_error);
  recorder.step(pass_secret(c2s), at(1));
  recorder.wire(c2s, Channel::Plain, "USER alice\r\nPASS s3cr3t\r\n", at(2));
  CHECK(joined_wire(sink, c2s) == "USER alice\r\nPASS ******\r\n");
}

}  // namespace pop3::trace
