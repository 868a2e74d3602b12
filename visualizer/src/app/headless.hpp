#pragma once
// An ImGui context without a window or a renderer, for drawing the app's frames in tests
// and benchmarks: the UI's own work (layout, input, clipping, draw lists), no GPU. The
// size is the one the layout is made for. One at a time (ImGui has one current context).
#include <imgui.h>

#include "app/app.hpp"

namespace pop3::viz {

struct HeadlessContext {
  double now = 0;  // the `now` each frame gets, 1/60 s apart
  HeadlessContext() {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(1280, 800);
    io.DeltaTime = 1.0f / 60.0f;
    io.IniFilename = nullptr;
  }
  ~HeadlessContext() { ImGui::DestroyContext(); }
  HeadlessContext(const HeadlessContext&) = delete;
  HeadlessContext& operator=(const HeadlessContext&) = delete;

  void frame(App& app) {
    if (app.fonts_dirty()) app.build_fonts();
    ImGui::NewFrame();
    app.frame(now);
    ImGui::Render();
    now += 1.0 / 60.0;
  }
  void frames(App& app, int n) {
    for (int i = 0; i < n; ++i)
      frame(app);
  }
};

}  // namespace pop3::viz
