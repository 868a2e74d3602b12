#include "widgets/theme.hpp"

#include <map>
#include <string>

namespace pop3::viz::ui {

ImU32 exposure_colour(std::string_view observed, int alpha) {
  const auto a = static_cast<unsigned>(alpha);
  if (observed == "cleartext") return IM_COL32(240, 80, 80, a);
  if (observed == "base64") return IM_COL32(245, 150, 60, a);
  if (observed == "digest") return IM_COL32(230, 200, 70, a);
  if (observed == "salted-proof") return IM_COL32(90, 160, 230, a);
  if (observed == "encrypted") return IM_COL32(96, 206, 190, a);
  return IM_COL32(150, 150, 160, a);
}

void coloured_text(ImU32 colour, std::string_view text) {
  ImGui::PushStyleColor(ImGuiCol_Text, colour);
  ImGui::TextUnformatted(text.data(), text.data() + text.size());
  ImGui::PopStyleColor();
}

void badge(std::string_view text, ImU32 background, ImU32 foreground) {
  const ImVec2 pad(5, 1);
  const ImVec2 size = ImGui::CalcTextSize(text.data(), text.data() + text.size());
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float h = ImGui::GetTextLineHeight();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p, ImVec2(p.x + size.x + 2 * pad.x, p.y + h + 2 * pad.y), background, 4.0f);
  dl->AddText(ImVec2(p.x + pad.x, p.y + pad.y), foreground, text.data(), text.data() + text.size());
  ImGui::Dummy(ImVec2(size.x + 2 * pad.x, h + 2 * pad.y));
}

void tooltip(std::string_view text) {
  if (text.empty() || !ImGui::IsItemHovered()) return;
  show_tooltip(text);
}

void show_tooltip(std::string_view text) {
  if (text.empty()) return;
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 32.0f);
  ImGui::TextUnformatted(text.data(), text.data() + text.size());
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
}

namespace {
std::map<std::string, std::pair<ImVec2, ImVec2>, std::less<>>& noted() {
  static std::map<std::string, std::pair<ImVec2, ImVec2>, std::less<>> items;
  return items;
}
}  // namespace

void note_item(std::string_view name) {
  noted()[std::string(name)] = {ImGui::GetItemRectMin(), ImGui::GetItemRectMax()};
}

bool item_rect(std::string_view name, ImVec2& min, ImVec2& max) {
  const auto it = noted().find(name);
  if (it == noted().end()) return false;
  min = it->second.first;
  max = it->second.second;
  return true;
}

}  // namespace pop3::viz::ui
