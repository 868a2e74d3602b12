#include "proc_memory.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

namespace pop3::bench {
namespace {

// parent pid of every process, from /proc/PID/stat (the field after the command's ")").
std::multimap<int, int> children_by_parent() {
  std::multimap<int, int> out;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream f(entry.path() / "stat");
    std::string stat((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    const auto close = stat.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(stat.substr(close + 2));
    std::string state;
    int ppid = 0;
    rest >> state >> ppid;
    out.emplace(ppid, std::stoi(name));
  }
  return out;
}

// The value in kB of `key` in a /proc file of "Key:   123 kB" lines, in bytes.
std::uint64_t field_kb(const std::string& path, const std::string& key) {
  std::ifstream f(path);
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind(key + ":", 0) == 0) return std::stoull(line.substr(key.size() + 1)) * 1024;
  }
  return 0;
}

}  // namespace

TreeMemory tree_memory(const std::vector<int>& roots) {
  const auto children = children_by_parent();
  std::set<int> all;
  std::vector<int> todo(roots.begin(), roots.end());
  while (!todo.empty()) {
    const int pid = todo.back();
    todo.pop_back();
    if (!all.insert(pid).second) continue;
    auto [b, e] = children.equal_range(pid);
    for (auto it = b; it != e; ++it)
      todo.push_back(it->second);
  }
  TreeMemory m;
  for (const int pid : all) {
    const std::string dir = "/proc/" + std::to_string(pid);
    m.rss += field_kb(dir + "/status", "VmRSS");
    m.pss += field_kb(dir + "/smaps_rollup", "Pss");
    ++m.processes;
  }
  return m;
}

}  // namespace pop3::bench
