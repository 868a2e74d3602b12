#pragma once
// Result: what one load measured, printed as a table and written as JSON.
//
// JSON shape (one object per load, in a top-level array when several ran):
//   {"load": "logins", "params": {"clients": "64", ...},
//    "metrics": {"logins_per_second": 1234.5, ...}, "units": {"logins_per_second": "1/s"},
//    "errors": {"count": 0, "first": ""}}
#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace pop3::bench {

struct Metric {
  std::string name;
  double value = 0;
  std::string unit;
};

struct Result {
  std::string load;
  std::vector<std::pair<std::string, std::string>> params;
  std::vector<Metric> metrics;
  std::uint64_t error_count = 0;
  std::string first_error;

  void param(std::string name, std::string value) {
    params.emplace_back(std::move(name), std::move(value));
  }
  void metric(std::string name, double value, std::string unit) {
    metrics.push_back({std::move(name), value, std::move(unit)});
  }
  // Counts an error; the first one's text is kept.
  void error(const std::string& what);
};

[[nodiscard]] nlohmann::json to_json(const Result& r);
[[nodiscard]] std::string to_table(const Result& r);

// Latency percentiles in milliseconds (sorts `samples_seconds`).
void add_latency(Result& r, std::vector<double>& samples_seconds);

}  // namespace pop3::bench
