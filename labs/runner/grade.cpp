// `pop3-lab grade N TRACES...`: every student's trace judged by lab N's checks, as a table
// (student x check) in the terminal and, with --csv, a file for a gradebook.
#include <fstream>
#include <iostream>
#include <map>

#include "class.hpp"
#include "pop3/labs/checks.hpp"
#include "pop3/labs/lab_file.hpp"
#include "pop3/trace/reader.hpp"

namespace pop3::labs {
namespace {

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::size_t columns(const std::string& utf8) {
  std::size_t n = 0;
  for (const char c : utf8)
    n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

std::string padded(std::string s, std::size_t width) {
  const std::size_t n = columns(s);
  if (n < width) s.append(width - n, ' ');
  return s;
}

struct Row {
  std::string student;
  std::filesystem::path file;
  std::vector<CheckResult> results;
  std::string problem;  // the trace could not be read
  Lab lab;              // the lab as judged for this student (the results point into it)
};

}  // namespace

int grade(const std::filesystem::path& labs_root, int number, const GradeOptions& o) {
  std::optional<Lab> base;
  for (auto& l : load_labs(labs_root))
    if (l.number == number) base = l;
  if (!base) {
    std::cerr << "pop3-lab: no lab " << number << " under " << labs_root.string() << "\n";
    return 2;
  }
  std::vector<ClassMember> members;
  if (o.class_dir) {
    std::uint64_t seed = 0;
    members = read_class(*o.class_dir, seed);
  }
  std::vector<Row> rows;
  rows.reserve(o.traces.size());
  for (const auto& file : o.traces) {
    Row row;
    row.file = file;
    row.student = file.stem().string();
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      row.problem = "cannot read the trace";
      row.lab = *base;
      rows.push_back(std::move(row));
      continue;
    }
    const auto trace = trace::read_trace(in);
    if (!trace.ok && trace.records.empty()) {
      row.problem = "not a pop3lab trace";
      row.lab = *base;
      rows.push_back(std::move(row));
      continue;
    }
    // The student: a pop3-lab trace made with --student says so in its label ("... (student
    // ID)"); otherwise the file's name ("ada-lovelace.jsonl"). With a class, matched to its
    // account names or ids.
    for (const auto& r : trace.records)
      if (const auto* st = std::get_if<trace::SessionStartRecord>(&r.body)) {
        const auto at = st->label.rfind("(student ");
        if (at != std::string::npos && st->label.back() == ')')
          row.student = st->label.substr(at + 9, st->label.size() - at - 10);
        break;
      }
    const ClassMember* member = nullptr;
    for (const auto& m : members)
      if (m.user == row.student || m.student == row.student) member = &m;
    if (member) {
      row.student = member->student;
      const StandIn as{member->user, member->password};
      row.lab = load_lab(base->directory, member->student, as);
    } else {
      row.lab = load_lab(base->directory, o.class_dir ? std::string() : row.student);
      if (o.class_dir) row.problem = "not in the class";
    }
    row.lab = judged_on_present_sides(std::move(row.lab), trace.records);
    row.results = evaluate(row.lab, trace.records);
    rows.push_back(std::move(row));
  }

  // The table: one column per check (numbered, with a legend), then the total.
  std::cout << "Lab " << base->number << ": " << base->title << "\n"
            << rows.size() << " trace(s)\n\n";
  std::size_t name_width = 7;
  for (const auto& r : rows)
    name_width = std::max(name_width, columns(r.student) + 2);
  std::cout << padded("student", name_width);
  for (std::size_t i = 0; i < base->checks.size(); ++i)
    std::cout << padded(std::to_string(i + 1), 4);
  std::cout << "passed\n";
  for (const auto& r : rows) {
    std::cout << padded(r.student, name_width);
    std::size_t passed = 0;
    for (std::size_t i = 0; i < base->checks.size(); ++i) {
      const bool holds = i < r.results.size() && r.results[i].holds;
      passed += holds ? 1 : 0;
      std::cout << padded(r.results.empty() ? "-" : (holds ? "✓" : "✗"), 4);
    }
    std::cout << passed << "/" << base->checks.size();
    if (!r.problem.empty()) std::cout << "  (" << r.problem << ": " << r.file.string() << ")";
    std::cout << "\n";
  }
  std::cout << "\nChecks:\n";
  for (std::size_t i = 0; i < base->checks.size(); ++i)
    std::cout << "  " << padded(std::to_string(i + 1), 3) << base->checks[i].id << ": "
              << base->checks[i].description << "\n";

  if (o.csv) {
    std::ofstream out(*o.csv, std::ios::trunc);
    if (!out) {
      std::cerr << "pop3-lab: cannot write " << o.csv->string() << "\n";
      return 1;
    }
    out << "student,trace";
    for (const auto& c : base->checks)
      out << "," << csv_field(c.id);
    out << ",passed,total\n";
    for (const auto& r : rows) {
      out << csv_field(r.student) << "," << csv_field(r.file.string());
      std::size_t passed = 0;
      for (std::size_t i = 0; i < base->checks.size(); ++i) {
        const bool holds = i < r.results.size() && r.results[i].holds;
        passed += holds ? 1 : 0;
        out << "," << (r.results.empty() ? "" : (holds ? "1" : "0"));
      }
      out << "," << passed << "," << base->checks.size() << "\n";
    }
    std::cout << "\nCSV written to " << o.csv->string() << "\n";
  }
  return 0;
}

}  // namespace pop3::labs
