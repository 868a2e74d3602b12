#include "app/settings.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>

namespace pop3::viz {

namespace {

std::string trim(std::string s) {
  const auto b = s.find_first_not_of(" \t\r");
  const auto e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

}  // namespace

void Settings::add_recent(const std::string& path) {
  recent.erase(std::remove(recent.begin(), recent.end(), path), recent.end());
  recent.insert(recent.begin(), path);
  if (recent.size() > kMaxRecent) recent.resize(kMaxRecent);
}

std::filesystem::path default_config_dir() {
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg)
    return std::filesystem::path(xdg) / "pop3lab";
  if (const char* home = std::getenv("HOME"); home && *home)
    return std::filesystem::path(home) / ".config" / "pop3lab";
  return {};
}

Settings load_settings(const std::filesystem::path& file) {
  Settings s;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = trim(line.substr(0, eq));
    const std::string value = trim(line.substr(eq + 1));
    try {
      if (key == "zoom") {
        const float z = std::stof(value);
        if (z >= 0.6f && z <= 3.0f) s.zoom = z;
      } else if (key == "interval") {
        const double v = std::stod(value);
        if (v >= 0 && v <= 10) s.interval = v;
      } else if (key == "bodies") {
        s.open_bodies = value == "1";
      } else if (key.starts_with("panel.")) {
        s.panels[key.substr(6)] = value == "1";
      } else if (key == "recent") {
        if (!value.empty() && s.recent.size() < Settings::kMaxRecent) s.recent.push_back(value);
      }
    } catch (const std::exception&) {
      // a bad value keeps the default
    }
  }
  return s;
}

bool save_settings(const std::filesystem::path& file, const Settings& s) {
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  const auto tmp = file.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out) return false;
    out << "# pop3-viz settings (window places are in imgui.ini)\n";
    out << "zoom = " << s.zoom << "\n";
    out << "interval = " << s.interval << "\n";
    out << "bodies = " << (s.open_bodies ? 1 : 0) << "\n";
    for (const auto& [name, shown] : s.panels)
      out << "panel." << name << " = " << (shown ? 1 : 0) << "\n";
    for (const auto& r : s.recent)
      out << "recent = " << r << "\n";
    if (!out) return false;
  }
  std::filesystem::rename(tmp, file, ec);
  return !ec;
}

}  // namespace pop3::viz
