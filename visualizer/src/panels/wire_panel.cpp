#include "panels/wire_panel.hpp"

#include <algorithm>
#include <cstdio>

#include "model/exposure_view.hpp"
#include "model/text.hpp"

namespace pop3::viz {

namespace {

std::string tls_version_name(std::uint16_t v) {
  switch (v) {
    case 0x0301:
      return "TLS 1.0";
    case 0x0302:
      return "TLS 1.1";
    case 0x0303:
      return "TLS 1.2";
    case 0x0304:
      return "TLS 1.3";
    default: {
      char b[16];
      std::snprintf(b, sizeof b, "0x%04x", v);
      return b;
    }
  }
}

}  // namespace

std::vector<ui::Highlight> WirePanel::highlights(const TraceModel& model, std::size_t session,
                                                 const ByteLog& log, const ByteRow& row,
                                                 bool wire) const {
  std::vector<ui::Highlight> out;
  if (row.channel != trace::Channel::Plain) return out;
  // Secrets of this session; a trace whose wire session has no exposure records borrows
  // those of the others (before TLS they share the offsets).
  const Session& s = model.session(session);
  std::vector<const ExposureEntry*> xs;
  for (std::size_t i : s.exposures)
    xs.push_back(&model.exposures()[i]);
  if (xs.empty())
    for (const auto& x : model.exposures())
      xs.push_back(&x);
  for (const ExposureEntry* x : xs) {
    if (x->dir != row.dir || x->channel != trace::Channel::Plain) continue;
    if (x->offset >= row.end || x->offset + x->length <= row.begin) continue;
    // On the wire, the application offsets hold only while the direction was plain.
    if (wire && log.channel_at(row.dir, x->offset) != trace::Channel::Plain) continue;
    out.push_back({x->offset, x->offset + x->length, ui::exposure_colour(x->kind, 230)});
  }
  return out;
}

void WirePanel::draw(PanelContext& ctx) {
  TraceModel& model = ctx.model;
  if (model.generation() != generation_) {
    generation_ = model.generation();
    index_.reset();
    open_row_.reset();
  }
  // Which bytes: the wire session's, else the focused session's application bytes.
  std::optional<std::size_t> session = model.wire_session();
  bool wire = true;
  if (!session) {
    session = model.focus();
    wire = false;
  }
  if (!session) {
    ui::coloured_text(ui::colour::dim, "Nothing has crossed yet.");
    return;
  }
  const Session& s = model.session(*session);
  const ByteLog& log = wire ? s.wire : s.app;
  if (*session != built_session_ || wire != built_wire_) {
    index_.reset();
    open_row_.reset();
    built_session_ = *session;
    built_wire_ = wire;
  }

  if (wire && s.role == trace::Role::Simulator) {
    ui::coloured_text(ui::colour::dim, "as the eavesdropper saw it");
  } else if (wire) {
    ui::coloured_text(ui::colour::dim, "on the wire, as " + s.id + " (" +
                                           std::string(trace::role_name(s.role)) + ") saw it");
  } else {
    ui::coloured_text(ui::colour::cont, "no wire records: application bytes of " + s.id);
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
  ImGui::InputTextWithHint("##filter", "filter", filter_, sizeof filter_);
  ImGui::SameLine();
  ImGui::PushStyleColor(ImGuiCol_Text, ui::colour::client);
  ImGui::Checkbox("C\xE2\x86\x92S", &show_c2s_);
  ImGui::PopStyleColor();
  ImGui::SameLine();
  ImGui::PushStyleColor(ImGuiCol_Text, ui::colour::server);
  ImGui::Checkbox(
      "S\xE2\x86\x92"
      "C",
      &show_s2c_);
  ImGui::PopStyleColor();

  // The rows that pass the filter and the direction switches, kept as an index that
  // grows with the log; the cursor clips it with a binary search.
  const auto& rows = log.rows();
  const std::string key =
      std::string(filter_) + (show_c2s_ ? "\x01" : "\x02") + (show_s2c_ ? "\x01" : "\x02");
  const std::string_view needle = filter_;
  index_.update_if(key, rows.size(), [&](std::size_t i) {
    const ByteRow& r = rows[i];
    if ((r.dir == Direction::ClientToServer && !show_c2s_) ||
        (r.dir == Direction::ServerToClient && !show_s2c_))
      return false;
    return icontains(log.bytes(r), needle);
  });
  const std::size_t cursor = model.cursor();
  const std::size_t n = TraceModel::visible_count(
      index_.rows(), cursor, [&](std::size_t i) { return rows[i].first_record; });
  shown_count_ = n;

  const float line = ImGui::GetTextLineHeightWithSpacing();
  const float hex_h = open_row_ ? line * 7.5f : 0.0f;
  ImGui::BeginChild("##wire", ImVec2(0, -hex_h), false, ImGuiWindowFlags_HorizontalScrollbar);
  const bool at_bottom = ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 2;
  const float row_h = std::max(ImGui::GetTextLineHeightWithSpacing(), ctx.fonts.mono->FontSize + 4);
  const float width = ImGui::GetContentRegionAvail().x;
  const float cw = ImGui::CalcTextSize("0").x;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  // A time column only when time passes in this trace (the labs run in zero time).
  const bool timed = !model.records().empty() && model.records().back().t.count() > 0;
  const float time_w =
      timed ? ImGui::CalcTextSize(format_time(model.records().back().t).c_str()).x + cw : 0;
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(ImGui::GetStyle().ItemSpacing.x, 0));
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(n), row_h);
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      const std::size_t ri = index_.rows()[static_cast<std::size_t>(i)];
      const ByteRow& r = rows[ri];
      const ImVec2 p = ImGui::GetCursorScreenPos();
      ImGui::PushID(static_cast<int>(ri));
      const ByteRef ref{r.first_record, *session, r.dir, true,
                        r.begin,        r.end,    wire,  r.channel == trace::Channel::Plain};
      if (ImGui::InvisibleButton("##r", ImVec2(std::max(width, 1.0f), row_h))) {
        model.select(ref);
        open_row_ = ri;
      }
      const bool hovered = ImGui::IsItemHovered();
      if (open_row_ == ri)
        dl->AddRectFilled(p, ImVec2(p.x + width, p.y + row_h), ui::colour::select_bg);
      else if (model.is_selected(ref))
        dl->AddRectFilled(p, ImVec2(p.x + width, p.y + row_h), ui::colour::linked_bg);
      else if (hovered)
        dl->AddRectFilled(p, ImVec2(p.x + width, p.y + row_h), IM_COL32(255, 255, 255, 12));
      // Columns: time, direction, channel, offset, bytes.
      float x = p.x + 4;
      const float ty = p.y + (row_h - ImGui::GetTextLineHeight()) * 0.5f;
      if (timed) {
        const std::string t = format_time(model.records()[r.first_record].t);
        dl->AddText(ImVec2(x + time_w - cw - ImGui::CalcTextSize(t.c_str()).x, ty), ui::colour::dim,
                    t.c_str());
        x += time_w;
      }
      const bool c2s = r.dir == Direction::ClientToServer;
      dl->AddText(ImVec2(x, ty), c2s ? ui::colour::client : ui::colour::server,
                  c2s ? "C\xE2\x86\x92S"
                      : "S\xE2\x86\x92"
                        "C");
      x += cw * 4.5f;
      const bool tls = r.channel == trace::Channel::Tls;
      const char* ch = tls ? "TLS" : "plain";
      const float chw = ImGui::CalcTextSize(ch).x;
      dl->AddRectFilled(ImVec2(x, ty - 1), ImVec2(x + chw + 8, ty + ImGui::GetTextLineHeight() + 1),
                        tls ? IM_COL32(40, 110, 100, 255) : IM_COL32(70, 70, 82, 255), 4.0f);
      dl->AddText(ImVec2(x + 4, ty), ui::colour::text, ch);
      x += cw * 6.5f;
      char off[24];
      std::snprintf(off, sizeof off, "%6llu", static_cast<unsigned long long>(r.begin));
      dl->AddText(ImVec2(x, ty), ui::colour::faint, off);
      x += cw * 7.5f;
      // Bytes clipped to the cursor (a row may still grow).
      const std::uint64_t end = std::min<std::uint64_t>(r.end, log.end_at(r.dir, cursor));
      const std::string_view bytes =
          log.bytes(r).substr(0, static_cast<std::size_t>(end > r.begin ? end - r.begin : 0));
      const float by = p.y + (row_h - ctx.fonts.mono->FontSize) * 0.5f;
      if (tls) {
        std::string head = std::string(tls_content_type_name(r.tls_type)) + " " +
                           tls_version_name(r.tls_version) + ", " + std::to_string(r.tls_length) +
                           " octets";
        dl->AddText(ImVec2(x, ty), ui::colour::tls, head.c_str());
        const float hw = ImGui::CalcTextSize(head.c_str()).x + cw * 2;
        const std::string hex = hex_bytes(bytes.substr(std::min<std::size_t>(5, bytes.size())), 24);
        ImGui::PushFont(ctx.fonts.mono);
        dl->AddText(ImVec2(x + hw, by), ui::colour::faint, hex.c_str());
        ImGui::PopFont();
      } else {
        const auto hs = highlights(model, *session, log, r, wire);
        ui::ByteTextOptions o;
        const std::string_view content = strip_line_end(bytes);
        // On the server's side a line that starts with '.' is either the terminator of a
        // multi-line reply or a body line whose dot was doubled (RFC 1939 §3).
        o.mark_terminator = !c2s && content == ".";
        o.mark_stuffed_dot = !c2s && content.size() > 1 && content.front() == '.';
        o.colour = c2s ? IM_COL32(200, 225, 250, 255) : IM_COL32(250, 230, 200, 255);
        ui::draw_bytes(dl, ctx.fonts, ImVec2(x, by), bytes, r.begin, hs, o);
        if (hovered && o.mark_stuffed_dot)
          ui::tooltip(
              "A stuffed dot: the body line begins with '.', so the server sent one more. The "
              "client "
              "removes it.");
        else if (hovered && o.mark_terminator)
          ui::tooltip("A line holding only a dot: the end of a multi-line reply.");
        else if (hovered && !hs.empty())
          ui::tooltip("Highlighted: a secret, readable by anyone on the path.");
      }
      ImGui::PopID();
    }
  }
  clipper.End();
  ImGui::PopStyleVar();
  if (n != last_count_ && model.live() && (at_bottom || last_count_ == 0)) follow_ = 3;
  last_count_ = n;
  if (follow_ > 0) {
    ImGui::SetScrollHereY(1.0f);
    --follow_;
  }
  ImGui::EndChild();

  if (open_row_ && *open_row_ < rows.size()) {
    const ByteRow& r = rows[*open_row_];
    ImGui::Separator();
    const std::string title = std::string(direction_name(r.dir)) + " " +
                              std::string(trace::channel_name(r.channel)) + ", octets " +
                              std::to_string(r.begin) + "-" + std::to_string(r.end) + " of the " +
                              (wire ? "TCP" : "application") + " stream";
    ui::coloured_text(ui::colour::dim, title);
    ImGui::SameLine();
    if (ImGui::SmallButton("close")) open_row_.reset();
    if (open_row_) {
      ImGui::BeginChild("##hex", ImVec2(0, 0), false);
      const auto hs = highlights(model, *session, log, r, wire);
      ui::hex_view(ctx.fonts, log.bytes(r), r.begin, hs);
      ImGui::EndChild();
    }
  }
}

}  // namespace pop3::viz
