#include "panels/sessions_panel.hpp"

#include <string>

#include "model/maildrop_view.hpp"

namespace pop3::viz {

namespace {

std::string tls_text(const TlsView& v) {
  switch (v.status) {
    case TlsStatus::None:
      return "plain";
    case TlsStatus::Requested:
      return "handshake";
    case TlsStatus::Established:
      return v.implicit                     ? "TLS (implicit)"
             : v.version.starts_with("TLS") ? v.version
                                            : "TLS " + v.version;
    case TlsStatus::Failed:
      return "TLS failed";
  }
  return "";
}

}  // namespace

void SessionsPanel::draw(PanelContext& ctx) {
  TraceModel& model = ctx.model;
  const std::size_t cursor = model.cursor();
  const auto focus = model.focus();
  if (!focus) {
    ui::coloured_text(ui::colour::dim, "No session yet.");
    return;
  }
  // The maildrop: prefer a session that saw it; the focused one first.
  if (view_revision_ != model.revision() || view_cursor_ != cursor || view_focus_ != *focus) {
    view_revision_ = model.revision();
    view_cursor_ = cursor;
    view_focus_ = *focus;
    view_from_ = *focus;
    view_ = maildrop_at(model, view_from_, cursor);
    if (!view_.known()) {
      for (std::size_t i = 0; i < model.sessions().size(); ++i) {
        MaildropView other = maildrop_at(model, i, cursor);
        if (other.known()) {
          view_ = std::move(other);
          view_from_ = i;
          break;
        }
      }
    }
  }
  const MaildropView& view = view_;
  const std::size_t from = view_from_;
  ui::coloured_text(ui::colour::accent, "Maildrop");
  ImGui::SameLine();
  ui::coloured_text(ui::colour::dim, "as " + model.session(from).id + "'s trace shows it");
  if (view.count) {
    ImGui::SameLine();
    ImGui::TextUnformatted(
        ("- STAT: " + std::to_string(*view.count) + " messages" +
         (view.octets ? ", " + std::to_string(*view.octets) + " octets" : std::string()))
            .c_str());
  }
  if (!view.messages.empty() &&
      ImGui::BeginTable("##maildrop", 4,
                        ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                            ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn("#", ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn("octets", ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn("UIDL");
    ImGui::TableSetupColumn("mark");
    ImGui::TableHeadersRow();
    for (const auto& m : view.messages) {
      ImGui::TableNextRow();
      const ImU32 c = m.deleted ? ui::colour::err : ui::colour::text;
      ImGui::TableSetColumnIndex(0);
      ui::coloured_text(c, std::to_string(m.number));
      ImGui::TableSetColumnIndex(1);
      ui::coloured_text(c, m.size ? std::to_string(*m.size) : "?");
      ImGui::TableSetColumnIndex(2);
      ImGui::PushFont(ctx.fonts.mono);
      ui::coloured_text(m.uidl.empty() ? ui::colour::faint : c, m.uidl.empty() ? "-" : m.uidl);
      ImGui::PopFont();
      ImGui::TableSetColumnIndex(3);
      if (m.deleted)
        ui::coloured_text(ui::colour::err, "\xE2\x9C\x97 deleted");
      else if (m.retrieved)
        ui::coloured_text(ui::colour::ok, "\xE2\x9C\x93 retrieved");
    }
    ImGui::EndTable();
  }
  if (!view.known()) ui::coloured_text(ui::colour::dim, "No STAT, LIST or UIDL reply yet.");
  ImGui::PushTextWrapPos(0);
  const ImU32 c = view.phase == UpdatePhase::Transaction ? ui::colour::cont
                  : view.phase == UpdatePhase::Updated || view.phase == UpdatePhase::Updating
                      ? ui::colour::ok
                      : ui::colour::dim;
  ui::coloured_text(c, view.update);
  ImGui::PopTextWrapPos();

  ImGui::Spacing();
  ui::coloured_text(ui::colour::accent, "Sessions");
  if (model.header()) {
    if (const auto* h = std::get_if<trace::HeaderRecord>(&model.header()->body)) {
      ImGui::SameLine();
      ui::coloured_text(ui::colour::dim, "in a trace by " + h->producer);
    }
  }
  const ImGuiTableFlags flags =
      ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingFixedFit;
  if (ImGui::BeginTable("##sessions", 5, flags)) {
    ImGui::TableSetupColumn("session");
    ImGui::TableSetupColumn("role");
    ImGui::TableSetupColumn("state");
    ImGui::TableSetupColumn("TLS");
    ImGui::TableSetupColumn("end", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableHeadersRow();
    // Sessions are made in the order their first record came, so those begun before the
    // cursor are a prefix; a server's trace may hold thousands: clip.
    const std::size_t begun = TraceModel::visible_count(
        model.sessions(), cursor, [](const Session& x) { return x.records.front(); });
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(begun));
    while (clipper.Step())
      for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
        const auto i = static_cast<std::size_t>(row);
        const Session& s = model.session(i);
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::PushID(static_cast<int>(i));
        if (ImGui::Selectable(s.id.c_str(), focus && *focus == i,
                              ImGuiSelectableFlags_SpanAllColumns))
          model.set_focus(i);
        ImGui::PopID();
        ui::tooltip("peer " + s.peer + (s.label.empty() ? "" : "\n" + s.label) + "\n" +
                    std::to_string(s.records.size()) +
                    " records. Click: show this session in the sequence and state panels.");
        ImGui::TableSetColumnIndex(1);
        ImGui::TextUnformatted(s.started ? std::string(trace::role_name(s.role)).c_str() : "?");
        ImGui::TableSetColumnIndex(2);
        const std::string state = model.state_at(i, cursor);
        ui::coloured_text(ui::colour::state, state.empty() ? "-" : state);
        ImGui::TableSetColumnIndex(3);
        const TlsView tls = model.tls_at(i, cursor);
        ui::coloured_text(tls.status == TlsStatus::Established ? ui::colour::tls
                          : tls.status == TlsStatus::Failed    ? ui::colour::err
                                                               : ui::colour::dim,
                          tls_text(tls));
        ImGui::TableSetColumnIndex(4);
        if (s.ended && *s.ended < cursor)
          ui::coloured_text(s.update_done ? ui::colour::ok : ui::colour::dim,
                            s.update_done ? "UPDATE done" : "ended");
        else
          ui::coloured_text(ui::colour::dim, "open");
      }
    clipper.End();
    ImGui::EndTable();
  }
}

}  // namespace pop3::viz
