#include "panels/sequence_panel.hpp"

#include <algorithm>
#include <cmath>

#include "model/text.hpp"
#include "widgets/byte_text.hpp"

namespace pop3::viz {

namespace {

ByteRef ref_of(std::size_t session, const TranscriptRow& r) {
  return ByteRef{r.record, session, r.dir, r.has_range, r.begin, r.end, false, r.pre_tls};
}

void arrow(ImDrawList* dl, ImVec2 from, ImVec2 to, ImU32 colour, float thickness) {
  dl->AddLine(from, to, colour, thickness);
  const float dir = to.x > from.x ? 1.0f : -1.0f;
  const float s = 7.0f;
  dl->AddTriangleFilled(to, ImVec2(to.x - dir * s * 1.4f, to.y - s * 0.6f),
                        ImVec2(to.x - dir * s * 1.4f, to.y + s * 0.6f), colour);
}

ImU32 status_colour(const TranscriptRow& r) {
  if (r.status == Status::Err) return ui::colour::err;
  if (r.status == Status::Continue) return ui::colour::cont;
  return ui::colour::ok;
}

ImU32 event_colour(const TranscriptRow& r) {
  if (r.error) return ui::colour::err;
  switch (r.event) {
    case EventKind::State:
      return ui::colour::state;
    case EventKind::TlsRequested:
    case EventKind::TlsEstablished:
      return ui::colour::tls;
    case EventKind::Violation:
      return ui::colour::cont;
    default:
      return ui::colour::dim;
  }
}

}  // namespace

void SequencePanel::extend(const Session& s) {
  const auto& rows = s.transcript.rows();
  for (; flat_built_ < index_.size(); ++flat_built_) {
    const std::size_t i = index_.rows()[flat_built_];
    const TranscriptRow& r = rows[i];
    if (!show_events_ && r.kind == RowKind::Event) continue;
    flat_.push_back({i, -1});
    if (r.kind == RowKind::Reply && r.multiline && (open_all || opened_.contains(r.record))) {
      auto& body = bodies_[r.record];
      body = s.transcript.body(r, s.app);
      if (!r.range_complete) open_incomplete_ = true;
      for (std::size_t b = 0; b < body.size(); b += 2)  // two lines a row
        flat_.push_back({i, static_cast<int>(b)});
    }
  }
}

void SequencePanel::draw(PanelContext& ctx) {
  TraceModel& model = ctx.model;
  if (model.generation() != generation_) {
    generation_ = model.generation();
    opened_.clear();
    bodies_.clear();
    index_.reset();
    flat_.clear();
    flat_built_ = 0;
  }
  const auto focus = session_picker(model, "##session");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7);
  ImGui::InputTextWithHint("##filter", "filter", filter_, sizeof filter_);
  ImGui::SameLine();
  ImGui::Checkbox("events", &show_events_);
  ui::tooltip("Show state changes, TLS and violations between the arrows.");
  ImGui::SameLine();
  ImGui::Checkbox("bodies", &open_all);
  ui::tooltip(
      "Open every multi-line body (LIST, RETR, CAPA, ...). One opens with a click on its fold.");
  if (!focus) {
    ui::coloured_text(ui::colour::dim, "No session yet.");
    return;
  }
  const Session& s = model.session(*focus);
  const auto& rows = s.transcript.rows();
  if (built_session_ != *focus) index_.reset();
  index_.update(filter_, rows.size(),
                [&](std::size_t i, std::string&) -> std::string_view { return rows[i].text; });
  if (built_session_ != *focus || built_filter_ != filter_ || built_opened_ != opened_.size() ||
      built_events_ != show_events_ || built_open_all_ != open_all || flat_built_ > index_.size() ||
      open_incomplete_) {
    flat_.clear();
    bodies_.clear();
    flat_built_ = 0;
    open_incomplete_ = false;
    built_session_ = *focus;
    built_filter_ = filter_;
    built_opened_ = opened_.size();
    built_events_ = show_events_;
    built_open_all_ = open_all;
  }
  extend(s);
  // Clip to the cursor: the rows made by records before it.
  const std::size_t shown_rows = model.transcript_rows_at(*focus, model.cursor());
  shown_count_ = static_cast<std::size_t>(
      std::partition_point(flat_.begin(), flat_.end(),
                           [&](const Flat& f) { return f.row < shown_rows; }) -
      flat_.begin());

  // Column heads.
  const float width = ImGui::GetContentRegionAvail().x;
  {
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const char* left = "client";
    const char* right = "server";
    dl->AddText(ImVec2(p.x + 4, p.y), ui::colour::client, left);
    const float rw = ImGui::CalcTextSize(right).x;
    dl->AddText(ImVec2(p.x + width - rw - 4, p.y), ui::colour::server, right);
    const std::string mid =
        s.id + (s.started ? " · " + std::string(trace::role_name(s.role)) + "'s view" : "");
    const float mw = ImGui::CalcTextSize(mid.c_str()).x;
    dl->AddText(ImVec2(p.x + (width - mw) * 0.5f, p.y), ui::colour::dim, mid.c_str());
    ImGui::Dummy(ImVec2(width, ImGui::GetTextLineHeightWithSpacing()));
  }

  ImGui::BeginChild("##rows", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
  const bool at_bottom = ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 2;
  const float row_h = std::floor(ImGui::GetTextLineHeight() * 1.75f);
  const float inner_w = ImGui::GetContentRegionAvail().x;
  // Lifelines behind the rows.
  {
    const ImVec2 wp = ImGui::GetWindowPos();
    const ImVec2 ws = ImGui::GetWindowSize();
    const float cx = ImGui::GetCursorScreenPos().x;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddLine(ImVec2(cx + 10, wp.y), ImVec2(cx + 10, wp.y + ws.y), ui::colour::faint, 2.0f);
    dl->AddLine(ImVec2(cx + inner_w - 10, wp.y), ImVec2(cx + inner_w - 10, wp.y + ws.y),
                ui::colour::faint, 2.0f);
  }
  drawn_.clear();
  // Rows touch (no item spacing), so the clipper's row height is the whole step.
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(ImGui::GetStyle().ItemSpacing.x, 0));
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(shown_count_), row_h);
  while (clipper.Step())
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i)
      draw_row(ctx, *focus, s, flat_[static_cast<std::size_t>(i)], inner_w);
  clipper.End();
  ImGui::PopStyleVar();
  // Follow new rows while live and at the bottom (for a few frames: the list's height
  // settles over them when a window first appears).
  if (shown_count_ != last_count_ && model.live() && (at_bottom || last_count_ == 0)) follow_ = 3;
  last_count_ = shown_count_;
  if (follow_ > 0) {
    ImGui::SetScrollHereY(1.0f);
    --follow_;
  }
  ImGui::EndChild();
}

void SequencePanel::draw_row(PanelContext& ctx, std::size_t session, const Session& s,
                             const Flat& f, float width) {
  TraceModel& model = ctx.model;
  const TranscriptRow& r = s.transcript.rows()[f.row];
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float row_h = std::floor(ImGui::GetTextLineHeight() * 1.75f);
  const float left = p.x + 10, right = p.x + width - 10;
  const ByteRef ref = ref_of(session, r);

  ImGui::PushID(static_cast<int>(f.row * 4096 + static_cast<std::size_t>(f.body_line + 1)));
  const bool clicked = ImGui::InvisibleButton("##row", ImVec2(width, row_h));
  drawn_.push_back({f.row, f.body_line, ImGui::GetItemRectMin(), ImGui::GetItemRectMax()});
  const bool hovered = ImGui::IsItemHovered();
  if (clicked) {
    if (f.body_line < 0 && r.kind == RowKind::Reply && r.multiline &&
        ImGui::GetIO().MousePos.x > right - 190)
      toggle(r.record);
    model.select(ref);
  }
  if (hovered && ImGui::IsMouseDoubleClicked(0) && r.multiline) toggle(r.record);
  const bool selected = model.selection() && model.selection()->record == r.record;
  if (selected)
    dl->AddRectFilled(p, ImVec2(p.x + width, p.y + row_h), ui::colour::select_bg);
  else if (f.body_line < 0 && model.is_selected(ref))
    dl->AddRectFilled(p, ImVec2(p.x + width, p.y + row_h), ui::colour::linked_bg);
  else if (hovered)
    dl->AddRectFilled(p, ImVec2(p.x + width, p.y + row_h), IM_COL32(255, 255, 255, 12));

  const float text_y = p.y + 2;
  const float line_y = p.y + row_h - 6;
  if (f.body_line >= 0) {
    // Two lines of an opened body per row, between the lifelines, as the client took them.
    const auto it = bodies_.find(r.record);
    const float x = left + 34;
    dl->AddRectFilled(ImVec2(x - 8, p.y), ImVec2(right - 24, p.y + row_h),
                      IM_COL32(40, 40, 48, 255));
    const float half = row_h * 0.5f;
    const float mono = ctx.fonts.mono->FontSize;
    for (std::size_t k = 0; k < 2 && it != bodies_.end(); ++k) {
      const std::size_t line = static_cast<std::size_t>(f.body_line) + k;
      if (line >= it->second.size()) break;
      const BodyLine& b = it->second[line];
      const std::string shown = b.stuffed ? "." + b.text : b.text;
      ui::ByteTextOptions o;
      o.mark_stuffed_dot = b.stuffed;
      o.colour = ui::colour::text;
      o.max_width = right - x - 30;
      const float y = p.y + static_cast<float>(k) * half + (half - mono) * 0.5f;
      ui::draw_bytes(dl, ctx.fonts, ImVec2(x, y), shown, 0, {}, o);
      const float my = ImGui::GetIO().MousePos.y;
      if (hovered && b.stuffed && my >= p.y + static_cast<float>(k) * half &&
          my < p.y + static_cast<float>(k + 1) * half)
        ui::tooltip(
            "Dot-stuffing: on the wire this line starts with \"..\"; the receiver removes the "
            "first "
            "dot. A line holding a single dot would otherwise end the reply.");
    }
    ImGui::PopID();
    return;
  }

  switch (r.kind) {
    case RowKind::Command:
    case RowKind::SaslResponse:
    case RowKind::Line: {
      const ImU32 c = r.kind == RowKind::Line ? ui::colour::cont : ui::colour::client;
      arrow(dl, ImVec2(left, line_y), ImVec2(right, line_y), c, selected ? 2.5f : 1.5f);
      const char* tag = r.kind == RowKind::SaslResponse ? "SASL"
                        : r.kind == RowKind::Line       ? "not a command"
                                                        : "";
      const float tag_w = *tag ? ImGui::CalcTextSize(tag).x + 24 : 10;
      ImGui::PushFont(ctx.fonts.mono);
      dl->PushClipRect(ImVec2(left, p.y), ImVec2(right - tag_w, p.y + row_h), true);
      dl->AddText(ImVec2(left + 14, text_y), ui::colour::text, r.text.c_str());
      dl->PopClipRect();
      ImGui::PopFont();
      if (*tag) dl->AddText(ImVec2(right - tag_w + 10, text_y), ui::colour::dim, tag);
      break;
    }
    case RowKind::Reply: {
      const ImU32 c = status_colour(r);
      arrow(dl, ImVec2(right, line_y), ImVec2(left, line_y), c, selected ? 2.5f : 1.5f);
      ImGui::PushFont(ctx.fonts.mono);
      const std::string_view status = first_word(r.text);
      const float x = left + 14;
      dl->AddText(ImVec2(x, text_y), c, status.data(), status.data() + status.size());
      const float sw = ImGui::CalcTextSize(status.data(), status.data() + status.size()).x;
      const char* rest = r.text.c_str() + status.size();
      dl->PushClipRect(ImVec2(x, p.y), ImVec2(right - (r.multiline ? 190 : 10), p.y + row_h), true);
      dl->AddText(ImVec2(x + sw, text_y), ui::colour::text, rest);
      dl->PopClipRect();
      ImGui::PopFont();
      if (r.multiline) {
        const bool open = open_all || opened_.contains(r.record);
        const std::string fold = std::string(open ? "\xE2\x96\xBE " : "\xE2\x96\xB8 ") +
                                 std::to_string(r.body_lines) + " lines, " +
                                 std::to_string(r.body_octets) + " octets";
        const float fw = ImGui::CalcTextSize(fold.c_str()).x;
        const ImVec2 fp(right - fw - 16, text_y);
        dl->AddRectFilled(ImVec2(fp.x - 4, fp.y - 1),
                          ImVec2(fp.x + fw + 4, fp.y + ImGui::GetTextLineHeight() + 1),
                          ui::colour::pill_bg, 4.0f);
        dl->AddText(fp, ui::colour::dim, fold.c_str());
      }
      break;
    }
    case RowKind::Event: {
      const ImU32 c = event_colour(r);
      std::string text = r.event == EventKind::State ? "\xE2\x86\x92 " + r.text : r.text;
      const float tw = ImGui::CalcTextSize(text.c_str()).x;
      const float cx = (left + right) * 0.5f;
      const float y = p.y + (row_h - ImGui::GetTextLineHeight()) * 0.5f;
      const ImVec2 a(cx - tw * 0.5f - 8, y - 1),
          b(cx + tw * 0.5f + 8, y + ImGui::GetTextLineHeight() + 1);
      dl->AddRect(a, b, c, 8.0f);
      dl->PushClipRect(ImVec2(left, p.y), ImVec2(right, p.y + row_h), true);
      dl->AddText(ImVec2(cx - tw * 0.5f, y), c, text.c_str());
      dl->PopClipRect();
      break;
    }
  }
  if (hovered) {
    std::string tip = r.detail;
    const trace::Record& rec = model.records()[r.record];
    tip += (tip.empty() ? "" : "\n\n") + format_time(rec.t) + " · session " + rec.session +
           " seq " + std::to_string(rec.seq);
    if (r.has_range)
      tip += " · octets " + std::to_string(r.begin) + "-" + std::to_string(r.end) + " " +
             std::string(direction_name(r.dir));
    if (r.multiline) tip += "\nClick the fold (or double-click) to open the body.";
    ui::tooltip(tip);
  }
  ImGui::PopID();
}

}  // namespace pop3::viz
