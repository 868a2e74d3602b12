#include "panels/panel.hpp"

#include <string>

namespace pop3::viz {

std::optional<std::size_t> session_picker(TraceModel& model, const char* id) {
  const auto focus = model.focus();
  if (!focus) return std::nullopt;
  const auto& sessions = model.sessions();
  auto label = [&](std::size_t i) {
    const Session& s = sessions[i];
    return s.id + (s.started ? " (" + std::string(trace::role_name(s.role)) + ")" : "");
  };
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
  if (ImGui::BeginCombo(id, label(*focus).c_str())) {
    for (std::size_t i = 0; i < sessions.size(); ++i) {
      if (ImGui::Selectable(label(i).c_str(), i == *focus)) model.set_focus(i);
    }
    ImGui::EndCombo();
  }
  return model.focus();
}

}  // namespace pop3::viz
