#pragma once
// The app: owns the model, the source and the panels; draws the menus, places the windows
// on first use (1.86 has no docking), handles the keyboard shortcuts, the fonts and their
// zoom, and the settings. It knows ImGui but not GLFW or OpenGL: main.cpp gives it frames,
// and tests drive it with headless ImGui frames.
#include <imgui.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/settings.hpp"
#include "model/source.hpp"
#include "model/trace_model.hpp"
#include "panels/panel.hpp"
#include "pop3/labs/lab.hpp"

namespace pop3::viz {

class LabPanel;
class SequencePanel;
class StatePanel;
class WirePanel;

// Key codes in io.KeysDown[] for the letter shortcuts. The defaults are GLFW's codes
// (printable keys are their upper-case ASCII value); ImGuiKey_ has no letters in 1.86.
struct KeyCodes {
  int n = 'N', r = 'R', p = 'P', o = 'O';
  int equal = '=', minus = '-', zero = '0';
  int kp_add = 334, kp_subtract = 333;  // GLFW_KEY_KP_ADD, GLFW_KEY_KP_SUBTRACT
};

struct AppOptions {
  std::optional<int> lab;                      // --lab N
  std::optional<std::filesystem::path> trace;  // --trace FILE
  std::optional<std::string> live;             // --live ADDR:PORT (pop3-server --trace-feed)
  std::optional<std::string> relay;            // --relay LISTEN (with upstream)
  std::string upstream;                        // --upstream HOST:PORT
  bool upstream_tls = false;                   // --upstream-tls
  std::filesystem::path labs_root;   // where labs are (default: pop3::labs::default_labs_root())
  std::filesystem::path config_dir;  // imgui.ini and viz.ini; empty: remember nothing
  std::optional<double> interval;    // seconds between steps when running
  std::size_t steps = 0;             // perform this many steps at start (screenshots)
  KeyCodes keys;
};

class App {
 public:
  explicit App(AppOptions options);  // an ImGui context must exist
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // Fonts: build the atlas (before the renderer makes its texture). When fonts_dirty()
  // after a frame, main rebuilds the atlas with build_fonts() and the renderer's texture.
  void build_fonts();
  [[nodiscard]] bool fonts_dirty() const noexcept { return fonts_dirty_; }

  // One frame of UI, between ImGui::NewFrame() and ImGui::Render(). `now`: seconds,
  // monotonic.
  void frame(double now);
  // Something moves on its own (a run, an animation): keep drawing frames.
  [[nodiscard]] bool busy(double now) const;
  [[nodiscard]] bool quit_requested() const noexcept { return quit_; }
  void save();  // settings now (the app also saves when they change and on destruction)

  // --- for main, tests and menus ----------------------------------------------------
  void open_lab(int number);
  void open_trace(const std::filesystem::path& path);
  // Connects to pop3-server's live trace feed; false (and the status says why) for an
  // address it cannot use.
  bool open_live(const std::string& address);
  // Relays clients that connect to `listen` (loopback) to the POP3 server `upstream`,
  // recording what crosses; false (and the status says why) when it cannot.
  bool open_relay(const std::string& listen, const std::string& upstream, bool upstream_tls);
  // The TLS secrets the source knows (the simulator's run: every handshake so far), in the
  // SSLKEYLOGFILE format; empty for the other sources, which never see keys.
  [[nodiscard]] std::string tls_key_log() const;
  // Writes the model as a trace file, or its wire as a pcap (and, with `keylog`, the TLS
  // key log beside it). True when written; the status line says what was written or why
  // not.
  bool save_trace_to(const std::filesystem::path& file);
  bool export_capture_to(const std::filesystem::path& file,
                         const std::filesystem::path& keylog = {});
  void set_zoom(float zoom);
  [[nodiscard]] float zoom() const noexcept { return settings_.zoom; }
  [[nodiscard]] TraceModel& model() noexcept { return model_; }
  [[nodiscard]] Source* source() noexcept { return source_.get(); }
  [[nodiscard]] const labs::Lab* lab() const noexcept;
  [[nodiscard]] const std::vector<labs::Lab>& labs() const noexcept { return labs_; }
  [[nodiscard]] const std::vector<std::unique_ptr<Panel>>& panels() const noexcept {
    return panels_;
  }
  [[nodiscard]] Panel* panel(std::string_view name) const noexcept;
  [[nodiscard]] const std::string& status() const noexcept { return status_; }
  [[nodiscard]] const ui::Fonts& fonts() const noexcept { return fonts_; }
  // Put every window back in its default place on the next frame.
  void reset_layout() noexcept { reset_layout_ = true; }

 private:
  void shortcuts();
  void menus();
  void dialogs();
  bool begin_modal(const char* name);
  void end_modal(const char* action, bool enter, const std::function<bool()>& act);
  void place(const Panel& panel);
  void set_status(std::string text) { status_ = std::move(text); }

  AppOptions options_;
  Settings settings_;
  std::filesystem::path settings_file_;
  std::string ini_file_;  // kept alive for io.IniFilename
  std::vector<labs::Lab> labs_;
  std::string labs_error_;
  TraceModel model_;
  std::unique_ptr<Source> source_;
  std::optional<labs::Lab> file_lab_;  // the lab whose checks judge a trace file
  std::vector<std::unique_ptr<Panel>> panels_;
  LabPanel* lab_panel_ = nullptr;
  SequencePanel* sequence_panel_ = nullptr;
  StatePanel* state_panel_ = nullptr;
  ui::Fonts fonts_;
  ImGuiStyle base_style_;
  bool fonts_dirty_ = false;
  bool reset_layout_ = false;
  bool quit_ = false;
  bool open_dialog_ = false;
  bool live_dialog_ = false;
  bool relay_dialog_ = false;
  char upstream_[256] = {};
  bool upstream_tls_ = false;
  bool save_dialog_ = false;
  bool help_dialog_ = false;
  bool export_dialog_ = false;
  bool export_keys_ = true;
  char path_[1024] = {};
  std::string status_;
  std::string dialog_error_;
  double last_save_ = 0;
  bool settings_dirty_ = false;
  std::size_t pending_steps_ = 0;
};

}  // namespace pop3::viz
