// The panels and the app with headless ImGui frames: no window, no GPU. Clicks are aimed
// at the rectangles the panels noted for their controls.
#include <doctest/doctest.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <fstream>
#include <string>

#include "app/app.hpp"
#include "app/headless.hpp"
#include "model/exposure_view.hpp"
#include "panels/credentials_panel.hpp"
#include "panels/lab_panel.hpp"
#include "panels/sequence_panel.hpp"
#include "panels/state_panel.hpp"
#include "panels/wire_panel.hpp"
#include "viz_support.hpp"
#include "widgets/theme.hpp"

using namespace pop3;
using namespace pop3::viz;

namespace {

constexpr int kSpace = 32, kHome = 268, kLeft = 263, kRight = 262;

// The headless context, keys mapped as GLFW's backend maps them, and clicks and keys.
struct Headless : HeadlessContext {
  Headless() {
    ImGuiIO& io = ImGui::GetIO();
    io.KeyMap[ImGuiKey_Space] = kSpace;
    io.KeyMap[ImGuiKey_Home] = kHome;
    io.KeyMap[ImGuiKey_LeftArrow] = kLeft;
    io.KeyMap[ImGuiKey_RightArrow] = kRight;
  }
  void click(App& app, ImVec2 at) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = at;
    frame(app);  // hover
    io.MouseDown[0] = true;
    frame(app);
    io.MouseDown[0] = false;
    frame(app);  // released: the button returns true
    io.MousePos = ImVec2(-1, -1);
  }
  bool click(App& app, std::string_view item) {
    ImVec2 min, max;
    if (!ui::item_rect(item, min, max)) return false;
    click(app, ImVec2((min.x + max.x) * 0.5f, (min.y + max.y) * 0.5f));
    return true;
  }
  void key(App& app, int code, bool ctrl = false) {
    ImGuiIO& io = ImGui::GetIO();
    io.KeyCtrl = ctrl;
    io.KeysDown[code] = true;
    frame(app);
    io.KeysDown[code] = false;
    frame(app);
    io.KeyCtrl = false;
  }
};

AppOptions options(int lab = 1) {
  AppOptions o;
  o.lab = lab;
  o.interval = 0;  // Run performs every step at once
  return o;
}

SimSource& sim_of(App& app) {
  auto* sim = dynamic_cast<SimSource*>(app.source());
  REQUIRE(sim);
  return *sim;
}

}  // namespace

TEST_CASE("the app opens lab 1 with every panel in its place, inside 1280x800") {
  Headless h;
  App app(options());
  app.build_fonts();
  h.frames(app, 3);
  CHECK(app.lab());
  CHECK(app.lab()->number == 1);
  for (const char* name : {"Lab", "Sequence", "Wire", "State machine", "Credentials",
                           "Sessions & maildrop", "Timeline"}) {
    CAPTURE(name);
    ImGuiWindow* w = ImGui::FindWindowByName(name);
    REQUIRE(w);
    CHECK(w->Active);
    CHECK(w->Pos.x >= 0);
    CHECK(w->Pos.y >= 0);
    CHECK(w->Pos.x + w->Size.x <= 1280.5f);
    CHECK(w->Pos.y + w->Size.y <= 800.5f);
    CHECK(w->Size.x > 200);
    CHECK(w->Size.y > 60);
  }
  // The panels do not overlap (a few pixels of rounding aside).
  std::vector<ImGuiWindow*> ws;
  for (const char* name : {"Lab", "Sequence", "Wire", "State machine", "Credentials",
                           "Sessions & maildrop", "Timeline"})
    ws.push_back(ImGui::FindWindowByName(name));
  for (std::size_t i = 0; i < ws.size(); ++i)
    for (std::size_t j = i + 1; j < ws.size(); ++j) {
      const ImRect a = ws[i]->Rect(), b = ws[j]->Rect();
      const float ox = std::min(a.Max.x, b.Max.x) - std::max(a.Min.x, b.Min.x);
      const float oy = std::min(a.Max.y, b.Max.y) - std::max(a.Min.y, b.Min.y);
      CHECK_MESSAGE(!(ox > 2 && oy > 2), ws[i]->Name << " overlaps " << ws[j]->Name);
    }
}

TEST_CASE("a click on Step performs the next step of the lab") {
  Headless h;
  App app(options());
  app.build_fonts();
  h.frames(app, 2);
  SimSource& sim = sim_of(app);
  CHECK(sim.next_step() == 0);
  const std::size_t before = app.model().size();
  REQUIRE(h.click(app, "Lab/Step"));
  CHECK(sim.next_step() == 1);
  h.frame(app);  // the step's records reach the model at the next frame's poll
  CHECK(app.model().size() > before);
  REQUIRE(h.click(app, "Lab/Step"));
  CHECK(sim.next_step() == 2);
  h.frame(app);
  // The state panel started its animation for the new transition... (STAT -ERR: none)
  // and the sequence shows the greeting, STAT and its -ERR.
  auto* seq = dynamic_cast<SequencePanel*>(app.panel("Sequence"));
  REQUIRE(seq);
  std::size_t arrows = 0;
  const Session& client = app.model().session(*app.model().find_session("client"));
  for (const auto& f : seq->flat())
    if (client.transcript.rows()[f.row].kind != RowKind::Event) ++arrows;
  CHECK(arrows == 3);
}

TEST_CASE("Run performs the rest and the checks turn green") {
  Headless h;
  App app(options());
  app.build_fonts();
  h.frames(app, 2);
  auto* lab = dynamic_cast<LabPanel*>(app.panel("Lab"));
  REQUIRE(lab);
  std::size_t holding = 0;
  for (const auto& r : lab->last_checks())
    holding += r.holds ? 1 : 0;
  CHECK(holding < lab->last_checks().size());
  REQUIRE(h.click(app, "Lab/Run"));
  h.frames(app, 2);
  CHECK(sim_of(app).finished());
  REQUIRE(lab->last_checks().size() == app.lab()->checks.size());
  for (const auto& r : lab->last_checks())
    CHECK_MESSAGE(r.holds, r.check->id);
  // The question of the last step has its answer behind a button.
  CHECK_FALSE(lab->answer_shown(7));
  REQUIRE(h.click(app, "Lab/Show the answer"));
  CHECK(lab->answer_shown(7));
}

TEST_CASE("keyboard: Space and N step, Home restarts, Left and Right move the cursor") {
  Headless h;
  App app(options());
  app.build_fonts();
  h.frames(app, 2);
  SimSource& sim = sim_of(app);
  h.key(app, kSpace);
  CHECK(sim.next_step() == 1);
  h.key(app, 'N');
  CHECK(sim.next_step() == 2);
  h.key(app, 'N');
  h.key(app, 'N');
  CHECK(sim.next_step() == 4);
  TraceModel& model = app.model();
  CHECK(model.live());
  h.key(app, kLeft);
  CHECK_FALSE(model.live());
  const std::size_t back = model.cursor();
  CHECK(back < model.size());
  h.key(app, kRight);
  CHECK(model.cursor() > back);
  h.key(app, kHome);
  h.frame(app);
  CHECK(sim.next_step() == 0);
  CHECK(model.live());
  // Ctrl+= zooms, and the fonts are rebuilt at the new size.
  const float size = app.fonts().ui->FontSize;
  h.key(app, '=', true);
  CHECK(app.zoom() == doctest::Approx(1.1f));
  CHECK(app.fonts().ui->FontSize > size);
}

TEST_CASE("a row selected in the sequence is selected on the wire") {
  Headless h;
  App app(options());
  app.build_fonts();
  h.frames(app, 2);
  for (int i = 0; i < 4; ++i)
    REQUIRE(h.click(app, "Lab/Step"));
  h.frames(app, 3);
  auto* seq = dynamic_cast<SequencePanel*>(app.panel("Sequence"));
  auto* wire = dynamic_cast<WirePanel*>(app.panel("Wire"));
  REQUIRE((seq && wire));
  TraceModel& model = app.model();
  const std::size_t client = *model.find_session("client");
  const auto& rows = model.session(client).transcript.rows();
  const SequencePanel::Drawn* user = nullptr;
  for (const auto& d : seq->drawn())
    if (d.body_line < 0 && rows[d.row].text == "USER alice") user = &d;
  REQUIRE(user);
  h.click(app, ImVec2((user->min.x + user->max.x) * 0.5f, (user->min.y + user->max.y) * 0.5f));
  REQUIRE(model.selection());
  CHECK(model.selection()->record == rows[user->row].record);
  // The wire row with the same bytes is selected too.
  const Session& link = model.session(*model.wire_session());
  int lit = 0;
  for (std::size_t i : wire->shown()) {
    const ByteRow& r = link.wire.rows()[i];
    if (model.is_selected(ByteRef{r.first_record, *model.wire_session(), r.dir, true, r.begin,
                                  r.end, true, true})) {
      ++lit;
      CHECK(link.wire.bytes(r) == "USER alice\r\n");
    }
  }
  CHECK(lit == 1);
}

TEST_CASE("scrubbing the timeline shows every panel as of the cursor") {
  Headless h;
  App app(options());
  app.build_fonts();
  h.frames(app, 2);
  REQUIRE(h.click(app, "Lab/Run"));
  h.frames(app, 2);
  TraceModel& model = app.model();
  auto* seq = dynamic_cast<SequencePanel*>(app.panel("Sequence"));
  auto* lab = dynamic_cast<LabPanel*>(app.panel("Lab"));
  const std::size_t all_rows = seq->flat().size();
  // Back to the end of step 3 (USER): fewer rows, and fewer checks hold.
  model.set_cursor(sim_of(app).marks()[2].end_record);
  h.frames(app, 2);
  CHECK(seq->flat().size() < all_rows);
  std::size_t holding = 0;
  for (const auto& r : lab->last_checks())
    holding += r.holds ? 1 : 0;
  CHECK(holding < lab->last_checks().size());
  CHECK(model.state_at(*model.find_session("client"), model.cursor()) == "AUTHORIZATION/USER");
  model.set_live(true);
  h.frames(app, 2);
  CHECK(seq->flat().size() == all_rows);
}

TEST_CASE("the sequence keeps the newest row in view while live") {
  Headless h;
  App app(options());
  app.build_fonts();
  h.frames(app, 2);
  REQUIRE(h.click(app, "Lab/Run"));
  h.frames(app, 6);
  ImGuiWindow* seq = ImGui::FindWindowByName("Sequence");
  REQUIRE(seq);
  ImGuiWindow* rows = nullptr;
  for (ImGuiWindow* w : ImGui::GetCurrentContext()->Windows)
    if (w->ParentWindow == seq) rows = w;
  REQUIRE(rows);
  CHECK(rows->ScrollMax.y > 0);
  CHECK(rows->Scroll.y == doctest::Approx(rows->ScrollMax.y));
}

TEST_CASE("a trace file, judged by a lab's checks") {
  labs::LabRun run(viztest::lab_number(1));
  run.run_all();
  viztest::TempDir dir;
  const auto path = dir.path / "lab1.jsonl";
  {
    std::ofstream out(path);
    run.write_trace(out);
  }
  Headless h;
  AppOptions o;
  o.trace = path;
  o.lab = 1;
  App app(o);
  app.build_fonts();
  h.frames(app, 3);
  REQUIRE(app.source());
  CHECK(app.source()->kind() == SourceKind::File);
  CHECK(app.source()->finished());
  CHECK(app.model().size() == run.records().size());
  auto* lab = dynamic_cast<LabPanel*>(app.panel("Lab"));
  REQUIRE(lab->last_checks().size() == run.lab().checks.size());
  for (const auto& r : lab->last_checks())
    CHECK(r.holds);
}

TEST_CASE(
    "a trace of many connections: the credentials panel draws the newest exposures, "
    "not all") {
  // Found by bench_viz with a million records: the panel listed every exposure of every
  // connection each frame, past the 65,536 vertices of a 16-bit draw list (an assertion in
  // Dear ImGui), and its cost grew with the trace.
  labs::LabRun run(viztest::lab_number(6));
  run.run_all();
  const auto& one = run.records();
  viztest::TempDir dir;
  // The Credentials window's vertices, and how many exposures there are to list.
  auto credentials_vertices = [&](int copies) {
    const auto path = dir.path / ("copies-" + std::to_string(copies) + ".jsonl");
    const std::size_t written = viztest::write_repeated_trace(path, one, copies);
    Headless h;
    AppOptions o;
    o.trace = path;
    App app(o);
    app.build_fonts();
    // The file is read 10 ms a frame: frames until it is in, then one to draw it all.
    for (int frame = 0; frame < 100'000 && !(app.source() && app.source()->finished()); ++frame)
      h.frame(app);
    h.frame(app);
    CHECK(app.model().size() == written);
    ImGuiWindow* w = ImGui::FindWindowByName("Credentials");
    REQUIRE(w);
    return std::pair{w->DrawList->VtxBuffer.Size,
                     observer_exposures(app.model(), app.model().cursor()).size()};
  };
  const auto [few, few_exposures] = credentials_vertices(30);
  const auto [many, many_exposures] = credentials_vertices(300);
  CAPTURE(few_exposures);
  CAPTURE(many_exposures);
  CHECK(few_exposures > CredentialsPanel::kMaxShown);
  CHECK(many_exposures > CredentialsPanel::kMaxShown * 5);  // far more than are listed
  CHECK(many < 65536);
  CHECK(many < few + few / 4);  // the same panel, whatever the length of the trace
}

TEST_CASE("settings are remembered between runs") {
  viztest::TempDir dir;
  {
    Headless h;
    AppOptions o = options();
    o.config_dir = dir.path;
    App app(o);
    app.build_fonts();
    h.frame(app);
    app.set_zoom(1.4f);
    app.panel("Wire")->visible = false;
    app.save();
  }
  CHECK(std::filesystem::exists(dir.path / "viz.ini"));
  Headless h;
  AppOptions o = options();
  o.config_dir = dir.path;
  App app(o);
  CHECK(app.zoom() == doctest::Approx(1.4f));
  CHECK_FALSE(app.panel("Wire")->visible);
  CHECK(std::string(ImGui::GetIO().IniFilename) == (dir.path / "imgui.ini").string());
}

TEST_CASE("File > Open trace: Ctrl+O, a path, Enter") {
  labs::LabRun run(viztest::lab_number(1));
  run.run_all();
  viztest::TempDir dir;
  const auto path = dir.path / "typed.jsonl";
  {
    std::ofstream out(path);
    run.write_trace(out);
  }
  Headless h;
  App app(options());
  app.build_fonts();
  ImGuiIO& io = ImGui::GetIO();
  io.KeyMap[ImGuiKey_Enter] = 257;
  io.KeyMap[ImGuiKey_Backspace] = 259;
  h.frames(app, 2);
  h.key(app, 'O', true);
  h.frames(app, 2);
  ImGuiWindow* dialog = ImGui::FindWindowByName("Open trace");
  REQUIRE(dialog);
  CHECK(dialog->Active);
  // The path field has the keyboard focus: type the path, then Enter.
  io.AddInputCharactersUTF8(path.c_str());
  h.frames(app, 2);
  io.KeysDown[257] = true;
  h.frame(app);
  io.KeysDown[257] = false;
  h.frames(app, 3);
  REQUIRE(app.source());
  CHECK(app.source()->kind() == SourceKind::File);
  CHECK(app.source()->title() == "trace typed.jsonl");
  CHECK(app.model().size() == run.records().size());
}

TEST_CASE("a live feed address that cannot be used says why") {
  Headless h;
  AppOptions o = options();
  o.live = "192.0.2.1:7110";
  App app(o);
  app.build_fonts();
  h.frames(app, 2);
  CHECK(app.status().find("loopback") != std::string::npos);
  CHECK(app.open_live("127.0.0.1:7110"));
  CHECK(app.source()->kind() == SourceKind::Live);
  h.frames(app, 2);  // nobody listens there (in all likelihood): it keeps trying
  CHECK(app.busy(h.now));
}

TEST_CASE("choosing another lab starts it afresh in every panel") {
  Headless h;
  App app(options());
  app.build_fonts();
  h.frames(app, 2);
  REQUIRE(h.click(app, "Lab/Run"));
  h.frames(app, 2);
  const std::size_t lab1 = app.model().size();
  REQUIRE(app.labs().size() >= 2);
  const int other = app.labs()[1].number;
  app.open_lab(other);
  h.frames(app, 3);
  REQUIRE(app.lab());
  CHECK(app.lab()->number == other);
  CHECK(sim_of(app).next_step() == 0);
  CHECK(app.model().size() < lab1);
  CHECK_FALSE(app.model().selection());
  REQUIRE(h.click(app, "Lab/Step"));
  h.frame(app);
  CHECK(sim_of(app).next_step() == 1);
  app.open_lab(9999);  // no such lab: the current one stays
  CHECK(app.lab()->number == other);
  CHECK(app.status().find("no lab 9999") != std::string::npos);
}

TEST_CASE("a relay that cannot listen says why; one that can is a source like the others") {
  Headless h;
  AppOptions o = options();
  o.relay = "0.0.0.0:1100";
  o.upstream = "127.0.0.1:1110";
  App app(o);
  app.build_fonts();
  h.frames(app, 2);
  CHECK(app.status().find("loopback") != std::string::npos);
  CHECK(app.open_relay("127.0.0.1:0", "127.0.0.1:1110", false));
  REQUIRE(app.source());
  CHECK(app.source()->kind() == SourceKind::Relay);
  CHECK(app.source()->title().starts_with("relay 127.0.0.1:"));
  h.frames(app, 2);
  CHECK(app.busy(h.now));
}
