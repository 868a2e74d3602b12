#include "panels/state_panel.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <string>

#include "model/state_graph.hpp"

namespace pop3::viz {

namespace {

struct Box {
  ImVec2 min, max;
  [[nodiscard]] ImVec2 centre() const {
    return ImVec2((min.x + max.x) * 0.5f, (min.y + max.y) * 0.5f);
  }
};

// Where the segment from the centre of `b` towards `to` leaves the box.
ImVec2 border_point(const Box& b, ImVec2 to) {
  const ImVec2 c = b.centre();
  const float dx = to.x - c.x, dy = to.y - c.y;
  const float hw = (b.max.x - b.min.x) * 0.5f + 3, hh = (b.max.y - b.min.y) * 0.5f + 3;
  if (std::fabs(dx) < 1e-3f && std::fabs(dy) < 1e-3f) return c;
  const float tx = std::fabs(dx) > 1e-3f ? hw / std::fabs(dx) : 1e9f;
  const float ty = std::fabs(dy) > 1e-3f ? hh / std::fabs(dy) : 1e9f;
  const float t = std::min(tx, ty);
  return ImVec2(c.x + dx * t, c.y + dy * t);
}

ImVec2 bezier(ImVec2 a, ImVec2 c, ImVec2 b, float t) {
  const float u = 1 - t;
  return ImVec2(u * u * a.x + 2 * u * t * c.x + t * t * b.x,
                u * u * a.y + 2 * u * t * c.y + t * t * b.y);
}

void arrow_head(ImDrawList* dl, ImVec2 tip, ImVec2 from, ImU32 colour, float size) {
  float dx = tip.x - from.x, dy = tip.y - from.y;
  const float len = std::sqrt(dx * dx + dy * dy);
  if (len < 1e-3f) return;
  dx /= len;
  dy /= len;
  const ImVec2 base(tip.x - dx * size, tip.y - dy * size);
  dl->AddTriangleFilled(tip, ImVec2(base.x - dy * size * 0.5f, base.y + dx * size * 0.5f),
                        ImVec2(base.x + dy * size * 0.5f, base.y - dx * size * 0.5f), colour);
}

}  // namespace

void StatePanel::draw(PanelContext& ctx) {
  TraceModel& model = ctx.model;
  const StateGraph& g = state_graph();
  const auto focus = session_picker(model, "##session");
  const std::size_t cursor = model.cursor();
  std::string current;
  const StateEntry* last = nullptr;
  std::set<std::string> visited;
  if (focus) {
    current = model.state_at(*focus, cursor);
    last = model.last_change_at(*focus, cursor);
    const Session& s = model.session(*focus);
    if (!current.empty()) visited.insert("AUTHORIZATION");
    for (const auto& c : s.states)
      if (c.record < cursor) visited.insert(c.to);
  }
  // A new last transition starts the animation.
  const std::optional<std::size_t> last_record =
      last ? std::optional<std::size_t>(last->record) : std::nullopt;
  if (last_record != last_change_record_) {
    last_change_record_ = last_record;
    changed_at_ = last_record ? ctx.now : -100;
  }
  const float progress =
      static_cast<float>(std::clamp((ctx.now - changed_at_) / kAnimation, 0.0, 1.0));
  ImGui::SameLine();
  if (!current.empty()) {
    ui::coloured_text(ui::colour::dim, "now");
    ImGui::SameLine();
    ui::coloured_text(ui::colour::accent, current);
  } else {
    ui::coloured_text(ui::colour::dim, focus ? "not started" : "no session");
  }

  // The drawing area: what is left but the lines below it.
  const float line = ImGui::GetTextLineHeightWithSpacing();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float h = std::max(avail.y - line * 3.3f, line * 7);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 area(avail.x, h);
  ImGui::InvisibleButton("##graph", area);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->PushClipRect(origin, ImVec2(origin.x + area.x, origin.y + area.y), true);
  const ImVec2 mouse = ImGui::GetIO().MousePos;

  auto at = [&](float x, float y) { return ImVec2(origin.x + x * area.x, origin.y + y * area.y); };
  std::vector<Box> boxes(g.nodes.size());
  const float pad_x = 8, pad_y = 3;
  for (std::size_t i = 0; i < g.nodes.size(); ++i) {
    const GraphNode& n = g.nodes[i];
    const ImVec2 ts = ImGui::CalcTextSize(n.short_name.c_str());
    const ImVec2 c = at(n.x, n.y);
    if (n.sink)  // a bar along the bottom
      boxes[i] = Box{ImVec2(origin.x + 4, c.y - ts.y * 0.5f - pad_y),
                     ImVec2(origin.x + area.x - 4, c.y + ts.y * 0.5f + pad_y)};
    else
      boxes[i] = Box{ImVec2(c.x - ts.x * 0.5f - pad_x, c.y - ts.y * 0.5f - pad_y),
                     ImVec2(c.x + ts.x * 0.5f + pad_x, c.y + ts.y * 0.5f + pad_y)};
  }
  // The AUTHORIZATION phase: a frame around its states, named on its top border between
  // the SASL and USER boxes (a fieldset's legend).
  Box phase_label{};
  {
    ImVec2 mn(1e9f, 1e9f), mx(-1e9f, -1e9f);
    for (std::size_t i = 0; i < g.nodes.size(); ++i) {
      if (g.nodes[i].phase != "AUTHORIZATION") continue;
      mn = ImVec2(std::min(mn.x, boxes[i].min.x), std::min(mn.y, boxes[i].min.y));
      mx = ImVec2(std::max(mx.x, boxes[i].max.x), std::max(mx.y, boxes[i].max.y));
    }
    const float m = 6;
    mn = ImVec2(std::max(mn.x - m, origin.x + 1), std::max(mn.y - m, origin.y + 1));
    mx = ImVec2(mx.x + m + ImGui::GetFontSize() * 1.5f, mx.y + m);
    dl->AddRectFilled(mn, mx, IM_COL32(255, 255, 255, 9), 10.0f);
    dl->AddRect(mn, mx, IM_COL32(90, 90, 100, 140), 10.0f);
    const float small = ImGui::GetFontSize() * 0.74f;
    const Box& sasl = boxes[static_cast<std::size_t>(State::SaslExchange)];
    const Box& user = boxes[static_cast<std::size_t>(State::AwaitingPass)];
    const float gap = user.min.x - sasl.max.x - 8;
    const char* label = "AUTHORIZATION phase";
    ImVec2 ls = ImGui::GetFont()->CalcTextSizeA(small, 1e9f, 0, label);
    if (ls.x > gap) {
      label = "AUTHORIZATION";
      ls = ImGui::GetFont()->CalcTextSizeA(small, 1e9f, 0, label);
    }
    const float cx = (sasl.max.x + user.min.x) * 0.5f;
    phase_label = Box{ImVec2(cx - ls.x * 0.5f - 3, mn.y - ls.y * 0.5f),
                      ImVec2(cx + ls.x * 0.5f + 3, mn.y + ls.y * 0.5f)};
    dl->AddRectFilled(phase_label.min, phase_label.max, ImGui::GetColorU32(ImGuiCol_WindowBg));
    dl->AddText(ImGui::GetFont(), small, ImVec2(phase_label.min.x + 3, phase_label.min.y),
                ui::colour::dim, label);
  }

  const GraphEdge* last_edge = last ? find_edge(g, last->from, last->to) : nullptr;
  auto node_index = [&](State st) { return static_cast<std::size_t>(st); };
  std::string hovered_tip;
  // Labels go where they overlap nothing placed before them.
  std::vector<std::pair<ImVec2, ImVec2>> taken;
  for (const Box& b : boxes)
    taken.emplace_back(b.min, b.max);
  taken.emplace_back(phase_label.min, phase_label.max);
  auto overlaps = [&](ImVec2 a, ImVec2 b) {
    for (const auto& [tmin, tmax] : taken)
      if (a.x < tmax.x && b.x > tmin.x && a.y < tmax.y && b.y > tmin.y) return true;
    return false;
  };
  const float fs = ImGui::GetFontSize() * 0.76f;
  auto label = [&](const GraphEdge& e, bool hot, auto point_at) {
    const ImVec2 ls = ImGui::GetFont()->CalcTextSizeA(fs, 1e9f, 0, e.label.c_str());
    ImVec2 lp;
    for (float t : {0.5f, 0.36f, 0.64f, 0.26f, 0.74f, 0.5f}) {
      const ImVec2 m = point_at(t);
      lp = ImVec2(m.x - ls.x * 0.5f, m.y - ls.y * 0.5f);
      if (!overlaps(ImVec2(lp.x - 3, lp.y), ImVec2(lp.x + ls.x + 3, lp.y + ls.y))) break;
    }
    taken.emplace_back(ImVec2(lp.x - 3, lp.y), ImVec2(lp.x + ls.x + 3, lp.y + ls.y));
    dl->AddRectFilled(ImVec2(lp.x - 3, lp.y), ImVec2(lp.x + ls.x + 3, lp.y + ls.y),
                      IM_COL32(27, 27, 32, 230), 3.0f);
    dl->AddText(ImGui::GetFont(), fs, lp, hot ? ui::colour::accent : IM_COL32(170, 170, 182, 255),
                e.label.c_str());
    if (mouse.x >= lp.x && mouse.x <= lp.x + ls.x && mouse.y >= lp.y && mouse.y <= lp.y + ls.y)
      for (const Transition* t : e.rows)
        hovered_tip += transition_label(*t) + ": " + std::string(t->why) + "\n";
  };
  // The hot edge last, so that it is drawn over the others.
  std::vector<const GraphEdge*> order;
  for (const GraphEdge& e : g.edges)
    if (&e != last_edge) order.push_back(&e);
  if (last_edge) order.push_back(last_edge);
  for (const GraphEdge* ep : order) {
    const GraphEdge& e = *ep;
    const bool hot = &e == last_edge;
    const ImU32 c = hot ? ui::colour::accent : IM_COL32(110, 110, 124, 255);
    const float thick = hot ? 3.0f : 1.3f;
    const Box& a = boxes[node_index(e.from)];
    const Box& b = boxes[node_index(e.to)];
    if (e.from == e.to) {
      // A loop on the right of the box.
      const ImVec2 c0 = a.centre();
      const ImVec2 p0(a.max.x, c0.y - 4), p1(a.max.x, c0.y + 4);
      const ImVec2 k1(a.max.x + 30, c0.y - 24), k2(a.max.x + 30, c0.y + 24);
      dl->AddBezierCubic(p0, k1, k2, p1, c, thick);
      arrow_head(dl, p1, ImVec2(a.max.x + 12, c0.y + 10), c, 7);
      label(e, hot, [&](float) {
        return ImVec2(a.max.x + 26 + ImGui::CalcTextSize(e.label.c_str()).x * 0.4f, c0.y);
      });
      continue;
    }
    if (g.nodes[node_index(e.to)].sink) {
      // Straight down into the bar.
      const ImVec2 p0(a.centre().x, a.max.y + 2), p1(a.centre().x, b.min.y - 1);
      dl->AddLine(p0, p1, c, thick);
      arrow_head(dl, p1, p0, c, hot ? 10.0f : 7.0f);
      label(e, hot, [&](float t) { return ImVec2(p0.x, p0.y + (p1.y - p0.y) * t); });
      if (hot && progress < 1.0f)
        dl->AddCircleFilled(ImVec2(p0.x, p0.y + (p1.y - p0.y) * progress), 6.0f,
                            ui::colour::accent);
      continue;
    }
    const ImVec2 ca = a.centre(), cb = b.centre();
    const ImVec2 mid((ca.x + cb.x) * 0.5f, (ca.y + cb.y) * 0.5f);
    const float dx = cb.x - ca.x, dy = cb.y - ca.y;
    const ImVec2 ctrl(mid.x - dy * e.bend, mid.y + dx * e.bend);
    const ImVec2 p0 = border_point(a, ctrl);
    const ImVec2 p1 = border_point(b, ctrl);
    dl->AddBezierQuadratic(p0, ctrl, p1, c, thick);
    arrow_head(dl, p1, bezier(p0, ctrl, p1, 0.9f), c, hot ? 11.0f : 7.0f);
    label(e, hot, [&](float t) { return bezier(p0, ctrl, p1, t); });
    if (hot && progress < 1.0f) {
      const ImVec2 dot = bezier(p0, ctrl, p1, progress);
      dl->AddCircleFilled(dot, 6.0f, ui::colour::accent);
      dl->AddCircle(dot, 9.0f, IM_COL32(66, 150, 250, 120), 0, 2.0f);
    }
  }
  // Nodes.
  for (std::size_t i = 0; i < g.nodes.size(); ++i) {
    const GraphNode& n = g.nodes[i];
    const Box& b = boxes[i];
    const bool is_current = n.name == current;
    const bool was = visited.contains(n.name);
    const ImU32 fill = is_current ? ui::colour::accent : IM_COL32(44, 44, 52, 255);
    const ImU32 border = is_current ? IM_COL32(160, 200, 255, 255)
                         : was      ? ui::colour::state
                                    : IM_COL32(110, 110, 124, 255);
    if (is_current && progress < 1.0f) {
      const float glow = 10.0f * (1.0f - progress);
      dl->AddRectFilled(ImVec2(b.min.x - glow, b.min.y - glow),
                        ImVec2(b.max.x + glow, b.max.y + glow), IM_COL32(66, 150, 250, 60),
                        8.0f + glow);
    }
    dl->AddRectFilled(b.min, b.max, fill, 6.0f);
    dl->AddRect(b.min, b.max, border, 6.0f, 0, is_current ? 2.0f : 1.2f);
    const ImVec2 ts = ImGui::CalcTextSize(n.short_name.c_str());
    const float tx = n.sink ? b.min.x + pad_x * 2 : b.centre().x - ts.x * 0.5f;
    dl->AddText(ImVec2(tx, b.min.y + pad_y),
                is_current ? IM_COL32(255, 255, 255, 255) : ui::colour::text, n.short_name.c_str());
    if (mouse.x >= b.min.x && mouse.x <= b.max.x && mouse.y >= b.min.y && mouse.y <= b.max.y) {
      hovered_tip = n.name + ": " + n.description + "\nLegal here:";
      for (const auto& v : legal_commands(n.name))
        hovered_tip += " " + v;
    }
  }
  // The rows that apply from any state, as one note in the corner.
  {
    const bool any_hot = last && !last_edge && last->to == "CLOSED";
    std::string any = "from any state:";
    for (std::size_t i = 0; i < g.from_any.size(); ++i)
      any += (i ? ", " : " ") + transition_label(*g.from_any[i]);
    const float note = ImGui::GetFontSize() * 0.74f;
    const ImVec2 ts = ImGui::GetFont()->CalcTextSizeA(note, 1e9f, 0, any.c_str());
    const Box& bar = boxes[static_cast<std::size_t>(State::Closed)];
    const ImVec2 tp(bar.max.x - ts.x - 8, bar.centre().y - ts.y * 0.5f);
    const bool bar_lit = current == "CLOSED";
    const ImU32 note_colour = bar_lit   ? IM_COL32(230, 240, 255, 255)
                              : any_hot ? ui::colour::accent
                                        : ui::colour::dim;
    dl->AddText(ImGui::GetFont(), note, tp, note_colour, any.c_str());
    if (mouse.x >= tp.x && mouse.y >= tp.y && mouse.y <= tp.y + ts.y)
      for (const Transition* t : g.from_any)
        hovered_tip += transition_label(*t) + ": " + std::string(t->why) + "\n";
  }
  dl->PopClipRect();
  if (!hovered_tip.empty() && ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30);
    ImGui::TextUnformatted(hovered_tip.c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }

  if (!current.empty()) {
    ui::coloured_text(ui::colour::dim, "legal now:");
    const auto legal = legal_commands(current);
    if (legal.empty()) {
      ImGui::SameLine();
      ui::coloured_text(ui::colour::dim, "nothing (the connection is over)");
    }
    ImGui::SetWindowFontScale(0.78f);
    for (const auto& v : legal) {
      ImGui::SameLine(0, 3);
      if (ImGui::GetContentRegionAvail().x < ImGui::CalcTextSize(v.c_str()).x + 12)
        ImGui::NewLine();
      ui::badge(v, IM_COL32(52, 72, 104, 255), ui::colour::text);
    }
    ImGui::SetWindowFontScale(1.0f);
  }
  if (last) {
    ImGui::PushTextWrapPos(0);
    ui::coloured_text(ui::colour::state, last->from + " \xE2\x86\x92 " + last->to);
    ImGui::SameLine();
    ImGui::TextUnformatted(last->why.c_str());
    ImGui::PopTextWrapPos();
  }
}

}  // namespace pop3::viz
