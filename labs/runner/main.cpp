// pop3-lab: lists, shows, runs and checks lab exercises in a terminal.
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>
#include <limits>

#include "class.hpp"
#include "commands.hpp"
#include "pop3/labs/lab_file.hpp"

namespace {

using namespace pop3::labs;

Lab find_lab(const std::filesystem::path& root, int number, const std::string& student = {}) {
  for (auto& lab : load_labs(root, student))
    if (lab.number == number) return lab;
  throw std::runtime_error("no lab " + std::to_string(number) + " under " + root.string() +
                           " (pop3-lab list)");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "pop3-lab: POP3 lab exercises, on the simulator or against a real server.\n"
      "Labs are read from $POP3LAB_LABS_DIR, else the labs/ folder of the source tree.\n"
      "docs/lab-format.md explains how to write one."};
  app.set_version_flag("--version", "pop3-lab " POP3LAB_VERSION);
  app.require_subcommand(1);
  int number = 0;
  std::string trace_file;
  RunOptions options;
  std::optional<std::string> trace, cafile, pcap, keylog;
  bool insecure = false;

  auto* list = app.add_subcommand("list", "the labs");
  auto* show = app.add_subcommand("show", "a lab's text, scenario, steps and checks");
  show->add_option("N", number, "lab number")->required();
  auto* run = app.add_subcommand("run", "step through a lab (Enter for the next step)");
  run->add_option("N", number, "lab number")->required();
  run->add_flag("--auto", options.automatic, "no prompts; exit status 0 when every check holds");
  run->add_option("--trace", trace, "write the run's trace (JSON Lines) to FILE");
  run->add_option("--pcap", pcap,
                  "write what crossed the wire as a packet capture (pcap) Wireshark opens");
  run->add_option("--keylog", keylog,
                  "write the run's TLS secrets (SSLKEYLOGFILE format) so Wireshark can decrypt the "
                  "--pcap capture");
  run->add_option("--server", options.server,
                  "play the client side against pop3://HOST:PORT instead of the simulator");
  run->add_option("--cafile", cafile, "with --server: trust this CA file");
  run->add_flag("--insecure", insecure, "with --server: do not verify the certificate");
  std::string tls_switch;
  run->add_flag(
      "--tls{stls}", tls_switch,
      "the same lab one switch away: with STLS right after the greeting (--tls=implicit: on an "
      "implicit-TLS port); the plaintext and TLS outcomes side by side at the end");
  std::string student;
  run->add_option("--student", student,
                  "the lab made for this student id (labs with randomize = true)");
  auto* check = app.add_subcommand("check", "evaluate a recorded trace against a lab's checks");
  check->add_option("N", number, "lab number")->required();
  check
      ->add_option("TRACE", trace_file,
                   "a trace from pop3-client --trace, pop3-server --trace or pop3-lab")
      ->required();
  show->add_option("--student", student, "the lab made for this student id");
  check->add_option("--student", student, "judge against the lab made for this student id");
  std::string check_as;
  check->add_option("--as", check_as,
                    "USER: your class account stands in for the lab's first account (password from "
                    "$POP3_PASSWORD)");

  // Instructor tools.
  auto* klass = app.add_subcommand(
      "class", "instructor: make a class of student accounts on a real pop3-server");
  klass->require_subcommand(1);
  auto* class_new_cmd =
      klass->add_subcommand("new", "accounts, Maildirs and handouts for a list of students");
  ClassOptions class_options;
  std::uint64_t class_seed = 0;
  int class_lab = 0;
  class_new_cmd
      ->add_option("--students", class_options.students, "FILE: one student (name or id) a line")
      ->required();
  class_new_cmd
      ->add_option("--dir", class_options.dir,
                   "DIR: where users, mail/, handouts/ and class.toml go")
      ->required();
  // class.toml keeps it as a TOML integer: 64 bits, signed.
  auto* seed_opt =
      class_new_cmd
          ->add_option("--seed", class_seed,
                       "the passwords come from this (default: random, printed)")
          ->check(CLI::Range(std::uint64_t{0},
                             static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())));
  auto* lab_opt = class_new_cmd->add_option(
      "--lab", class_lab, "N: each maildrop gets lab N's mail, made for its student");
  class_new_cmd->add_option("--host", class_options.host,
                            "the server's name in the handouts (default localhost)");
  class_new_cmd->add_option("--port", class_options.port,
                            "its plaintext/STLS port in the handouts (default 1110)");
  class_new_cmd->add_option("--tls-port", class_options.tls_port,
                            "its implicit-TLS port (default 1995)");
  auto* grade_cmd =
      app.add_subcommand("grade", "instructor: judge every student's trace by lab N's checks");
  GradeOptions grade_options;
  std::string grade_csv, grade_class;
  grade_cmd->add_option("N", number, "lab number")->required();
  grade_cmd
      ->add_option("TRACES", grade_options.traces, "one trace per student, named after the student")
      ->required();
  grade_cmd->add_option("--csv", grade_csv,
                        "also write the table as CSV to FILE (for a gradebook)");
  grade_cmd->add_option("--class", grade_class,
                        "DIR of pop3-lab class new: judge each trace with that student's account");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  try {
    const auto root = default_labs_root();
    if (list->parsed()) return list_labs(root);
    if (class_new_cmd->parsed()) {
      if (seed_opt->count()) class_options.seed = class_seed;
      if (lab_opt->count()) class_options.lab = class_lab;
      return class_new(root, class_options);
    }
    if (grade_cmd->parsed()) {
      if (!grade_csv.empty()) grade_options.csv = grade_csv;
      if (!grade_class.empty()) grade_options.class_dir = grade_class;
      return grade(root, number, grade_options);
    }
    Lab lab = find_lab(root, number, student);
    if (check->parsed() && !check_as.empty()) {
      const char* pw = std::getenv("POP3_PASSWORD");
      const StandIn as{check_as, pw ? pw : ""};
      lab = load_lab(lab.directory, student, as);
    }
    if (show->parsed()) return show_lab(lab);
    if (check->parsed()) return check_trace(lab, trace_file);
    if (trace) options.trace = *trace;
    if (pcap) options.pcap = *pcap;
    if (keylog) options.keylog = *keylog;
    if ((pcap || keylog) && options.server) {
      std::cerr << "pop3-lab: --pcap and --keylog are for the simulator's runs (a real server's "
                   "packets are the "
                   "kernel's: capture them with tcpdump -i lo)\n";
      return 2;
    }
    if (!tls_switch.empty()) {
      if (tls_switch != "stls" && tls_switch != "implicit") {
        std::cerr << "pop3-lab: --tls takes stls (the default) or implicit\n";
        return 2;
      }
      options.tls_switch = tls_switch;
    }
    if (cafile) options.tls_options.cafile = *cafile;
    options.tls_options.insecure = insecure;
    if (options.server) return run_lab_on_server(lab, options);
    return run_lab(lab, options);
  } catch (const std::exception& e) {
    std::cerr << "pop3-lab: " << e.what() << "\n";
    return 1;
  }
}
