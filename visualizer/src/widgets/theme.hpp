#pragma once
// Colours and fonts shared by the panels. One place, so the client is the same blue in
// the sequence diagram, the wire view and the timeline.
#include <imgui.h>

#include <string_view>

namespace pop3::viz::ui {

struct Fonts {
  ImFont* ui = nullptr;    // DejaVu Sans (or ImGui's default)
  ImFont* mono = nullptr;  // DejaVu Sans Mono (or ImGui's default)
  float size = 16.0f;      // the UI font's pixel size (zoom included)
};

namespace colour {
inline constexpr ImU32 client = IM_COL32(93, 169, 233, 255);  // C -> S
inline constexpr ImU32 server = IM_COL32(236, 176, 84, 255);  // S -> C
inline constexpr ImU32 ok = IM_COL32(108, 192, 112, 255);     // +OK, a check that holds
inline constexpr ImU32 err = IM_COL32(240, 96, 88, 255);      // -ERR, a failure
inline constexpr ImU32 cont = IM_COL32(224, 186, 72, 255);    // "+ " continuation
inline constexpr ImU32 state = IM_COL32(176, 140, 240, 255);  // state changes
inline constexpr ImU32 tls = IM_COL32(96, 206, 190, 255);     // TLS events, ciphertext
inline constexpr ImU32 dim = IM_COL32(150, 150, 160, 255);    // secondary text
inline constexpr ImU32 faint = IM_COL32(90, 90, 100, 255);    // lifelines, grid
inline constexpr ImU32 text = IM_COL32(230, 230, 235, 255);
inline constexpr ImU32 select_bg = IM_COL32(70, 110, 170, 110);  // the selection
inline constexpr ImU32 linked_bg = IM_COL32(70, 110, 170, 60);   // the same bytes elsewhere
inline constexpr ImU32 pill_bg = IM_COL32(70, 70, 82, 255);      // CR LF NUL pills
inline constexpr ImU32 stuffed = IM_COL32(255, 120, 200, 255);   // a stuffed dot
inline constexpr ImU32 accent = IM_COL32(66, 150, 250, 255);     // current state
}  // namespace colour

// Background of secret bytes by what an observer gets: cleartext red, base64 orange,
// digest yellow, salted proof blue, encrypted teal.
[[nodiscard]] ImU32 exposure_colour(std::string_view observed, int alpha = 255);

[[nodiscard]] inline ImVec4 to_vec4(ImU32 c) {
  return ImGui::ColorConvertU32ToFloat4(c);
}

// Text in a colour (a thin wrapper that reads better at call sites).
void coloured_text(ImU32 colour, std::string_view text);
// A small rounded badge with text, on the current line.
void badge(std::string_view text, ImU32 background, ImU32 foreground = IM_COL32(20, 20, 24, 255));
// A tooltip with wrapped text when the last item is hovered.
void tooltip(std::string_view text);
// The same, shown now (the caller decided it is wanted).
void show_tooltip(std::string_view text);

// Where an item was drawn last, by a name ("Lab/Step"): panels note their main controls
// so that tests (and scripted screenshots) can aim a click without a test engine.
void note_item(std::string_view name);
[[nodiscard]] bool item_rect(std::string_view name, ImVec2& min, ImVec2& max);

}  // namespace pop3::viz::ui
