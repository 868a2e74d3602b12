#pragma once
// A panel is one window of pop3-viz: glue between the model and ImGui, one file each.
// The app owns the panels, opens each window (Begin/End, default place) and calls draw()
// inside it with the context of this frame.
#include <imgui.h>

#include "model/sim_source.hpp"
#include "model/source.hpp"
#include "model/trace_model.hpp"
#include "pop3/labs/lab.hpp"
#include "widgets/theme.hpp"

namespace pop3::viz {

struct PanelContext {
  TraceModel& model;
  Source* source = nullptr;        // where records come from (may be null)
  SimSource* sim = nullptr;        // the same, when it is the simulator
  const labs::Lab* lab = nullptr;  // the lab chosen (its checks apply to any source)
  ui::Fonts fonts;
  double now = 0;  // seconds, monotonic (animations)
};

class Panel {
 public:
  virtual ~Panel() = default;
  Panel(const Panel&) = delete;
  Panel& operator=(const Panel&) = delete;

  // The window title; also its key in imgui.ini.
  [[nodiscard]] virtual const char* name() const noexcept = 0;
  virtual void draw(PanelContext& ctx) = 0;
  // Extra window flags (a panel that draws its own scrolling list, ...).
  [[nodiscard]] virtual ImGuiWindowFlags flags() const noexcept { return 0; }

  bool visible = true;

 protected:
  Panel() = default;
};

// The focused session, drawn as a combo box; returns it (or nullopt without sessions).
std::optional<std::size_t> session_picker(TraceModel& model, const char* id);

}  // namespace pop3::viz
