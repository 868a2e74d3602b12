#include <fstream>
#include <iostream>

#include "commands.hpp"
#include "pop3/labs/checks.hpp"
#include "pop3/trace/reader.hpp"

namespace pop3::labs {

int check_trace(const Lab& lab, const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::cerr << "pop3-lab: cannot read " << file.string() << "\n";
    return 2;
  }
  auto result = trace::read_trace(in);
  for (const auto& d : result.diagnostics)
    std::cerr << file.string() << ": " << d.message << "\n";
  std::cout << "Lab " << lab.number << ": " << lab.title << "\nTrace: " << file.string() << " ("
            << result.records.size() << " records)\n\n";
  // A pop3-client (or pop3-server) trace has one side: checks aimed at the other are
  // judged on the side it has.
  const Lab judged = judged_on_present_sides(lab, result.records);
  const bool all = print_checks(judged, evaluate(judged, result.records));
  std::cout << (all ? "\nEvery check holds.\n" : "\nSome checks do not hold.\n");
  return all ? 0 : 1;
}

}  // namespace pop3::labs
