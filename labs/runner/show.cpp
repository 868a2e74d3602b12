#include <iostream>

#include "commands.hpp"
#include "pop3/labs/checks.hpp"
#include "pop3/labs/lab_file.hpp"

namespace pop3::labs {

int list_labs(const std::filesystem::path& root) {
  const auto labs = load_labs(root);
  if (labs.empty()) {
    std::cout << "no labs under " << root.string() << "\n";
    return 1;
  }
  for (const auto& lab : labs)
    std::cout << (lab.number < 10 ? " " : "") << lab.number << "  " << lab.title << "  ("
              << lab.steps.size() << " steps, " << lab.checks.size() << " checks)\n";
  std::cout << "\npop3-lab show N   read a lab\npop3-lab run N    step through it\n";
  return 0;
}

namespace {

std::string describe_action(const Step& s) {
  if (s.action == "send") return "send " + s.line;
  if (s.action == "pipeline") {
    std::string out = "pipeline";
    for (const auto& l : s.lines)
      out += " | " + l;
    return out;
  }
  if (s.action == "login") return "login as " + s.user + " with " + s.mechanism;
  if (s.action == "wait") return "wait " + std::to_string(static_cast<long>(s.seconds)) + " s";
  if (s.action == "victim_login")
    return "a mail client logs in as " + s.user +
           (s.policy.empty() ? "" : " (STARTTLS " + s.policy + ")");
  if (s.action == "crack") return "crack what the eavesdropper captured, with " + s.wordlist;
  if (s.action == "guess")
    return "guess " + s.user + "'s password with " + s.wordlist +
           (s.max ? " (at most " + std::to_string(s.max) + ")" : "");
  if (s.action == "replay") return "an attacker resends the captured " + s.verb + " line";
  if (s.action == "reconnect")
    return "reconnect" + (s.seconds > 0
                              ? " after " + std::to_string(static_cast<long>(s.seconds)) + " s"
                              : std::string());
  return s.action;
}

std::string describe(const Step& s) {
  return s.client == 2 ? "client 2: " + describe_action(s) : describe_action(s);
}

}  // namespace

std::string step_description(const Step& s) {
  return describe(s);
}

int show_lab(const Lab& lab) {
  std::cout << "Lab " << lab.number << ": " << lab.title << "\n\n";
  if (!lab.objectives.empty()) {
    std::cout << "Objectives:\n";
    for (const auto& o : lab.objectives)
      std::cout << "  - " << o << "\n";
    std::cout << "\n";
  }
  std::cout << lab.background << "\n";
  const auto& s = lab.scenario;
  std::cout << "Scenario: TLS " << s.tls << ", plaintext logins "
            << (s.plaintext_auth ? "allowed" : "refused") << ", seed " << s.seed;
  if (s.chunk) std::cout << ", link chunks of " << s.chunk << " octets";
  if (s.latency_ms) std::cout << ", latency " << s.latency_ms << " ms";
  if (!s.attacker.empty()) std::cout << ", attacker " << s.attacker;
  if (!s.verify_certificate) std::cout << ", certificates not verified";
  if (s.lockout_after) std::cout << ", lockout after " << s.lockout_after << " failures";
  if (s.randomize) std::cout << ", per-student values (--student ID)";
  std::cout << "\n  accounts:";
  for (const auto& a : s.accounts)
    std::cout << " " << a.user << " (" << a.scheme << ")";
  std::cout << "\n  messages: " << s.messages.size() << "\n\nSteps:\n";
  for (std::size_t i = 0; i < lab.steps.size(); ++i) {
    const auto& st = lab.steps[i];
    std::cout << "  " << i + 1 << ". "
              << (st.title.empty() ? describe(st) : st.title + " (" + describe(st) + ")") << "\n";
  }
  std::cout << "\nChecks:\n";
  for (const auto& c : lab.checks)
    std::cout << "  - " << c.description << "\n";
  return 0;
}

bool print_checks(const Lab& lab, const std::vector<CheckResult>& results) {
  (void)lab;
  bool all = true;
  for (const auto& r : results) {
    all = all && r.holds;
    std::cout << (r.holds ? "  [ok]   " : "  [FAIL] ") << r.check->description << "\n";
    std::cout << "         " << r.evidence << "\n";
    if (!r.holds && !r.check->hint.empty()) std::cout << "         hint: " << r.check->hint << "\n";
  }
  return all;
}

int check_trace(const Lab& lab, const std::filesystem::path& file);

}  // namespace pop3::labs
