#include "panels/timeline_panel.hpp"

#include <algorithm>

#include "model/text.hpp"

namespace pop3::viz {

namespace {

// How much a record matters on the strip (higher wins a pixel column).
int weight(const trace::Record& r, ImU32& colour) {
  if (const auto* reply = std::get_if<trace::ReplyRecord>(&r.body)) {
    colour = reply->status == Status::Err ? ui::colour::err : ui::colour::server;
    return reply->status == Status::Err ? 5 : 2;
  }
  if (std::holds_alternative<trace::CommandRecord>(r.body)) {
    colour = ui::colour::client;
    return 2;
  }
  if (std::holds_alternative<trace::StateChangeRecord>(r.body)) {
    colour = ui::colour::state;
    return 3;
  }
  if (const auto* x = std::get_if<trace::ExposureRecord>(&r.body)) {
    colour = ui::exposure_colour(trace::observed_exposure(*x));
    return 6;
  }
  if (std::holds_alternative<trace::TlsEstablishedRecord>(r.body) ||
      std::holds_alternative<trace::TlsRequestedRecord>(r.body)) {
    colour = ui::colour::tls;
    return 4;
  }
  if (std::holds_alternative<trace::ViolationRecord>(r.body) ||
      std::holds_alternative<trace::TlsFailedRecord>(r.body)) {
    colour = ui::colour::err;
    return 5;
  }
  return 0;
}

}  // namespace

void TimelinePanel::build_strip(const TraceModel& model, int width) {
  strip_.assign(static_cast<std::size_t>(std::max(width, 1)), 0);
  std::vector<int> best(strip_.size(), 0);
  const auto& records = model.records();
  const std::size_t n = records.size();
  if (n == 0) return;
  auto paint = [&](std::size_t i) {
    ImU32 c = 0;
    const int w = weight(records[i], c);
    if (w == 0) return;
    const auto x = static_cast<std::size_t>(static_cast<double>(i) / static_cast<double>(n) *
                                            static_cast<double>(strip_.size()));
    const std::size_t col = std::min(x, strip_.size() - 1);
    if (w > best[col]) {
      best[col] = w;
      strip_[col] = c;
    }
  };
  // The focused session's records and every secret: through the model's indexes, not the
  // whole trace, since the focus moves with the cursor and a scrub rebuilds the strip each
  // frame (a million records: 5 ms a frame the other way).
  if (const auto focus = model.focus())
    for (const std::size_t i : model.session(*focus).records)
      paint(i);
  for (const auto& x : model.exposures())
    paint(x.record);
}

void TimelinePanel::step_back(TraceModel& model) {
  const auto focus = model.focus();
  if (!focus) return;
  const auto& rows = model.session(*focus).transcript.rows();
  const std::size_t n = model.transcript_rows_at(*focus, model.cursor());
  // The cursor after the row before the last visible one.
  if (n >= 2)
    model.set_cursor(rows[n - 2].record + 1);
  else
    model.set_cursor(0);
}

void TimelinePanel::step_forward(TraceModel& model) {
  const auto focus = model.focus();
  if (!focus) return;
  const auto& rows = model.session(*focus).transcript.rows();
  const std::size_t n = model.transcript_rows_at(*focus, model.cursor());
  if (n < rows.size())
    model.set_cursor(rows[n].record + 1);
  else
    model.set_live(true);
}

void TimelinePanel::draw(PanelContext& ctx) {
  TraceModel& model = ctx.model;
  const std::size_t size = model.size();
  std::size_t cursor = model.cursor();

  if (ImGui::Button("|<")) model.set_cursor(0);
  ui::tooltip("The beginning.");
  ImGui::SameLine();
  if (ImGui::Button("<")) step_back(model);
  ui::tooltip("Back one line of the conversation (Left).");
  ImGui::SameLine();
  if (ImGui::Button(">")) step_forward(model);
  ui::tooltip("Forward one line of the conversation (Right).");
  ImGui::SameLine();
  bool live = model.live();
  if (ImGui::Checkbox("live", &live)) model.set_live(live);
  ui::tooltip("Follow new records as they arrive.");
  ImGui::SameLine();
  const std::string where = cursor == 0
                                ? "start"
                                : format_time(model.records()[cursor - 1].t) + " \xC2\xB7 record " +
                                      std::to_string(cursor) + " of " + std::to_string(size);
  ImGui::SetNextItemWidth(-ImGui::CalcTextSize(where.c_str()).x - ImGui::GetStyle().ItemSpacing.x -
                          4);
  std::uint64_t value = cursor;
  const std::uint64_t lo = 0, hi = size;
  if (ImGui::SliderScalar("##cursor", ImGuiDataType_U64, &value, &lo, &hi, "")) {
    model.set_cursor(static_cast<std::size_t>(value));
    cursor = model.cursor();
  }
  ImGui::SameLine();
  ui::coloured_text(ui::colour::dim, where);

  // The strip.
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float w = ImGui::GetContentRegionAvail().x;
  const float h = std::max(ImGui::GetContentRegionAvail().y - 2, 10.0f);
  ImGui::InvisibleButton("##strip", ImVec2(std::max(w, 1.0f), h));
  const int width = static_cast<int>(w);
  const auto focus = model.focus();
  if (model.revision() != strip_revision_ || width != strip_width_ ||
      (focus ? *focus : ~std::size_t{0}) != strip_focus_) {
    build_strip(model, width);
    strip_revision_ = model.revision();
    strip_width_ = width;
    strip_focus_ = focus ? *focus : ~std::size_t{0};
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p, ImVec2(p.x + w, p.y + h), IM_COL32(28, 28, 34, 255), 3.0f);
  for (std::size_t x = 0; x < strip_.size(); ++x)
    if (strip_[x]) {
      const float fx = p.x + static_cast<float>(x);
      dl->AddRectFilled(ImVec2(fx, p.y + 3), ImVec2(fx + 2, p.y + h - 3), strip_[x]);
    }
  // Step boundaries.
  if (ctx.sim && size > 0) {
    for (const auto& m : ctx.sim->marks()) {
      const float x = p.x + w * static_cast<float>(m.end_record) / static_cast<float>(size);
      dl->AddLine(ImVec2(x, p.y), ImVec2(x, p.y + h), IM_COL32(255, 255, 255, 70));
      const std::string label = std::to_string(m.index + 1);
      dl->AddText(ImGui::GetFont(), ImGui::GetFontSize() * 0.7f,
                  ImVec2(x - ImGui::CalcTextSize(label.c_str()).x * 0.7f - 2, p.y), ui::colour::dim,
                  label.c_str());
    }
  }
  if (size > 0) {
    const float cx = p.x + w * static_cast<float>(cursor) / static_cast<float>(size);
    dl->AddLine(ImVec2(cx, p.y - 2), ImVec2(cx, p.y + h + 2), IM_COL32(255, 255, 255, 230), 2.0f);
  }
  if (ImGui::IsItemActive() && size > 0) {
    const float t = std::clamp((ImGui::GetIO().MousePos.x - p.x) / std::max(w, 1.0f), 0.0f, 1.0f);
    model.set_cursor(static_cast<std::size_t>(t * static_cast<float>(size) + 0.5f));
  }
  ui::tooltip(
      "Click or drag to move the cursor. Blue: commands; amber: replies; red: -ERR and violations; "
      "purple: state changes; teal: TLS; secrets in the colour of their exposure.");
}

}  // namespace pop3::viz
