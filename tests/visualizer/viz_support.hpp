#pragma once
// Helpers shared by the visualizer tests: labs from the source tree, labs written on the
// fly into a temporary folder, and a model fed from a LabRun.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "model/trace_model.hpp"
#include "pop3/labs/lab_file.hpp"
#include "pop3/labs/lab_run.hpp"
#include "pop3/trace/writer.hpp"

namespace viztest {

inline pop3::labs::Lab lab_number(int n) {
  for (auto& lab : pop3::labs::load_labs(pop3::labs::default_labs_root()))
    if (lab.number == n) return lab;
  FAIL("no lab " << n);
  return {};
}

// A temporary folder removed with the object.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    path = std::filesystem::temp_directory_path() /
           ("pop3viz-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  static int& counter() {
    static int c = 0;
    return c;
  }
};

// A trace file of `copies` runs of `records` one after the other, each copy's sessions
// a connection of their own ("client", then "client-2", ...), as a server's trace has
// many; returns how many records it wrote.
inline std::size_t write_repeated_trace(const std::filesystem::path& path,
                                        const std::vector<pop3::trace::Record>& records,
                                        int copies) {
  std::ofstream out(path, std::ios::binary);
  pop3::trace::HeaderRecord header;
  header.producer = "viz tests";
  pop3::trace::JsonlWriter writer(out, header);
  const pop3::trace::Micros span = records.back().t + pop3::trace::Micros(1);
  std::size_t written = 0;
  for (int copy = 0; copy < copies; ++copy)
    for (pop3::trace::Record r : records) {
      if (copy > 0 && !r.session.empty()) r.session += "-" + std::to_string(copy + 1);
      r.t += span * copy;
      writer.write(r);
      ++written;
    }
  return written;
}

// A lab from TOML text: `scenario` is the [scenario] body, `steps` the [[steps]] tables.
inline pop3::labs::Lab make_lab(const TempDir& dir, const std::string& scenario,
                                const std::string& steps) {
  const auto folder = dir.path / "99-test";
  std::filesystem::create_directories(folder);
  std::ofstream(folder / "lab.toml")
      << "number = 99\ntitle = \"test\"\nobjectives = [\"x\"]\nbackground = \"x\"\n"
      << "[scenario]\n"
      << scenario << "\n"
      << "[[scenario.accounts]]\nuser = \"alice\"\npassword = \"wonderland\"\n"
      << "[[scenario.messages]]\nuser = \"alice\"\n"
      << "text = \"Subject: one\\r\\n\\r\\nfirst message\\r\\n\"\n"
      << "[[scenario.messages]]\nuser = \"alice\"\n"
      << "text = \"Subject: dots\\r\\n\\r\\n.leading dot\\r\\nend\\r\\n\"\n"
      << steps << "\n"
      << "[[checks]]\nid = \"c\"\ndescription = \"connected\"\nkind = \"reply\"\n"
      << "verb = \"greeting\"\n";
  return pop3::labs::load_lab(folder);
}

inline std::string send_steps(std::initializer_list<const char*> lines) {
  std::string s = "[[steps]]\naction = \"connect\"\n";
  for (const char* l : lines)
    s += std::string("[[steps]]\naction = \"send\"\nline = \"") + l + "\"\n";
  return s;
}

inline void feed(pop3::viz::TraceModel& model, const pop3::labs::LabRun& run) {
  for (std::size_t i = model.size(); i < run.records().size(); ++i)
    model.append(run.records()[i]);
}

}  // namespace viztest
