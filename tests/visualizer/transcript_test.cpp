// The transcript view: rows per session from a real lab run, byte ranges that line up
// between client, server and wire, multi-line bodies, SASL lines.
#include <doctest/doctest.h>

#include "model/text.hpp"
#include "model/trace_model.hpp"
#include "viz_support.hpp"

using namespace pop3;
using namespace pop3::viz;

namespace {

// "C: STAT", "S: +OK 2 491": the command, SASL and reply rows of a session.
std::vector<std::string> said(const TraceModel& model, const std::string& session) {
  std::vector<std::string> out;
  const auto i = model.find_session(session);
  REQUIRE(i);
  for (const auto& r : model.session(*i).transcript.rows()) {
    if (r.kind == RowKind::Event) continue;
    out.push_back((r.dir == Direction::ClientToServer ? "C: " : "S: ") + r.text);
  }
  return out;
}

const TranscriptRow* row_with(const TraceModel& model, const std::string& session,
                              const std::string& text) {
  for (const auto& r : model.session(*model.find_session(session)).transcript.rows())
    if (r.text == text) return &r;
  return nullptr;
}

}  // namespace

TEST_CASE("lab 1: the client's transcript is the conversation, line by line") {
  labs::LabRun run(viztest::lab_number(1));
  run.run_all();
  TraceModel model;
  viztest::feed(model, run);

  const auto rows = said(model, "client");
  REQUIRE(rows.size() == 15);
  CHECK(rows[0].starts_with("S: +OK POP3 server ready <"));
  CHECK(rows[1] == "C: STAT");
  CHECK(rows[2] == "S: -ERR STAT is not valid in AUTHORIZATION: log in first");
  CHECK(rows[3] == "C: USER alice");
  CHECK(rows[4] == "S: +OK send PASS");
  CHECK(rows[5] == "C: PASS wonderland");  // lab 1 keeps secrets in its trace on purpose
  CHECK(rows[6] == "S: +OK alice's maildrop has 2 messages (491 octets)");
  CHECK(rows[7] == "C: STAT");
  CHECK(rows[8] == "S: +OK 2 491");
  CHECK(rows[9] == "C: LIST");
  CHECK(rows[10] == "S: +OK 2 messages (491 octets)");
  CHECK(rows[11] == "C: LIST 2");
  CHECK(rows[12] == "S: +OK 2 213");
  CHECK(rows[13] == "C: QUIT");
  CHECK(rows[14].starts_with("S: +OK pop3lab POP3 server signing off"));
  // The server saw the same conversation.
  CHECK(said(model, "server") == said(model, "client"));
}

TEST_CASE("replies know their command, their status and their body") {
  labs::LabRun run(viztest::lab_number(1));
  run.run_all();
  TraceModel model;
  viztest::feed(model, run);
  const Session& client = model.session(*model.find_session("client"));
  const auto& rows = client.transcript.rows();

  const TranscriptRow* err =
      row_with(model, "client", "-ERR STAT is not valid in AUTHORIZATION: log in first");
  REQUIRE(err);
  CHECK(err->error);
  CHECK(err->status == Status::Err);
  REQUIRE(err->partner >= 0);
  CHECK(rows[static_cast<std::size_t>(err->partner)].text == "STAT");

  const TranscriptRow* list = row_with(model, "client", "+OK 2 messages (491 octets)");
  REQUIRE(list);
  CHECK(list->multiline);
  CHECK(list->body_lines == 2);
  const auto body = client.transcript.body(*list, client.app);
  REQUIRE(body.size() == 2);
  CHECK(body[0].text == "1 278");
  CHECK(body[1].text == "2 213");
  // Its bytes: status line, two lines and the terminator.
  REQUIRE(list->has_range);
  CHECK(list->range_complete);
  CHECK(client.app.stream(Direction::ServerToClient).substr(list->begin, list->end - list->begin) ==
        "+OK 2 messages (491 octets)\r\n1 278\r\n2 213\r\n.\r\n");

  const TranscriptRow* single = row_with(model, "client", "+OK 2 213");
  REQUIRE(single);
  CHECK_FALSE(single->multiline);
  CHECK(client.transcript.body(*single, client.app).empty());
}

TEST_CASE("events: state changes and the end of the session") {
  labs::LabRun run(viztest::lab_number(1));
  run.run_all();
  TraceModel model;
  viztest::feed(model, run);
  std::vector<std::string> states;
  for (const auto& r : model.session(*model.find_session("client")).transcript.rows())
    if (r.event == EventKind::State) states.push_back(r.text);
  CHECK(states ==
        std::vector<std::string>{"AUTHORIZATION/USER", "TRANSACTION", "UPDATE", "CLOSED"});
  const auto& last = model.session(*model.find_session("server")).transcript.rows().back();
  CHECK(last.event == EventKind::SessionEnd);
  CHECK(last.text == "session ends after UPDATE");
}

TEST_CASE("one line is selected in the client, the server and on the wire") {
  labs::LabRun run(viztest::lab_number(1));
  run.run_all();
  TraceModel model;
  viztest::feed(model, run);
  const auto client = *model.find_session("client");
  const auto server = *model.find_session("server");
  const auto link = *model.wire_session();
  CHECK(model.session(link).id == "link");

  auto ref_of = [&](std::size_t s, const TranscriptRow& r) {
    return ByteRef{r.record, s, r.dir, r.has_range, r.begin, r.end, false, r.pre_tls};
  };
  const TranscriptRow* user_c = row_with(model, "client", "USER alice");
  const TranscriptRow* user_s = row_with(model, "server", "USER alice");
  const TranscriptRow* pass_s = row_with(model, "server", "PASS wonderland");
  REQUIRE((user_c && user_s && pass_s));
  CHECK(user_c->begin == user_s->begin);
  CHECK(user_c->end == user_s->end);
  model.select(ref_of(client, *user_c));
  CHECK(model.is_selected(ref_of(server, *user_s)));
  CHECK_FALSE(model.is_selected(ref_of(server, *pass_s)));

  // On the wire: the row holding the same bytes.
  const Session& l = model.session(link);
  int selected_wire_rows = 0;
  for (const auto& row : l.wire.rows()) {
    const ByteRef w{row.first_record, link,    row.dir, true,
                    row.begin,        row.end, true,    row.channel == trace::Channel::Plain};
    if (model.is_selected(w)) {
      ++selected_wire_rows;
      CHECK(l.wire.bytes(row) == "USER alice\r\n");
    }
  }
  CHECK(selected_wire_rows == 1);
}

TEST_CASE("byte by byte on the link, the rows are lines, not bytes") {
  viztest::TempDir dir;
  const auto steps = viztest::send_steps({"USER alice", "PASS wonderland", "LIST", "QUIT"});
  auto whole = viztest::make_lab(dir, "seed = 5\ntls = \"none\"", steps);
  viztest::TempDir dir2;
  auto bytewise = viztest::make_lab(dir2, "seed = 5\ntls = \"none\"\nchunk = 1", steps);

  labs::LabRun a(whole), b(bytewise);
  a.run_all();
  b.run_all();
  TraceModel ma, mb;
  viztest::feed(ma, a);
  viztest::feed(mb, b);
  CHECK(said(ma, "client") == said(mb, "client"));
  CHECK(said(ma, "server") == said(mb, "server"));
  const Session& la = ma.session(*ma.wire_session());
  const Session& lb = mb.session(*mb.wire_session());
  CHECK(lb.wire.rows().size() == la.wire.rows().size());
  CHECK(lb.records.size() > 3 * la.records.size());  // many more records, same rows
  for (std::size_t i = 0; i < la.wire.rows().size(); ++i)
    CHECK(la.wire.bytes(la.wire.rows()[i]) == lb.wire.bytes(lb.wire.rows()[i]));
}

TEST_CASE("a RETR body comes from the stream, stuffed dots marked") {
  viztest::TempDir dir;
  auto lab =
      viztest::make_lab(dir, "seed = 2\ntls = \"none\"",
                        viztest::send_steps({"USER alice", "PASS wonderland", "RETR 2", "QUIT"}));
  labs::LabRun run(lab);
  run.run_all();
  TraceModel model;
  viztest::feed(model, run);
  for (const char* who : {"client", "server"}) {
    CAPTURE(who);
    const Session& s = model.session(*model.find_session(who));
    const TranscriptRow* retr = nullptr;
    for (const auto& r : s.transcript.rows())
      if (r.kind == RowKind::Reply && r.verb == "RETR") retr = &r;
    REQUIRE(retr);
    CHECK(retr->multiline);
    CHECK(retr->range_complete);
    const auto body = s.transcript.body(*retr, s.app);
    REQUIRE(body.size() == 4);
    CHECK(body[0].text == "Subject: dots");
    CHECK(body[1].text.empty());
    CHECK(body[2].text == ".leading dot");
    CHECK(body[2].stuffed);
    CHECK_FALSE(body[3].stuffed);
  }
}

TEST_CASE("SASL LOGIN: the lines of the exchange are rows of their own") {
  viztest::TempDir dir;
  auto lab = viztest::make_lab(
      dir, "seed = 3\ntls = \"none\"",
      "[[steps]]\naction = \"connect\"\n[[steps]]\naction = \"login\"\nmechanism = \"LOGIN\"\n"
      "user = \"alice\"\n[[steps]]\naction = \"quit\"\n");
  labs::LabRun run(lab);
  run.run_all();
  TraceModel model;
  viztest::feed(model, run);
  const std::vector<std::string> expected{"C: AUTH LOGIN", "S: + VXNlcm5hbWU6",
                                          "C: YWxpY2U=", "S: + UGFzc3dvcmQ6",
                                          "C: d29uZGVybGFuZA=="};
  for (const char* who : {"client", "server"}) {
    CAPTURE(who);
    const auto rows = said(model, who);
    REQUIRE(rows.size() >= 7);
    CHECK(std::vector<std::string>(rows.begin() + 1, rows.begin() + 6) == expected);
    CHECK(rows[6].starts_with("S: +OK alice's maildrop"));
    CHECK(rows[7] == "C: QUIT");
    std::size_t sasl = 0;
    for (const auto& r : model.session(*model.find_session(who)).transcript.rows())
      if (r.kind == RowKind::SaslResponse) ++sasl;
    CHECK(sasl == 2);
  }
}
