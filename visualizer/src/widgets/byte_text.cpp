#include "widgets/byte_text.hpp"

#include <cstdio>
#include <string>

namespace pop3::viz::ui {

namespace {

ImU32 highlight_at(std::span<const Highlight> hs, std::uint64_t offset) {
  for (const auto& h : hs)
    if (offset >= h.begin && offset < h.end) return h.colour;
  return 0;
}

// The UTF-8 sequence at s[i] (2..4 bytes, valid), or 0.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  const std::size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  return n;
}

}  // namespace

float draw_bytes(ImDrawList* dl, const Fonts& fonts, ImVec2 pos, std::string_view bytes,
                 std::uint64_t base, std::span<const Highlight> highlights,
                 const ByteTextOptions& options) {
  ImFont* font = fonts.mono ? fonts.mono : ImGui::GetFont();
  const float size = font->FontSize;
  const float small = size * 0.72f;
  const float line_h = size;
  float x = pos.x;
  const float limit = options.max_width > 0 ? pos.x + options.max_width : 1e30f;
  std::size_t i = 0;
  while (i < bytes.size() && x < limit) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    const std::uint64_t at = base + i;
    const ImU32 bg = highlight_at(highlights, at);
    // A run of plain printable bytes with the same highlight, drawn in one call.
    if ((c >= 0x20 && c < 0x7F) || utf8_length(bytes, i)) {
      std::size_t j = i;
      if (i == 0 && options.mark_stuffed_dot && c == '.') {
        j = 1;  // the stuffed dot, drawn on its own
      } else {
        while (j < bytes.size()) {
          const auto cj = static_cast<unsigned char>(bytes[j]);
          const std::size_t step = cj >= 0x20 && cj < 0x7F ? 1 : utf8_length(bytes, j);
          if (step == 0 || highlight_at(highlights, base + j) != bg) break;
          j += step;
        }
      }
      const std::string_view run = bytes.substr(i, j - i);
      const ImVec2 w = font->CalcTextSizeA(size, 1e30f, 0, run.data(), run.data() + run.size());
      ImU32 fg = options.colour;
      if (i == 0 && options.mark_stuffed_dot && c == '.') {
        fg = colour::stuffed;
        dl->AddRect(ImVec2(x - 1, pos.y), ImVec2(x + w.x + 1, pos.y + line_h), colour::stuffed,
                    2.0f);
      }
      if (options.mark_terminator && c == '.') fg = colour::dim;
      if (bg) dl->AddRectFilled(ImVec2(x, pos.y), ImVec2(x + w.x, pos.y + line_h), bg);
      if (bg) fg = IM_COL32(20, 20, 24, 255);
      dl->AddText(font, size, ImVec2(x, pos.y), fg, run.data(), run.data() + run.size());
      x += w.x;
      i = j;
      continue;
    }
    // A pill for one control or 8-bit byte.
    char label[8];
    switch (c) {
      case '\r':
        std::snprintf(label, sizeof label, "CR");
        break;
      case '\n':
        std::snprintf(label, sizeof label, "LF");
        break;
      case '\t':
        std::snprintf(label, sizeof label, "TAB");
        break;
      case 0:
        std::snprintf(label, sizeof label, "NUL");
        break;
      default:
        std::snprintf(label, sizeof label, "%02X", c);
        break;
    }
    const ImVec2 w = font->CalcTextSizeA(small, 1e30f, 0, label);
    const float pad = 2.0f;
    const float top = pos.y + (line_h - small) * 0.5f - 1;
    dl->AddRectFilled(ImVec2(x + 1, top), ImVec2(x + w.x + 2 * pad + 1, top + small + 2),
                      bg ? bg : colour::pill_bg, 3.0f);
    dl->AddText(font, small, ImVec2(x + pad + 1, top + 1),
                bg ? IM_COL32(20, 20, 24, 255) : colour::dim, label);
    x += w.x + 2 * pad + 3;
    ++i;
  }
  return x - pos.x;
}

void byte_text(const Fonts& fonts, std::string_view bytes, std::uint64_t base,
               std::span<const Highlight> highlights, const ByteTextOptions& options) {
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float w =
      draw_bytes(ImGui::GetWindowDrawList(), fonts, p, bytes, base, highlights, options);
  const float h = (fonts.mono ? fonts.mono : ImGui::GetFont())->FontSize;
  ImGui::Dummy(ImVec2(w > 0 ? w : 1, h));
}

void hex_view(const Fonts& fonts, std::string_view bytes, std::uint64_t base,
              std::span<const Highlight> highlights) {
  ImFont* font = fonts.mono ? fonts.mono : ImGui::GetFont();
  ImGui::PushFont(font);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float cw = ImGui::CalcTextSize("0").x;
  const float lh = ImGui::GetTextLineHeightWithSpacing();
  const std::size_t lines = (bytes.size() + 15) / 16;
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(ImGui::GetStyle().ItemSpacing.x, 0));
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(lines), lh);
  while (clipper.Step()) {
    for (int line = clipper.DisplayStart; line < clipper.DisplayEnd; ++line) {
      const std::size_t from = static_cast<std::size_t>(line) * 16;
      const ImVec2 p = ImGui::GetCursorScreenPos();
      char off[24];
      std::snprintf(off, sizeof off, "%08llx", static_cast<unsigned long long>(base + from));
      dl->AddText(p, colour::dim, off);
      for (std::size_t k = 0; k < 16 && from + k < bytes.size(); ++k) {
        const auto c = static_cast<unsigned char>(bytes[from + k]);
        const float hx = p.x + cw * (10 + static_cast<float>(k) * 3 + (k >= 8 ? 1 : 0));
        const float ax = p.x + cw * (10 + 16 * 3 + 2 + static_cast<float>(k));
        const ImU32 bg = highlight_at(highlights, base + from + k);
        if (bg) {
          dl->AddRectFilled(ImVec2(hx - 1, p.y), ImVec2(hx + cw * 2 + 1, p.y + lh - 1), bg);
          dl->AddRectFilled(ImVec2(ax, p.y), ImVec2(ax + cw, p.y + lh - 1), bg);
        }
        char hx_text[4];
        std::snprintf(hx_text, sizeof hx_text, "%02x", c);
        const ImU32 fg = bg                         ? IM_COL32(20, 20, 24, 255)
                         : (c == '\r' || c == '\n') ? colour::dim
                                                    : colour::text;
        dl->AddText(ImVec2(hx, p.y), fg, hx_text);
        const char ch = c >= 0x20 && c < 0x7F ? static_cast<char>(c) : '.';
        dl->AddText(ImVec2(ax, p.y), c >= 0x20 && c < 0x7F ? fg : colour::faint, &ch, &ch + 1);
      }
      ImGui::Dummy(ImVec2(cw * (10 + 16 * 3 + 2 + 16), lh));
    }
  }
  clipper.End();
  ImGui::PopStyleVar();
  ImGui::PopFont();
}

}  // namespace pop3::viz::ui
