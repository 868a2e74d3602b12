#pragma once
// pop3-lab's commands. Each returns the process exit code.
#include <filesystem>
#include <optional>
#include <string>

#include "pop3/labs/checks.hpp"
#include "pop3/labs/lab.hpp"
#include "pop3/net/client.hpp"

namespace pop3::labs {

struct RunOptions {
  bool automatic = false;                      // --auto: no prompts, exit 0 iff every check holds
  std::optional<std::filesystem::path> trace;  // --trace FILE
  std::optional<std::filesystem::path> pcap;   // --pcap FILE: the wire as a capture for Wireshark
  std::optional<std::filesystem::path>
      keylog;                             // --keylog FILE: the run's TLS secrets for Wireshark
  std::optional<std::string> server;      // --server URL: a real server instead of the simulator
  net::ClientTlsOptions tls_options;      // for --server
  std::optional<std::string> tls;         // for --server: implicit, starttls, none
  std::optional<std::string> tls_switch;  // --tls[=implicit]: the lab one switch away, compared
};

int list_labs(const std::filesystem::path& root);
int show_lab(const Lab& lab);
int run_lab(const Lab& lab, const RunOptions& options);
int run_lab_on_server(const Lab& lab, const RunOptions& options);
int check_trace(const Lab& lab, const std::filesystem::path& trace);

// Prints the check results; returns true when all hold.
bool print_checks(const Lab& lab, const std::vector<CheckResult>& results);

}  // namespace pop3::labs
