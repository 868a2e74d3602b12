// pop3-lab: lists, shows, runs and checks lab exercises in a terminal.
#include <CLI/CLI.hpp>
#include <iostream>

#include "commands.hpp"
#include "pop3/labs/lab_file.hpp"

namespace {

using namespace pop3::labs;

Lab find_lab(const std::filesystem::path& root, int number) {
  for (auto& lab : load_labs(root))
    if (lab.number == number) return lab;
  throw std::runtime_error("no lab " + std::to_string(number) + " under " + root.string() + " (pop3-lab list)");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"pop3-lab: POP3 lab exercises, on the simulator or against a real server.\n"
               "Labs are read from $POP3LAB_LABS_DIR, else the labs/ folder of the source tree.\n"
               "docs/lab-format.md explains how to write one."};
  app.set_version_flag("--version", "pop3-lab " POP3LAB_VERSION);
  app.require_subcommand(1);
  int number = 0;
  std::string trace_file;
  RunOptions options;
  std::optional<std::string> trace, cafile;
  bool insecure = false;

  auto* list = app.add_subcommand("list", "the labs");
  auto* show = app.add_subcommand("show", "a lab's text, scenario, steps and checks");
  show->add_option("N", number, "lab number")->required();
  auto* run = app.add_subcommand("run", "step through a lab (Enter for the next step)");
  run->add_option("N", number, "lab number")->required();
  run->add_flag("--auto", options.automatic, "no prompts; exit status 0 when every check holds");
  run->add_option("--trace", trace, "write the run's trace (JSON Lines) to FILE");
  run->add_option("--server", options.server, "play the client side against pop3://HOST:PORT instead of the simulator");
  run->add_option("--cafile", cafile, "with --server: trust this CA file");
  run->add_flag("--insecure", insecure, "with --server: do not verify the certificate");
  auto* check = app.add_subcommand("check", "evaluate a recorded trace against a lab's checks");
  check->add_option("N", number, "lab number")->required();
  check->add_option("TRACE", trace_file, "a trace from pop3-client --trace, pop3-server --trace or pop3-lab")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  try {
    const auto root = default_labs_root();
    if (list->parsed()) return list_labs(root);
    const Lab lab = find_lab(root, number);
    if (show->parsed()) return show_lab(lab);
    if (check->parsed()) return check_trace(lab, trace_file);
    if (trace) options.trace = *trace;
    if (cafile) options.tls_options.cafile = *cafile;
    options.tls_options.insecure = insecure;
    if (options.server) return run_lab_on_server(lab, options);
    return run_lab(lab, options);
  } catch (const std::exception& e) {
    std::cerr << "pop3-lab: " << e.what() << "\n";
    return 1;
  }
}
