// pop3-viz: the window through which students see a POP3 session. This is the only file
// that knows GLFW and OpenGL: it makes the window, feeds ImGui its input, gives the app a
// frame at a time and draws what ImGui made. Everything else is in the app, the panels
// and the model (docs/visualizer.md).
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <imgui_internal.h>
#include <stb_image_write.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/app.hpp"
#include "pop3/labs/lab_file.hpp"

namespace {

// SIGINT and SIGTERM end the program the way closing the window does: settings saved,
// --save-trace and --export-pcap written.
std::atomic<bool> stop_requested{false};
extern "C" void request_stop(int) {
  stop_requested = true;
}

void glfw_error(int code, const char* text) {
  std::cerr << "pop3-viz: GLFW error " << code << ": " << text << "\n";
}

// Writes the back buffer (or the part a window covers) as a PNG.
bool screenshot(const std::string& path, int fb_w, int fb_h, const std::string& window_name) {
  std::vector<unsigned char> pixels(static_cast<std::size_t>(fb_w) *
                                    static_cast<std::size_t>(fb_h) * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, fb_w, fb_h, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
  int x0 = 0, y0 = 0, w = fb_w, h = fb_h;
  if (!window_name.empty()) {
    ImGuiWindow* win = ImGui::FindWindowByName(window_name.c_str());
    if (!win) {
      std::cerr << "pop3-viz: no window named \"" << window_name << "\" to capture\n";
      return false;
    }
    const ImVec2 scale = ImGui::GetIO().DisplayFramebufferScale;
    x0 = std::max(0, static_cast<int>(win->Pos.x * scale.x));
    y0 = std::max(0, static_cast<int>(win->Pos.y * scale.y));
    w = std::min(fb_w - x0, static_cast<int>(win->Size.x * scale.x));
    h = std::min(fb_h - y0, static_cast<int>(win->Size.y * scale.y));
  }
  // OpenGL's rows go bottom up; a PNG's top down.
  std::vector<unsigned char> out(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4);
  for (int row = 0; row < h; ++row) {
    const int src_row = fb_h - 1 - (y0 + row);
    const unsigned char* src =
        pixels.data() + (static_cast<std::size_t>(src_row) * static_cast<std::size_t>(fb_w) +
                         static_cast<std::size_t>(x0)) *
                            4;
    std::copy(src, src + static_cast<std::ptrdiff_t>(w) * 4,
              out.data() + static_cast<std::size_t>(row) * static_cast<std::size_t>(w) * 4);
  }
  for (std::size_t i = 3; i < out.size(); i += 4)
    out[i] = 255;  // opaque
  if (!stbi_write_png(path.c_str(), w, h, 4, out.data(), w * 4)) {
    std::cerr << "pop3-viz: cannot write " << path << "\n";
    return false;
  }
  std::cerr << "pop3-viz: wrote " << path << " (" << w << "x" << h << ")\n";
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{
      "pop3-viz: see a POP3 session - the conversation, the state machine, the wire and what an "
      "eavesdropper learns. Opens lab 1 on the simulator unless told otherwise."};
  std::optional<int> lab;
  std::optional<std::string> trace_file, live, relay;
  std::string upstream;
  bool upstream_tls = false;
  long frames = 0, shot_after = 0;
  std::string shot_file = "pop3-viz.png", shot_window;
  std::size_t steps = 0;
  std::optional<double> interval;
  std::optional<float> zoom;
  std::string size = "1280x800";
  bool no_settings = false, list = false;
  cli.add_option("--lab", lab,
                 "play lab N on the simulator (with --trace: judge the trace with lab N's checks)");
  cli.add_option("--trace", trace_file, "open a recorded trace (JSON Lines)");
  cli.add_option("--live", live,
                 "follow pop3-server's live trace feed (its --trace-feed ADDR:PORT, loopback)")
      ->excludes("--trace");
  auto* relay_opt =
      cli.add_option("--relay", relay,
                     "listen on this loopback ADDR:PORT and relay each client to --upstream, "
                     "showing what crosses")
          ->excludes("--trace")
          ->excludes("--live");
  cli.add_option("--upstream", upstream, "the POP3 server the relay forwards to (HOST:PORT)")
      ->needs(relay_opt);
  cli.add_flag("--upstream-tls", upstream_tls,
               "the upstream server speaks TLS from the first byte (995)")
      ->needs(relay_opt);
  relay_opt->needs("--upstream");
  cli.add_option("--frames", frames, "exit after N frames (tests, screenshots)");
  cli.add_option("--screenshot-after", shot_after, "after frame N, save the window as a PNG");
  cli.add_option("--screenshot", shot_file,
                 "where --screenshot-after writes (default pop3-viz.png)");
  cli.add_option("--screenshot-window", shot_window,
                 "capture only this panel (\"Sequence\", \"Wire\", ...)");
  cli.add_option("--steps", steps, "perform the lab's first N steps at start");
  cli.add_option("--interval", interval, "seconds between steps when running (0: at once)");
  cli.add_option("--zoom", zoom, "font size factor (default 1, or as last set)");
  cli.add_option("--size", size, "window size, WIDTHxHEIGHT (default 1280x800)");
  cli.add_flag("--no-settings", no_settings,
               "neither read nor write settings (imgui.ini, viz.ini)");
  cli.add_flag("--list-labs", list, "print the labs' numbers and titles, and exit");
  std::optional<std::string> save_file, pcap_file, keylog_file;
  cli.add_option("--save-trace", save_file,
                 "on exit, write what was shown as a trace (JSON Lines)");
  cli.add_option("--export-pcap", pcap_file,
                 "on exit, write the wire as a packet capture for Wireshark");
  cli.add_option("--keylog", keylog_file,
                 "with --export-pcap: also write the simulator's TLS keys (SSLKEYLOGFILE format)")
      ->needs("--export-pcap");
  CLI11_PARSE(cli, argc, argv);

  if (list) {
    try {
      for (const auto& l : pop3::labs::load_labs(pop3::labs::default_labs_root()))
        std::cout << l.number << "\t" << l.title << "\n";
    } catch (const std::exception& e) {
      std::cerr << "pop3-viz: " << e.what() << "\n";
      return 1;
    }
    return 0;
  }
  int width = 1280, height = 800;
  if (std::sscanf(size.c_str(), "%dx%d", &width, &height) != 2 || width < 320 || height < 240) {
    std::cerr << "pop3-viz: --size wants WIDTHxHEIGHT, got " << size << "\n";
    return 2;
  }

  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
  glfwSetErrorCallback(glfw_error);
  if (!glfwInit()) {
    std::cerr << "pop3-viz: cannot open a window (no display? set DISPLAY, or use pop3-lab in a "
                 "terminal)\n";
    return 1;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  GLFWwindow* window = glfwCreateWindow(width, height, "pop3-viz", nullptr, nullptr);
  if (!window) {
    glfwTerminate();
    return 1;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(1);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  int status = 0;
  {
    pop3::viz::AppOptions options;
    options.lab = lab;
    if (trace_file) options.trace = *trace_file;
    options.live = live;
    options.relay = relay;
    options.upstream = upstream;
    options.upstream_tls = upstream_tls;
    options.config_dir = no_settings ? std::filesystem::path() : pop3::viz::default_config_dir();
    options.interval = interval;
    options.steps = steps;
    pop3::viz::App app(std::move(options));
    if (zoom) app.set_zoom(*zoom);
    app.build_fonts();
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 330 core");

    // A picture should not have a tooltip where the pointer happens to be: park it on the
    // menu bar's empty middle.
    if (shot_after > 0) glfwSetCursorPos(window, width * 0.3, 3);
    double frame_total = 0, frame_max = 0;
    long frame_count = 0;
    const auto start = std::chrono::steady_clock::now();
    auto seconds = [&] {
      return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    for (long frame = 1; !glfwWindowShouldClose(window) && !app.quit_requested() && !stop_requested;
         ++frame) {
      const auto frame_start = std::chrono::steady_clock::now();
      // Idle: wait for input (a little); busy or counting frames: keep going.
      if (frames > 0 || app.busy(seconds()))
        glfwPollEvents();
      else
        glfwWaitEventsTimeout(0.25);
      if (app.fonts_dirty()) {
        app.build_fonts();
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        ImGui_ImplOpenGL3_CreateFontsTexture();
      }
      ImGui_ImplOpenGL3_NewFrame();
      ImGui_ImplGlfw_NewFrame();
      ImGui::NewFrame();
      app.frame(seconds());
      ImGui::Render();
      int fb_w = 0, fb_h = 0;
      glfwGetFramebufferSize(window, &fb_w, &fb_h);
      glViewport(0, 0, fb_w, fb_h);
      glClearColor(0.08f, 0.08f, 0.09f, 1.0f);
      glClear(GL_COLOR_BUFFER_BIT);
      ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
      if (shot_after > 0 && frame == shot_after && !screenshot(shot_file, fb_w, fb_h, shot_window))
        status = 3;
      glfwSwapBuffers(window);
      const auto spent = std::chrono::steady_clock::now() - frame_start;
      const double ms = std::chrono::duration<double, std::milli>(spent).count();
      frame_total += ms;
      frame_max = std::max(frame_max, ms);
      ++frame_count;
      if (frames > 0 && frame >= frames) break;
      // Xvfb has no vsync: cap the rate at about 60 frames a second.
      if (spent < std::chrono::milliseconds(16))
        std::this_thread::sleep_for(std::chrono::milliseconds(16) - spent);
    }
    if (frames > 0 && frame_count > 0)
      std::cerr << "pop3-viz: " << frame_count << " frames, "
                << frame_total / static_cast<double>(frame_count) << " ms on average, the longest "
                << frame_max << " ms\n";
    app.save();
    const auto write = [&](bool ok) {
      std::cerr << "pop3-viz: " << app.status() << "\n";
      if (!ok) status = 4;
    };
    if (save_file) write(app.save_trace_to(*save_file));
    if (pcap_file) write(app.export_capture_to(*pcap_file, keylog_file.value_or("")));
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
  }
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return status;
}
