#pragma once
// pop3-viz's own settings, beside ImGui's imgui.ini (window places and sizes), in
// $XDG_CONFIG_HOME/pop3lab/ (else ~/.config/pop3lab/): viz.ini, one "key = value" a line.
// Unknown keys are ignored and bad values keep the default, so an old or hand-edited file
// never stops the program.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace pop3::viz {

struct Settings {
  float zoom = 1.0f;                   // font size factor, 0.6 .. 3
  double interval = 0.8;               // seconds between steps when running
  std::map<std::string, bool> panels;  // window name -> shown
  std::vector<std::string> recent;     // trace files opened, newest first
  bool open_bodies = false;            // the sequence shows every multi-line body

  static constexpr std::size_t kMaxRecent = 8;
  void add_recent(const std::string& path);
};

// $XDG_CONFIG_HOME/pop3lab or $HOME/.config/pop3lab; empty when neither is set.
[[nodiscard]] std::filesystem::path default_config_dir();
[[nodiscard]] Settings load_settings(const std::filesystem::path& file);
// Writes to a temporary file and renames it over the old one. Returns false on failure.
bool save_settings(const std::filesystem::path& file, const Settings& settings);

}  // namespace pop3::viz
