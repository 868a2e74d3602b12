// Views as of the cursor: states, TLS, exposures, the maildrop; the state graph; filters.
#include <doctest/doctest.h>

#include "model/exposure_view.hpp"
#include "model/filter.hpp"
#include "model/lab_variant.hpp"
#include "model/maildrop_view.hpp"
#include "model/state_graph.hpp"
#include "model/text.hpp"
#include "viz_support.hpp"

using namespace pop3;
using namespace pop3::viz;

TEST_CASE("the state of each session as of the cursor, step by step through lab 1") {
  labs::LabRun run(viztest::lab_number(1));
  TraceModel model;
  const std::vector<std::string> client_after{
      "AUTHORIZATION", "AUTHORIZATION", "AUTHORIZATION/USER", "TRANSACTION",
      "TRANSACTION",   "TRANSACTION",   "TRANSACTION",        "CLOSED"};
  std::vector<std::size_t> ends;
  while (!run.done()) {
    const auto out = run.run_next();
    viztest::feed(model, run);
    ends.push_back(out.end_record);
  }
  REQUIRE(ends.size() == client_after.size());
  const auto client = *model.find_session("client");
  const auto server = *model.find_session("server");
  CHECK(model.state_at(client, 0).empty());  // nothing yet
  for (std::size_t i = 0; i < ends.size(); ++i) {
    CAPTURE(i);
    CHECK(model.state_at(client, ends[i]) == client_after[i]);
  }
  // Scrubbing back to just after PASS: the server is in TRANSACTION, its last change
  // came from AUTHORIZATION/USER.
  CHECK(model.state_at(server, ends[3]) == "TRANSACTION");
  const StateEntry* last = model.last_change_at(server, ends[3]);
  REQUIRE(last);
  CHECK(last->from == "AUTHORIZATION/USER");
  CHECK(last->why.find("Password accepted") != std::string::npos);
  // The cursor pins and follows.
  CHECK(model.live());
  model.set_cursor(ends[2]);
  CHECK_FALSE(model.live());
  CHECK(model.cursor() == ends[2]);
  model.set_live(true);
  CHECK(model.cursor() == model.size());
  // Transcript rows as of the cursor: after step 2 (STAT refused), greeting, STAT, -ERR.
  std::size_t said = 0;
  const auto& rows = model.session(client).transcript.rows();
  for (std::size_t i = 0; i < model.transcript_rows_at(client, ends[1]); ++i)
    if (rows[i].kind != RowKind::Event) ++said;
  CHECK(said == 3);
}

TEST_CASE("lab 1: the eavesdropper read the password on the wire") {
  labs::LabRun run(viztest::lab_number(1));
  run.run_all();
  TraceModel model;
  viztest::feed(model, run);
  const auto seen = observer_exposures(model, model.size());
  REQUIRE(seen.size() == 1);
  const ExposureEntry& x = *seen[0];
  CHECK(model.session(x.session).id == "link");
  CHECK(x.kind == "cleartext");
  CHECK(x.label == "PASS argument");
  const ExposureView v = describe(model, x, model.size());
  CHECK(v.observed == "cleartext");
  CHECK(v.readable);
  CHECK(v.crossed);
  CHECK(v.seen == "wonderland");
  CHECK_FALSE(v.decoded);
  CHECK_FALSE(v.learned.empty());
  // Before the PASS step nothing had crossed.
  CHECK(observer_exposures(model, x.record).empty());
}

TEST_CASE("the TLS comparison: the same secret crosses as ciphertext") {
  const auto lab = viztest::lab_number(1);
  const LabVariant variant = comparison_lab(lab);
  CHECK(variant.with_tls);
  CHECK(variant.lab.scenario.tls == "stls");
  REQUIRE(variant.inserted);
  CHECK(variant.lab.steps[*variant.inserted].action == "starttls");
  CHECK(variant.lab.steps[*variant.inserted - 1].action == "connect");
  CHECK(variant.steps_for(0) == 0);
  CHECK(variant.steps_for(1) == 2);  // connect, then the added STLS
  CHECK(variant.steps_for(lab.steps.size()) == variant.lab.steps.size());

  labs::LabRun run(variant.lab);
  run.run_all();
  TraceModel model;
  viztest::feed(model, run);
  const auto seen = observer_exposures(model, model.size());
  REQUIRE(seen.size() == 1);
  const ExposureView v = describe(model, *seen[0], model.size());
  CHECK(v.observed == "encrypted");
  CHECK_FALSE(v.readable);
  CHECK(v.crossed);
  CHECK(v.seen.empty());
  REQUIRE(v.ciphertext.size() > 5);
  CHECK(v.tls_type == 23);
  CHECK(static_cast<unsigned char>(v.ciphertext[0]) == 0x17);
  // The eavesdropper of the simulator agrees: the record it says carried the password is
  // the one the model found from the trace alone.
  const auto observations = run.simulation().eavesdropper().observations();
  REQUIRE(observations.size() == 1);
  CHECK(observations[0].observed() == "encrypted");
  CHECK(observations[0].wire == v.ciphertext);
  // And the password is nowhere on the wire.
  const Session& link = model.session(*model.wire_session());
  CHECK(link.wire.stream(Direction::ClientToServer).find("wonderland") == std::string::npos);
  CHECK(model.tls_at(*model.find_session("client"), model.size()).status == TlsStatus::Established);
}

TEST_CASE("a lab that uses TLS is compared with itself without it") {
  viztest::TempDir dir;
  const auto lab =
      viztest::make_lab(dir, "seed = 4\ntls = \"stls\"",
                        "[[steps]]\naction = \"connect\"\n[[steps]]\naction = \"starttls\"\n"
                        "[[steps]]\naction = \"login\"\nmechanism = \"PLAIN\"\nuser = \"alice\"\n");
  CHECK(labs::lab_uses_tls(lab));
  const LabVariant variant = comparison_lab(lab);
  CHECK_FALSE(variant.with_tls);
  CHECK(variant.lab.steps.size() == 2);
  CHECK(variant.steps_for(2) == 1);
  CHECK(variant.steps_for(3) == 2);
  labs::LabRun run(variant.lab);
  run.run_all();
  TraceModel model;
  viztest::feed(model, run);
  const auto seen = observer_exposures(model, model.size());
  REQUIRE(seen.size() == 1);
  const ExposureView v = describe(model, *seen[0], model.size());
  CHECK(v.observed == "base64");
  REQUIRE(v.decoded);
  CHECK(*v.decoded == std::string("\0alice\0wonderland", 17));
}

TEST_CASE("the maildrop as the trace shows it: sizes, UIDLs, marks, and what UPDATE does") {
  viztest::TempDir dir;
  auto lab = viztest::make_lab(dir, "seed = 6\ntls = \"none\"",
                               viztest::send_steps({"USER alice", "PASS wonderland", "STAT", "LIST",
                                                    "UIDL", "DELE 1", "RSET", "DELE 2", "RETR 1"}) +
                                   "[[steps]]\naction = \"quit\"\n");
  labs::LabRun run(lab);
  TraceModel model;
  std::vector<std::size_t> ends;
  while (!run.done()) {
    ends.push_back(run.run_next().end_record);
    viztest::feed(model, run);
  }
  const auto client = *model.find_session("client");
  const auto server = *model.find_session("server");

  MaildropView before = maildrop_at(model, client, ends[1]);  // after USER
  CHECK_FALSE(before.known());
  CHECK(before.phase == UpdatePhase::NotLoggedIn);

  MaildropView listed = maildrop_at(model, client, ends[5]);  // after UIDL
  REQUIRE(listed.count);
  CHECK(*listed.count == 2);
  REQUIRE(listed.messages.size() == 2);
  CHECK(listed.messages[0].number == 1);
  REQUIRE(listed.messages[0].size);
  CHECK(listed.messages[0].uidl.size() > 0);
  CHECK(listed.messages[1].uidl != listed.messages[0].uidl);
  CHECK(listed.phase == UpdatePhase::Transaction);
  CHECK(listed.update.find("nothing would be removed") != std::string::npos);

  MaildropView marked = maildrop_at(model, client, ends[6]);  // DELE 1
  CHECK(marked.marked == std::vector<std::uint64_t>{1});
  CHECK(marked.update.find("remove message(s) 1") != std::string::npos);
  CHECK(maildrop_at(model, client, ends[7]).marked.empty());  // RSET
  MaildropView again = maildrop_at(model, client, ends[9]);   // DELE 2, RETR 1
  CHECK(again.marked == std::vector<std::uint64_t>{2});
  CHECK(again.messages[0].retrieved);
  CHECK(again.marked_octets == *again.messages[1].size);

  MaildropView after = maildrop_at(model, server, model.size());
  CHECK(after.phase == UpdatePhase::Updated);
  CHECK(after.update ==
        "UPDATE removed message(s) 2 (" + std::to_string(*again.messages[1].size) + " octets).");
}

TEST_CASE("the state graph is the core's tables") {
  const StateGraph& g = state_graph();
  CHECK(g.nodes.size() == kStateCount);
  std::size_t rows = g.from_any.size();
  for (const auto& e : g.edges)
    rows += e.rows.size();
  CHECK(rows == transition_table().size());
  for (const auto& n : g.nodes) {
    CAPTURE(n.name);
    CHECK(n.x > 0);
    CHECK(n.x < 1);
    CHECK(n.y > 0);
    CHECK(n.y < 1);
    CHECK_FALSE(n.short_name.empty());
  }
  const GraphEdge* user = find_edge(g, "AUTHORIZATION", "AUTHORIZATION/USER");
  REQUIRE(user);
  CHECK(user->label == "USER +OK");
  const GraphEdge* back = find_edge(g, "AUTHORIZATION/USER", "AUTHORIZATION");
  REQUIRE(back);
  CHECK(back->label == "USER/PASS -ERR");
  CHECK(find_edge(g, "AUTHORIZATION", "TRANSACTION")->label == "APOP/AUTH +OK");
  CHECK(find_edge(g, "UPDATE", "CLOSED")->label == "UPDATE done");
  CHECK(back->bend != 0);
  CHECK(find_edge(g, "TRANSACTION", "UPDATE"));
  CHECK(find_edge(g, "TRANSACTION", "AUTHORIZATION") == nullptr);
  CHECK(find_edge(g, "NO SUCH", "UPDATE") == nullptr);
  const auto legal = legal_commands("TRANSACTION");
  CHECK(std::find(legal.begin(), legal.end(), "STAT") != legal.end());
  CHECK(std::find(legal.begin(), legal.end(), "PASS") == legal.end());
  const auto auth = legal_commands("AUTHORIZATION");
  CHECK(std::find(auth.begin(), auth.end(), "USER") != auth.end());
}

TEST_CASE("filtered indexes grow with the list and clip to the cursor") {
  // A long trace: 50 000 exchanges in one server session.
  TraceModel model;
  std::uint64_t seq = 0;
  auto add = [&](trace::Body body) {
    model.append(trace::Record{"s", seq++, trace::Micros{0}, std::move(body)});
  };
  add(trace::SessionStartRecord{trace::Role::Server, "peer", "", trace::Channel::Plain});
  for (int i = 0; i < 50'000; ++i) {
    const bool dele = i % 10 == 0;
    add(trace::CommandRecord{dele ? "DELE" : "NOOP",
                             dele ? std::vector<std::string>{"1"} : std::vector<std::string>{},
                             false});
    trace::ReplyRecord r;
    r.verb = dele ? "DELE" : "NOOP";
    r.text = "done";
    add(r);
  }
  const Session& s = model.session(0);
  const auto& rows = s.transcript.rows();
  REQUIRE(rows.size() == 100'001);
  FilteredIndex index;
  auto text_of = [&](std::size_t i, std::string&) -> std::string_view { return rows[i].text; };
  index.update("dele", rows.size(), text_of);
  CHECK(index.size() == 5'000);
  // Only the new rows are looked at when the list grows.
  add(trace::CommandRecord{"DELE", {"2"}, false});
  index.update("dele", rows.size(), text_of);
  CHECK(index.size() == 5'001);
  // A new filter starts over.
  index.update("noop", rows.size(), text_of);
  CHECK(index.size() == 45'000);
  index.update("", rows.size(), text_of);
  CHECK(index.size() == rows.size());
  // Clip to a cursor half-way.
  const std::size_t cursor = model.size() / 2;
  const std::size_t n = TraceModel::visible_count(index.rows(), cursor,
                                                  [&](std::size_t i) { return rows[i].record; });
  CHECK(n > 0);
  CHECK(rows[index.rows()[n - 1]].record < cursor);
  CHECK(rows[index.rows()[n]].record >= cursor);
}

TEST_CASE("text helpers") {
  CHECK(printable("USER alice\r\n") == "USER alice");
  CHECK(printable(std::string("a\0b\x1b", 4)) == "a\\x00b\\x1b");
  CHECK(printable("Grüße") == "Grüße");
  CHECK(printable("\xff") == "\\xff");
  CHECK(hex_bytes("\x17\x03\x03", 2) == "17 03 ...");
  CHECK(icontains("+OK Hello", "hello"));
  CHECK(format_time(std::chrono::microseconds(1500)) == "1.500 ms");
}
