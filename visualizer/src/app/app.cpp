#include "app/app.hpp"

#include <algorithm>
#include <chrono>
#include <fstream>

#include "model/exports.hpp"
#include "model/file_source.hpp"
#include "model/live_source.hpp"
#include "model/relay_source.hpp"
#include "model/sim_source.hpp"
#include "panels/credentials_panel.hpp"
#include "panels/lab_panel.hpp"
#include "panels/sequence_panel.hpp"
#include "panels/sessions_panel.hpp"
#include "panels/state_panel.hpp"
#include "panels/timeline_panel.hpp"
#include "panels/wire_panel.hpp"
#include "pop3/labs/lab_file.hpp"
#include "pop3/trace/timestamp.hpp"
#include "pop3/trace/writer.hpp"

namespace pop3::viz {

namespace {

constexpr const char* kSans = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
constexpr const char* kMono = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf";

// Latin-1, punctuation, arrows, box drawing and shapes, dingbats (check marks).
const ImWchar kGlyphs[] = {0x0020, 0x00FF, 0x2010, 0x2027, 0x2190, 0x21FF,
                           0x2500, 0x25FF, 0x2700, 0x27BF, 0};

struct Rect {
  float x, y, w, h;
};

// The default layout, in fractions of the display below the menu bar: fits 1280x800.
Rect default_rect(std::string_view name, ImVec2 display, float menu_h, float timeline_h) {
  const float W = display.x, top = menu_h, H = display.y - menu_h - timeline_h;
  const float c1 = 0.27f * W, c2 = 0.64f * W;
  if (name == "Lab") return {0, top, c1, H};
  if (name == "Sequence") return {c1, top, c2 - c1, H * 0.56f};
  if (name == "Wire") return {c1, top + H * 0.56f, c2 - c1, H * 0.44f};
  if (name == "State machine") return {c2, top, W - c2, H * 0.49f};
  if (name == "Credentials") return {c2, top + H * 0.49f, W - c2, H * 0.26f};
  if (name == "Sessions & maildrop") return {c2, top + H * 0.75f, W - c2, H * 0.25f};
  if (name == "Timeline") return {0, display.y - timeline_h, W, timeline_h};
  return {W * 0.25f, top + H * 0.25f, W * 0.5f, H * 0.5f};
}

}  // namespace

App::App(AppOptions options) : options_(std::move(options)) {
  ImGuiIO& io = ImGui::GetIO();
  if (!options_.config_dir.empty()) {
    settings_file_ = options_.config_dir / "viz.ini";
    settings_ = load_settings(settings_file_);
    std::error_code ec;
    std::filesystem::create_directories(options_.config_dir, ec);
    ini_file_ = (options_.config_dir / "imgui.ini").string();
    io.IniFilename = ini_file_.c_str();
  } else {
    io.IniFilename = nullptr;
  }
  if (options_.interval) settings_.interval = *options_.interval;

  ImGui::StyleColorsDark();
  ImGuiStyle& style = ImGui::GetStyle();
  style.WindowRounding = 5;
  style.FrameRounding = 4;
  style.GrabRounding = 4;
  style.WindowPadding = ImVec2(8, 7);
  style.ItemSpacing = ImVec2(7, 5);
  style.Colors[ImGuiCol_WindowBg] = ImVec4(0.105f, 0.105f, 0.125f, 1.0f);
  style.Colors[ImGuiCol_TitleBgActive] = ImVec4(0.16f, 0.24f, 0.38f, 1.0f);
  base_style_ = style;

  panels_.push_back(std::make_unique<LabPanel>());
  lab_panel_ = static_cast<LabPanel*>(panels_.back().get());
  panels_.push_back(std::make_unique<SequencePanel>());
  sequence_panel_ = static_cast<SequencePanel*>(panels_.back().get());
  panels_.push_back(std::make_unique<WirePanel>());
  panels_.push_back(std::make_unique<StatePanel>());
  state_panel_ = static_cast<StatePanel*>(panels_.back().get());
  panels_.push_back(std::make_unique<CredentialsPanel>());
  panels_.push_back(std::make_unique<SessionsPanel>());
  panels_.push_back(std::make_unique<TimelinePanel>());
  for (auto& p : panels_)
    if (auto it = settings_.panels.find(p->name()); it != settings_.panels.end())
      p->visible = it->second;
  sequence_panel_->open_all = settings_.open_bodies;

  try {
    labs_ = labs::load_labs(options_.labs_root.empty() ? labs::default_labs_root()
                                                       : options_.labs_root);
  } catch (const std::exception& e) {
    labs_error_ = e.what();
  }
  if (options_.trace || options_.live || options_.relay) {
    if (options_.lab) {
      for (const auto& l : labs_)
        if (l.number == *options_.lab) file_lab_ = l;
    }
    if (options_.trace)
      open_trace(*options_.trace);
    else if (options_.live)
      open_live(*options_.live);
    else
      open_relay(*options_.relay, options_.upstream, options_.upstream_tls);
  } else {
    open_lab(options_.lab.value_or(1));
  }
  pending_steps_ = options_.steps;
}

App::~App() {
  save();
  // io.IniFilename points into this object: ImGui must not use it after us (it saves
  // once more when its context is destroyed).
  if (ImGui::GetCurrentContext() && ImGui::GetIO().IniFilename == ini_file_.c_str())
    ImGui::GetIO().IniFilename = nullptr;
}

const labs::Lab* App::lab() const noexcept {
  if (const auto* sim = dynamic_cast<const SimSource*>(source_.get())) return &sim->lab();
  return file_lab_ ? &*file_lab_ : nullptr;
}

Panel* App::panel(std::string_view name) const noexcept {
  for (const auto& p : panels_)
    if (name == p->name()) return p.get();
  return nullptr;
}

void App::open_lab(int number) {
  for (const auto& l : labs_) {
    if (l.number != number) continue;
    try {
      source_ = std::make_unique<SimSource>(l, settings_.interval);
      file_lab_.reset();
      model_.clear();
      set_status("");
    } catch (const std::exception& e) {
      set_status("lab " + std::to_string(number) + ": " + e.what());
    }
    return;
  }
  set_status(labs_error_.empty() ? "there is no lab " + std::to_string(number) : labs_error_);
  if (!source_ && !labs_.empty() && labs_.front().number != number) open_lab(labs_.front().number);
}

void App::open_trace(const std::filesystem::path& path) {
  source_ = std::make_unique<FileSource>(path);
  model_.clear();
  settings_.add_recent(std::filesystem::absolute(path).string());
  settings_dirty_ = true;
  set_status("");
}

bool App::open_live(const std::string& address) {
  try {
    source_ = std::make_unique<LiveSource>(address);
  } catch (const std::exception& e) {
    set_status(std::string("live feed: ") + e.what());
    return false;
  }
  model_.clear();
  set_status("");
  return true;
}

bool App::open_relay(const std::string& listen, const std::string& upstream, bool upstream_tls) {
  try {
    source_ = std::make_unique<RelaySource>(listen, upstream, upstream_tls);
  } catch (const std::exception& e) {
    set_status(std::string("relay: ") + e.what());
    return false;
  }
  model_.clear();
  set_status("");
  return true;
}

void App::set_zoom(float zoom) {
  zoom = std::clamp(zoom, 0.6f, 3.0f);
  if (zoom == settings_.zoom) return;
  settings_.zoom = zoom;
  fonts_dirty_ = true;
  settings_dirty_ = true;
}

void App::build_fonts() {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  const float z = settings_.zoom;
  fonts_ = {};
  ImFontConfig cfg;
  cfg.OversampleH = 2;
  cfg.OversampleV = 1;
  if (std::filesystem::exists(kSans))
    fonts_.ui = io.Fonts->AddFontFromFileTTF(kSans, 16.0f * z, &cfg, kGlyphs);
  if (std::filesystem::exists(kMono))
    fonts_.mono = io.Fonts->AddFontFromFileTTF(kMono, 15.0f * z, &cfg, kGlyphs);
  if (!fonts_.ui || !fonts_.mono) {
    // No DejaVu (fonts-dejavu-core): ImGui's own font, scaled.
    ImFontConfig d;
    d.SizePixels = 13.0f * z;
    ImFont* def = io.Fonts->AddFontDefault(&d);
    if (!fonts_.ui) fonts_.ui = def;
    if (!fonts_.mono) fonts_.mono = def;
  }
  fonts_.size = fonts_.ui->FontSize;
  io.FontDefault = fonts_.ui;
  io.Fonts->Build();
  ImGui::GetStyle() = base_style_;
  ImGui::GetStyle().ScaleAllSizes(z);
  fonts_dirty_ = false;
}

bool App::busy(double now) const {
  return (source_ && source_->running()) ||
         (source_ && !source_->finished() && source_->kind() != SourceKind::Simulator) ||
         (state_panel_ && state_panel_->animating(now)) || pending_steps_ > 0;
}

void App::save() {
  if (settings_file_.empty()) return;
  for (const auto& p : panels_)
    settings_.panels[p->name()] = p->visible;
  settings_.open_bodies = sequence_panel_->open_all;
  save_settings(settings_file_, settings_);
  if (ImGui::GetCurrentContext() && ImGui::GetIO().IniFilename)
    ImGui::SaveIniSettingsToDisk(ImGui::GetIO().IniFilename);
  settings_dirty_ = false;
}

void App::place(const Panel& panel) {
  const ImGuiIO& io = ImGui::GetIO();
  const float menu_h = ImGui::GetFrameHeight();
  const float timeline_h =
      ImGui::GetFrameHeightWithSpacing() + ImGui::GetTextLineHeight() * 2.6f + 8;
  const Rect r = default_rect(panel.name(), io.DisplaySize, menu_h, timeline_h);
  const ImGuiCond cond = reset_layout_ ? ImGuiCond_Always : ImGuiCond_FirstUseEver;
  ImGui::SetNextWindowPos(ImVec2(r.x, r.y), cond);
  ImGui::SetNextWindowSize(ImVec2(r.w, r.h), cond);
}

void App::shortcuts() {
  ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput) return;
  const auto& k = options_.keys;
  auto pressed = [](int key) { return key >= 0 && key < 512 && ImGui::IsKeyPressed(key, false); };
  if (io.KeyCtrl) {
    if (pressed(k.equal) || pressed(k.kp_add)) set_zoom(settings_.zoom + 0.1f);
    if (pressed(k.minus) || pressed(k.kp_subtract)) set_zoom(settings_.zoom - 0.1f);
    if (pressed(k.zero)) set_zoom(1.0f);
    if (pressed(k.o)) open_dialog_ = true;
    return;
  }
  if (source_ && source_->can_step()) {
    if (pressed(ImGui::GetKeyIndex(ImGuiKey_Space)) || pressed(k.n)) source_->step();
    if (pressed(k.r)) source_->run();
    if (pressed(k.p)) source_->pause();
    if (pressed(ImGui::GetKeyIndex(ImGuiKey_Home))) source_->restart();
  }
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_LeftArrow))) TimelinePanel::step_back(model_);
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_RightArrow)))
    TimelinePanel::step_forward(model_);
}

void App::menus() {
  if (!ImGui::BeginMainMenuBar()) return;
  if (ImGui::BeginMenu("File")) {
    if (ImGui::MenuItem("Open trace...", "Ctrl+O")) open_dialog_ = true;
    if (ImGui::BeginMenu("Open recent", !settings_.recent.empty())) {
      for (const auto& r : settings_.recent)
        if (ImGui::MenuItem(r.c_str())) open_trace(r);
      ImGui::EndMenu();
    }
    if (ImGui::MenuItem("Connect to a live feed...")) live_dialog_ = true;
    if (ImGui::MenuItem("Relay to a server...")) relay_dialog_ = true;
    if (ImGui::MenuItem("Save trace as...", nullptr, false, model_.size() > 0)) save_dialog_ = true;
    if (ImGui::MenuItem("Export capture (pcap)...", nullptr, false, model_.size() > 0))
      export_dialog_ = true;
    ImGui::Separator();
    if (ImGui::MenuItem("Quit")) quit_ = true;
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Lab")) {
    if (labs_.empty())
      ImGui::TextDisabled("%s", labs_error_.empty() ? "no labs found" : labs_error_.c_str());
    const labs::Lab* current = lab();
    for (const auto& l : labs_) {
      const std::string label = std::to_string(l.number) + ". " + l.title;
      if (ImGui::MenuItem(label.c_str(), nullptr,
                          current && current->number == l.number && source_ &&
                              source_->kind() == SourceKind::Simulator))
        open_lab(l.number);
    }
    if (source_ && source_->kind() != SourceKind::Simulator && !labs_.empty()) {
      ImGui::Separator();
      if (ImGui::BeginMenu("Judge this trace with")) {
        if (ImGui::MenuItem("no lab", nullptr, !file_lab_)) file_lab_.reset();
        for (const auto& l : labs_) {
          const std::string label = std::to_string(l.number) + ". " + l.title;
          if (ImGui::MenuItem(label.c_str(), nullptr, file_lab_ && file_lab_->number == l.number))
            file_lab_ = l;
        }
        ImGui::EndMenu();
      }
    }
    ImGui::Separator();
    const bool steppable = source_ && source_->can_step();
    if (ImGui::MenuItem("Step", "Space / N", false, steppable && !source_->finished()))
      source_->step();
    if (ImGui::MenuItem("Run", "R", false,
                        steppable && !source_->running() && !source_->finished()))
      source_->run();
    if (ImGui::MenuItem("Pause", "P", false, steppable && source_->running())) source_->pause();
    if (ImGui::MenuItem("Restart", "Home", false, steppable)) source_->restart();
    if (auto* sim = dynamic_cast<SimSource*>(source_.get()); sim && ImGui::BeginMenu("Run speed")) {
      const std::pair<const char*, double> speeds[] = {{"slow (2 s a step)", 2.0},
                                                       {"normal (0.8 s)", 0.8},
                                                       {"fast (0.2 s)", 0.2},
                                                       {"instant", 0.0}};
      for (const auto& [label, v] : speeds)
        if (ImGui::MenuItem(label, nullptr, settings_.interval == v)) {
          settings_.interval = v;
          sim->set_interval(v);
          settings_dirty_ = true;
        }
      ImGui::EndMenu();
    }
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("View")) {
    for (auto& p : panels_)
      if (ImGui::MenuItem(p->name(), nullptr, &p->visible)) settings_dirty_ = true;
    ImGui::Separator();
    if (ImGui::MenuItem("Zoom in", "Ctrl+=")) set_zoom(settings_.zoom + 0.1f);
    if (ImGui::MenuItem("Zoom out", "Ctrl+-")) set_zoom(settings_.zoom - 0.1f);
    if (ImGui::MenuItem("Actual size", "Ctrl+0")) set_zoom(1.0f);
    ImGui::Separator();
    if (ImGui::MenuItem("Reset layout")) reset_layout_ = true;
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Help")) {
    if (ImGui::MenuItem("Keyboard shortcuts")) help_dialog_ = true;
    ImGui::EndMenu();
  }
  // The source's status on the right.
  std::string right = status_.empty() && source_ ? source_->status() : status_;
  if (source_ && status_.empty() && !right.starts_with(source_->title()))
    right = source_->title() + "  \xC2\xB7  " + right;
  const float w = ImGui::CalcTextSize(right.c_str()).x;
  const float x = ImGui::GetWindowWidth() - w - ImGui::GetStyle().ItemSpacing.x * 2;
  if (x > ImGui::GetCursorPosX()) ImGui::SetCursorPosX(x);
  const bool error = !status_.empty() || (source_ && !source_->error().empty());
  ImGui::TextColored(ui::to_vec4(error ? ui::colour::err : ui::colour::dim), "%s", right.c_str());
  ImGui::EndMainMenuBar();
}

bool App::begin_modal(const char* name) {
  // Every dialog opens in the middle of the window, a little above the centre.
  const ImVec2 centre(ImGui::GetIO().DisplaySize.x * 0.5f, ImGui::GetIO().DisplaySize.y * 0.4f);
  ImGui::SetNextWindowPos(centre, ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  return ImGui::BeginPopupModal(name, nullptr, ImGuiWindowFlags_AlwaysAutoResize);
}

void App::end_modal(const char* action, bool enter, const std::function<bool()>& act) {
  // The end of every dialog: its error, the button (or Enter) that does what the dialog is
  // for and closes it when that worked (else the status line's reason moves into the
  // dialog), and Cancel.
  if (!dialog_error_.empty()) ui::coloured_text(ui::colour::err, dialog_error_);
  if (ImGui::Button(action) || enter) {
    if (act()) {
      ImGui::CloseCurrentPopup();
    } else {
      dialog_error_ = status_;
      set_status("");
    }
  }
  ImGui::SameLine();
  if (ImGui::Button("Cancel")) ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
}

std::string App::tls_key_log() const {
  if (const auto* sim = dynamic_cast<const SimSource*>(source_.get()))
    return sim->run_state().tls_key_log();
  return {};
}

bool App::save_trace_to(const std::filesystem::path& file) {
  try {
    set_status(save_trace(model_, file));
    return true;
  } catch (const std::exception& e) {
    set_status(e.what());
    return false;
  }
}

bool App::export_capture_to(const std::filesystem::path& file,
                            const std::filesystem::path& keylog) {
  try {
    set_status(
        export_capture(model_, file, keylog.empty() ? std::string() : tls_key_log(), keylog));
    return true;
  } catch (const std::exception& e) {
    set_status(e.what());
    return false;
  }
}

void App::dialogs() {
  if (open_dialog_) {
    ImGui::OpenPopup("Open trace");
    open_dialog_ = false;
    dialog_error_.clear();
  }
  if (relay_dialog_) {
    ImGui::OpenPopup("Relay");
    relay_dialog_ = false;
    dialog_error_.clear();
    std::snprintf(path_, sizeof path_, "127.0.0.1:1100");
    if (!upstream_[0]) std::snprintf(upstream_, sizeof upstream_, "127.0.0.1:1110");
  }
  if (live_dialog_) {
    ImGui::OpenPopup("Live feed");
    live_dialog_ = false;
    dialog_error_.clear();
    std::snprintf(path_, sizeof path_, "127.0.0.1:7110");
  }
  if (save_dialog_) {
    ImGui::OpenPopup("Save trace");
    save_dialog_ = false;
    dialog_error_.clear();
    const std::string name = "pop3-viz-trace.jsonl";
    std::snprintf(path_, sizeof path_, "%s", name.c_str());
  }
  if (export_dialog_) {
    ImGui::OpenPopup("Export capture");
    export_dialog_ = false;
    dialog_error_.clear();
    std::snprintf(path_, sizeof path_, "pop3-viz.pcap");
    std::snprintf(upstream_, sizeof upstream_, "pop3-viz.keys");
  }
  if (help_dialog_) {
    ImGui::OpenPopup("Keyboard shortcuts");
    help_dialog_ = false;
  }
  if (begin_modal("Open trace")) {
    ImGui::TextUnformatted(
        "A trace file (JSON Lines) from pop3-server, pop3-client, pop3-lab or this program:");
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 34);
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    const bool enter =
        ImGui::InputText("##path", path_, sizeof path_, ImGuiInputTextFlags_EnterReturnsTrue);
    // Traces in the current folder, and the recent ones.
    std::vector<std::string> choices = settings_.recent;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(".", ec))
      if (e.path().extension() == ".jsonl") choices.push_back(e.path().lexically_normal().string());
    if (!choices.empty() && ImGui::BeginListBox("##choices", ImVec2(ImGui::GetFontSize() * 34,
                                                                    ImGui::GetFontSize() * 7))) {
      for (const auto& c : choices)
        if (ImGui::Selectable(c.c_str(), c == path_))
          std::snprintf(path_, sizeof path_, "%s", c.c_str());
      ImGui::EndListBox();
    }
    end_modal("Open", enter, [&] {
      if (!std::filesystem::is_regular_file(path_)) {
        set_status(std::string("no such file: ") + path_);
        return false;
      }
      open_trace(path_);
      return true;
    });
  }
  if (begin_modal("Relay")) {
    ImGui::TextUnformatted(
        "Point a POP3 client at the first address; pop3-viz forwards to the server and shows");
    ImGui::TextUnformatted("what crosses (after STLS, ciphertext only).");
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 14);
    ImGui::InputText("listen on (loopback)", path_, sizeof path_);
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 14);
    ImGui::InputText("POP3 server", upstream_, sizeof upstream_);
    ImGui::Checkbox("the server speaks TLS from the first byte (port 995)", &upstream_tls_);
    end_modal("Start", false, [&] { return open_relay(path_, upstream_, upstream_tls_); });
  }
  if (begin_modal("Live feed")) {
    ImGui::TextUnformatted(
        "The loopback address of a pop3-server started with --trace-feed ADDR:PORT:");
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 16);
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    const bool enter =
        ImGui::InputText("##address", path_, sizeof path_, ImGuiInputTextFlags_EnterReturnsTrue);
    end_modal("Connect", enter, [&] { return open_live(path_); });
  }
  if (begin_modal("Save trace")) {
    ImGui::TextUnformatted("Write the records shown as a trace (JSON Lines):");
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 34);
    const bool enter =
        ImGui::InputText("##path", path_, sizeof path_, ImGuiInputTextFlags_EnterReturnsTrue);
    end_modal("Save", enter, [&] { return save_trace_to(path_); });
  }
  if (begin_modal("Export capture")) {
    ImGui::TextUnformatted("Write what crossed the wire as a packet capture (pcap) for Wireshark:");
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 34);
    ImGui::InputText("##pcap", path_, sizeof path_);
    const std::string keys = tls_key_log();
    if (!keys.empty()) {
      ImGui::Checkbox("and the TLS key log, so that Wireshark can decrypt the TLS records:",
                      &export_keys_);
      ImGui::SetNextItemWidth(ImGui::GetFontSize() * 34);
      if (export_keys_) ImGui::InputText("##keys", upstream_, sizeof upstream_);
      ui::coloured_text(ui::colour::dim,
                        "(the simulator's keys for this run; open the capture with: wireshark -o "
                        "tls.keylog_file:FILE)");
    } else if (dynamic_cast<SimSource*>(source_.get()) == nullptr) {
      ui::coloured_text(ui::colour::dim,
                        "TLS records stay encrypted: only the simulator knows its sessions' keys.");
    }
    end_modal("Export", false, [&] {
      return export_capture_to(path_, !keys.empty() && export_keys_ ? upstream_ : "");
    });
  }
  if (begin_modal("Keyboard shortcuts")) {
    const char* rows[][2] = {{"Space, N", "perform the next step of the lab"},
                             {"R", "run the remaining steps"},
                             {"P", "pause"},
                             {"Home", "restart the lab"},
                             {"Left, Right", "move the timeline one line back / forward"},
                             {"Ctrl+=, Ctrl+-", "zoom in / out"},
                             {"Ctrl+0", "actual size"},
                             {"Ctrl+O", "open a trace"}};
    if (ImGui::BeginTable("##keys", 2)) {
      for (const auto& r : rows) {
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ui::coloured_text(ui::colour::accent, r[0]);
        ImGui::TableSetColumnIndex(1);
        ImGui::TextUnformatted(r[1]);
      }
      ImGui::EndTable();
    }
    if (ImGui::Button("Close")) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
  }
}

void App::frame(double now) {
  if (source_) {
    if (pending_steps_ > 0 && source_->can_step()) {
      source_->poll(model_, now);  // the sessions' starts first
      while (pending_steps_ > 0 && !source_->finished()) {
        source_->step();
        --pending_steps_;
      }
      pending_steps_ = 0;
    }
    source_->poll(model_, now);
  }
  shortcuts();
  menus();

  PanelContext ctx{model_, source_.get(), dynamic_cast<SimSource*>(source_.get()),
                   lab(),  fonts_,        now};
  if (!ctx.fonts.ui) ctx.fonts.ui = ctx.fonts.mono = ImGui::GetFont();
  for (auto& p : panels_) {
    if (!p->visible) continue;
    place(*p);
    if (ImGui::Begin(p->name(), &p->visible, p->flags())) p->draw(ctx);
    ImGui::End();
    if (!p->visible) settings_dirty_ = true;
  }
  reset_layout_ = false;
  dialogs();

  if (settings_dirty_ && now - last_save_ > 2.0) {
    save();
    last_save_ = now;
  }
}

}  // namespace pop3::viz
