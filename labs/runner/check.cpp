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
  const bool all = print_checks(lab, evaluate(lab, result.records));
  std::cout << (all ? "\nEvery check holds.\n" : "\nSome checks do not hold.\n");
  return all ? 0 : 1;
}

}  // namespace pop3::labs
