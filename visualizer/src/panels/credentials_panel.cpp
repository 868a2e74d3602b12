#include "panels/credentials_panel.hpp"

#include <string>

#include "model/exposure_view.hpp"
#include "model/text.hpp"
#include "widgets/byte_text.hpp"

namespace pop3::viz {

namespace {

std::string tls_mode(const TraceModel& model, std::size_t cursor) {
  for (std::size_t i = 0; i < model.sessions().size(); ++i) {
    const TlsView v = model.tls_at(i, cursor);
    if (v.status == TlsStatus::Established) return v.implicit ? "implicit TLS" : "STLS";
  }
  return "no TLS";
}

}  // namespace

void CredentialsPanel::column(PanelContext& ctx, const TraceModel& model, std::size_t cursor,
                              int id) {
  ImGui::PushID(id);
  const auto seen = observer_exposures(model, cursor);
  if (seen.empty()) {
    ImGui::PushTextWrapPos(0);
    ui::coloured_text(ui::colour::dim, "No secret has crossed yet.");
    ImGui::PopTextWrapPos();
    ImGui::PopID();
    return;
  }
  // A lab shows a handful; a server's trace of thousands of connections would draw every
  // one of them each frame (past what a 16-bit draw list holds). The newest are what the
  // cursor is about; the rest are a count, and back in time with the cursor.
  std::size_t first = 0;
  if (seen.size() > kMaxShown) {
    first = seen.size() - kMaxShown;
    ImGui::PushTextWrapPos(0);
    ui::coloured_text(ui::colour::dim, std::to_string(first) +
                                           " earlier exposures are not listed: the newest " +
                                           std::to_string(kMaxShown) +
                                           " are. Move the cursor back to list the earlier ones.");
    ImGui::PopTextWrapPos();
    ImGui::Spacing();
  }
  for (std::size_t k = first; k < seen.size(); ++k) {
    const ExposureEntry* x = seen[k];
    const ExposureView v = describe(model, *x, cursor);
    const ImU32 c = ui::exposure_colour(v.observed);
    ImGui::PushID(x);
    ui::badge(v.observed, c);
    const bool badge_hovered = ImGui::IsItemHovered();
    ImGui::SameLine();
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted(x->label.c_str());
    ImGui::PopTextWrapPos();
    if (badge_hovered || ImGui::IsItemHovered())
      ui::show_tooltip("The bytes are " + x->kind + "; they crossed on the " +
                       std::string(trace::channel_name(x->channel)) + " channel (" +
                       std::string(direction_name(x->dir)) + ", octets " +
                       std::to_string(x->offset) + "-" + std::to_string(x->offset + x->length) +
                       ").");
    if (!v.crossed) {
      ui::coloured_text(ui::colour::dim, "(announced; its bytes have not crossed yet)");
    } else if (v.readable) {
      ImGui::Indent();
      if (v.redacted) {
        ui::coloured_text(ui::colour::dim,
                          "(masked in this trace: " + std::to_string(x->length) + " octets)");
      } else {
        const ui::Highlight h{0, v.seen.size(), ui::exposure_colour(v.observed, 230)};
        ui::byte_text(ctx.fonts, v.seen, 0, std::span(&h, 1));
        if (v.decoded) {
          ui::coloured_text(ui::colour::dim, "decodes to");
          ImGui::SameLine();
          ui::byte_text(ctx.fonts, *v.decoded);
        }
      }
      ImGui::Unindent();
    } else if (!v.ciphertext.empty()) {
      ImGui::Indent();
      ImGui::PushFont(ctx.fonts.mono);
      ImGui::PushTextWrapPos(0);
      ui::coloured_text(ui::colour::tls, hex_bytes(v.ciphertext, 16));
      ImGui::PopTextWrapPos();
      ImGui::PopFont();
      ui::tooltip("What crossed: a TLS " + std::string(tls_content_type_name(v.tls_type)) +
                  " record of " + std::to_string(v.ciphertext.size()) +
                  " octets, the first of them shown.");
      ImGui::Unindent();
    }
    ImGui::PushTextWrapPos(0);
    ui::coloured_text(ui::colour::dim, v.learned);
    ImGui::PopTextWrapPos();
    ImGui::Spacing();
    ImGui::PopID();
  }
  ImGui::PopID();
}

void CredentialsPanel::draw(PanelContext& ctx) {
  const std::size_t cursor = ctx.model.cursor();
  const TraceModel* other = ctx.sim ? &ctx.sim->comparison() : nullptr;
  if (!other) {
    ImGui::PushTextWrapPos(0);
    ui::coloured_text(ui::colour::dim, "What an observer on the path learned (" +
                                           tls_mode(ctx.model, cursor) + "):");
    ImGui::PopTextWrapPos();
    column(ctx, ctx.model, cursor, 0);
    return;
  }
  if (ImGui::BeginTable("##cols", 2,
                        ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchSame)) {
    ImGui::TableSetupColumn("this run");
    ImGui::TableSetupColumn("comparison");
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    ImGui::PushTextWrapPos(0);
    ui::coloured_text(ui::colour::accent, "This run (" + tls_mode(ctx.model, cursor) + ")");
    ImGui::PopTextWrapPos();
    ImGui::TableSetColumnIndex(1);
    ImGui::PushTextWrapPos(0);
    ui::coloured_text(ui::colour::tls, "The same lab, " + tls_mode(*other, other->size()));
    ImGui::PopTextWrapPos();
    ui::tooltip("The simulator plays " + ctx.sim->variant().title +
                " beside this run, step for step (same seed, same steps" +
                (ctx.sim->variant().with_tls ? ", plus STLS right after connecting)."
                                             : ", without STARTTLS)."));
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    column(ctx, ctx.model, cursor, 1);
    ImGui::TableSetColumnIndex(1);
    column(ctx, *other, other->size(), 2);
    ImGui::EndTable();
  }
}

}  // namespace pop3::viz
