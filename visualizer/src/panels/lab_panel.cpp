#include "panels/lab_panel.hpp"

#include <string>

#include "model/text.hpp"

namespace pop3::viz {

namespace {

// Steps of a lab's second client say so: two connections take turns in such a lab.
std::string who(const labs::Step& s) {
  return s.client == 2 ? "client 2: " : "";
}

std::string step_action_words(const labs::Step& s) {
  if (s.action == "send") return "send " + s.line;
  if (s.action == "login") return "log in as " + s.user + " with " + s.mechanism;
  if (s.action == "pipeline") return "pipeline " + std::to_string(s.lines.size()) + " commands";
  if (s.action == "wait") return "wait " + std::to_string(s.seconds) + " s";
  return s.action;
}

std::string step_summary(const labs::Step& s) {
  return who(s) + (s.title.empty() ? step_action_words(s) : s.title);
}

std::string step_action(const labs::Step& s) {
  if (s.action == "send") return who(s) + "send \"" + s.line + "\"";
  if (s.action == "login") return who(s) + "login " + s.user + " (" + s.mechanism + ")";
  if (s.action == "pipeline") {
    std::string l;
    for (const auto& x : s.lines)
      l += (l.empty() ? "" : " | ") + x;
    return who(s) + "pipeline " + l;
  }
  return who(s) + s.action;
}

}  // namespace

const std::vector<labs::CheckResult>& LabPanel::checks(PanelContext& ctx) {
  const std::size_t cursor = ctx.model.cursor();
  if (cursor != seen_cursor_) {
    seen_cursor_ = cursor;
    cursor_moved_at_ = ctx.now;
  }
  // Judging a long trace as of a cursor copies the records before it: not while the
  // cursor is being dragged, only once it rests.
  const bool dragging =
      cursor < ctx.model.size() && ctx.model.size() > 100'000 && ctx.now - cursor_moved_at_ < 0.3;
  if (!dragging && (ctx.lab != checks_lab_ || ctx.model.revision() != checks_revision_ ||
                    cursor != checks_cursor_)) {
    checks_lab_ = ctx.lab;
    checks_revision_ = ctx.model.revision();
    checks_cursor_ = cursor;
    checks_.clear();
    if (ctx.lab) {
      const auto& all = ctx.model.records();
      if (cursor >= all.size()) {
        checks_ = labs::evaluate(*ctx.lab, all);
      } else {
        const std::vector<trace::Record> prefix(all.begin(),
                                                all.begin() + static_cast<std::ptrdiff_t>(cursor));
        checks_ = labs::evaluate(*ctx.lab, prefix);
      }
    }
  }
  return checks_;
}

std::optional<std::size_t> LabPanel::step_at_cursor(const PanelContext& ctx) const {
  if (!ctx.sim) return std::nullopt;
  const auto& marks = ctx.sim->marks();
  const std::size_t cursor = ctx.model.cursor();
  std::optional<std::size_t> at;
  for (const auto& m : marks)
    if (m.first_record < cursor || (m.first_record == m.end_record && m.end_record <= cursor))
      at = m.index;
  return at;
}

void LabPanel::draw(PanelContext& ctx) {
  if (ctx.model.generation() != generation_) {
    generation_ = ctx.model.generation();
    answers_shown_.clear();
  }
  if (!ctx.lab) {
    ImGui::TextWrapped(
        "No lab is chosen. Choose one in the Lab menu to play it on the simulator, or to judge "
        "the trace you opened against its checks.");
    return;
  }
  const labs::Lab& lab = *ctx.lab;
  ImGui::PushTextWrapPos(0);
  ui::coloured_text(ui::colour::accent, "Lab " + std::to_string(lab.number));
  ImGui::SameLine();
  ImGui::TextUnformatted(lab.title.c_str());
  ImGui::PopTextWrapPos();

  if (ctx.sim) draw_controls(ctx);
  if (ctx.source && !ctx.source->error().empty()) {
    ImGui::PushTextWrapPos(0);
    ui::coloured_text(ui::colour::err, ctx.source->error());
    ImGui::PopTextWrapPos();
  }
  ImGui::Separator();

  // What the student needs now first: this step, then the checks; the text after.
  if (ctx.sim) draw_current_step(ctx);
  if (ImGui::CollapsingHeader("Checks", ImGuiTreeNodeFlags_DefaultOpen)) draw_checks(ctx);
  if (ctx.sim && ImGui::CollapsingHeader("Steps", ImGuiTreeNodeFlags_DefaultOpen)) draw_steps(ctx);
  if (ImGui::CollapsingHeader("Objectives", ImGuiTreeNodeFlags_DefaultOpen)) {
    for (const auto& o : lab.objectives) {
      ImGui::Bullet();
      ImGui::TextWrapped("%s", o.c_str());
    }
  }
  if (ImGui::CollapsingHeader("Background")) {
    ImGui::PushTextWrapPos(0);
    // Paragraphs are separated by blank lines; lines inside a paragraph are joined.
    std::string para;
    auto flush = [&] {
      if (!para.empty()) {
        ImGui::TextUnformatted(para.c_str());
        ImGui::Spacing();
      }
      para.clear();
    };
    std::string_view text = lab.background;
    while (!text.empty()) {
      const auto nl = text.find('\n');
      const std::string_view line = text.substr(0, nl);
      text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
      if (line.find_first_not_of(" \t") == std::string_view::npos)
        flush();
      else
        para += (para.empty() ? "" : " ") + std::string(line);
    }
    flush();
    ImGui::PopTextWrapPos();
  }
}

void LabPanel::draw_controls(PanelContext& ctx) {
  SimSource& sim = *ctx.sim;
  const bool done = sim.finished();
  ImGui::BeginDisabled(done);
  if (ImGui::Button("Step")) sim.step();
  ui::note_item("Lab/Step");
  ui::tooltip("Perform the next step (Space or N).");
  ImGui::SameLine();
  if (sim.running()) {
    if (ImGui::Button("Pause")) sim.pause();
    ui::note_item("Lab/Pause");
    ui::tooltip("Stop running (P).");
  } else {
    if (ImGui::Button("Run")) sim.run();
    ui::note_item("Lab/Run");
    ui::tooltip("Perform the remaining steps one after the other (R).");
  }
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button("Restart")) sim.restart();
  ui::note_item("Lab/Restart");
  ui::tooltip("Start the lab again from the beginning: same seed, same bytes (Home).");
  const std::size_t n = sim.step_count();
  const std::size_t next = sim.next_step();
  const float fraction = n ? static_cast<float>(next) / static_cast<float>(n) : 1.0f;
  const std::string label =
      done ? "all " + std::to_string(n) + " steps done"
           : "step " + std::to_string(next) + " of " + std::to_string(n) + " done";
  ImGui::ProgressBar(fraction, ImVec2(-1, 0), label.c_str());
}

void LabPanel::draw_steps(PanelContext& ctx) {
  SimSource& sim = *ctx.sim;
  const auto& steps = sim.lab().steps;
  const auto at = step_at_cursor(ctx);
  for (std::size_t i = 0; i < steps.size(); ++i) {
    ImGui::PushID(static_cast<int>(i));
    const bool done = i < sim.next_step();
    const bool next = i == sim.next_step();
    const char* mark = done   ? "\xE2\x9C\x93"
                       : next ? "\xE2\x96\xB6"
                              : "\xE2\x80\xA2";  // check, play, bullet
    ui::coloured_text(done ? ui::colour::ok : next ? ui::colour::accent : ui::colour::dim, mark);
    ImGui::SameLine();
    const std::string text = std::to_string(i + 1) + ". " + step_summary(steps[i]);
    const bool selected = at && *at == i;
    ImGui::PushStyleColor(ImGuiCol_Text, done || next ? ui::colour::text : ui::colour::dim);
    if (ImGui::Selectable(text.c_str(), selected) && done && i < sim.marks().size()) {
      // Scrub the timeline to the end of that step.
      ctx.model.set_cursor(sim.marks()[i].end_record);
    }
    ImGui::PopStyleColor();
    ui::tooltip(step_action(steps[i]) +
                (done ? "\n(click: show the session as it was after this step)" : ""));
    ImGui::PopID();
  }
}

void LabPanel::draw_current_step(PanelContext& ctx) {
  SimSource& sim = *ctx.sim;
  const auto at = step_at_cursor(ctx);
  if (!at) {
    ImGui::PushTextWrapPos(0);
    ui::coloured_text(ui::colour::dim,
                      "Press Step (or Space) to perform the first step, or Run to watch them all.");
    ImGui::PopTextWrapPos();
    ImGui::Spacing();
    return;
  }
  const labs::Step& step = sim.lab().steps[*at];
  const std::string header = "Step " + std::to_string(*at + 1) + ": " + step_summary(step);
  if (!ImGui::CollapsingHeader("This step", ImGuiTreeNodeFlags_DefaultOpen)) return;
  ImGui::PushTextWrapPos(0);
  ui::coloured_text(ui::colour::accent, header);
  ui::coloured_text(ui::colour::dim, step_action(step));
  if (!step.look.empty()) {
    ui::coloured_text(ui::colour::cont, "Look:");
    ImGui::SameLine();
    ImGui::TextUnformatted(step.look.c_str());
  }
  if (!step.question.empty()) {
    ui::coloured_text(ui::colour::cont, "Question:");
    ImGui::SameLine();
    ImGui::TextUnformatted(step.question.c_str());
    if (answers_shown_.contains(*at)) {
      ui::coloured_text(ui::colour::ok, "Answer:");
      ImGui::SameLine();
      ImGui::TextUnformatted(step.answer.c_str());
    } else {
      if (ImGui::Button("Show the answer")) answers_shown_.insert(*at);
      ui::note_item("Lab/Show the answer");
    }
  }
  ImGui::PopTextWrapPos();
  ImGui::Spacing();
}

void LabPanel::draw_checks(PanelContext& ctx) {
  const auto& results = checks(ctx);
  std::size_t holding = 0;
  for (const auto& r : results)
    holding += r.holds ? 1 : 0;
  ui::coloured_text(holding == results.size() ? ui::colour::ok : ui::colour::dim,
                    std::to_string(holding) + " of " + std::to_string(results.size()) + " hold" +
                        (ctx.model.live() ? "" : " (as of the cursor)"));
  for (const auto& r : results) {
    ImGui::PushID(r.check);
    ui::coloured_text(r.holds ? ui::colour::ok : ui::colour::faint,
                      r.holds ? "\xE2\x97\x8F" : "\xE2\x97\x8B");
    ImGui::SameLine();
    ImGui::PushTextWrapPos(0);
    ui::coloured_text(r.holds ? ui::colour::ok : ui::colour::text, r.check->description);
    ImGui::PopTextWrapPos();
    std::string tip = r.check->id + ": " + r.evidence;
    if (!r.holds && !r.check->hint.empty()) tip += "\nHint: " + r.check->hint;
    ui::tooltip(tip);
    ImGui::PopID();
  }
}

}  // namespace pop3::viz
