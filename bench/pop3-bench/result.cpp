#include "result.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace pop3::bench {

void Result::error(const std::string& what) {
  if (error_count++ == 0) first_error = what;
}

nlohmann::json to_json(const Result& r) {
  nlohmann::json params = nlohmann::json::object(), metrics = nlohmann::json::object(),
                 units = nlohmann::json::object();
  for (const auto& [k, v] : r.params)
    params[k] = v;
  for (const auto& m : r.metrics) {
    metrics[m.name] = m.value;
    units[m.name] = m.unit;
  }
  return {{"load", r.load},
          {"params", params},
          {"metrics", metrics},
          {"units", units},
          {"errors", {{"count", r.error_count}, {"first", r.first_error}}}};
}

std::string to_table(const Result& r) {
  std::string out = r.load;
  for (const auto& [k, v] : r.params)
    out += "  " + k + "=" + v;
  out += "\n";
  char line[160];
  for (const auto& m : r.metrics) {
    std::snprintf(line, sizeof line, "  %-28s %16.2f %s\n", m.name.c_str(), m.value,
                  m.unit.c_str());
    out += line;
  }
  if (r.error_count > 0)
    out += "  errors: " + std::to_string(r.error_count) + " (first: " + r.first_error + ")\n";
  return out;
}

void add_latency(Result& r, std::vector<double>& samples) {
  if (samples.empty()) return;
  std::sort(samples.begin(), samples.end());
  auto at = [&](double q) {
    const auto i =
        static_cast<std::size_t>(std::floor(q * static_cast<double>(samples.size() - 1)));
    return samples[i] * 1000.0;
  };
  r.metric("latency_p50", at(0.50), "ms");
  r.metric("latency_p99", at(0.99), "ms");
  r.metric("latency_max", samples.back() * 1000.0, "ms");
}

}  // namespace pop3::bench
