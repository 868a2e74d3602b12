#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <iostream>

#include "commands.hpp"
#include "display.hpp"
#include "pop3/core/exposure.hpp"
#include "pop3/labs/lab_run.hpp"
#include "pop3/pcap/export.hpp"

namespace pop3::labs {

std::string step_description(const Step& s);

namespace {

// Characters, not octets: the rule is drawn with a multi-octet box-drawing character.
std::size_t columns(const std::string& utf8) {
  std::size_t n = 0;
  for (const char c : utf8)
    n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

void rule(const std::string& title) {
  std::string line = "── " + title + " ";
  for (std::size_t n = columns(line); n < 78; ++n)
    line += "─";
  std::cout << "\n" << line << "\n";
}

// Waits for Enter (or end of input); false when the student typed q.
bool pause(const std::string& prompt) {
  std::cout << prompt << std::flush;
  std::string typed;
  if (!std::getline(std::cin, typed)) return true;
  return typed != "q" && typed != "quit";
}

std::string padded(std::string text, std::size_t width) {
  const std::size_t n = columns(text);
  if (n < width) text.append(width - n, ' ');
  return text;
}

// What the eavesdropper made of each secret, in a few words.
std::string seen_as(const sim::Observation& o) {
  if (!o.crossed) return "never sent";
  if (o.channel == trace::Channel::Tls)
    return "encrypted (" + std::to_string(o.wire.size()) + " octets of TLS)";
  return std::string(exposure_name(o.exposure)) + " \"" + printable(o.wire, 28) + "\"";
}

// The exposure of the same lab without and with TLS, side by side.
void compare(const Lab& plain_lab, const LabRun& plain, const LabRun& tls,
             const std::string& tls_title) {
  rule("Without TLS and with TLS, side by side");
  constexpr std::size_t kFirst = 46, kSecond = 14;
  std::cout << padded("", kFirst) << padded("without TLS", kSecond) << tls_title << "\n";
  const auto a = plain.checks();
  const auto b = tls.checks();
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    std::string d = a[i].check->description;
    if (columns(d) > kFirst - 2) d = d.substr(0, kFirst - 5) + "...";
    std::cout << padded(d, kFirst) << padded(a[i].holds ? "holds" : "does not", kSecond)
              << (b[i].holds ? "holds" : "does not")
              << (a[i].holds != b[i].holds ? "   <- the switch" : "") << "\n";
  }
  std::cout << "\nWhat the eavesdropper on the wire got:\n";
  const auto pa = plain.observations();
  const auto pb = tls.observations();
  if (pa.empty() && pb.empty()) std::cout << "  no secret crossed in either run\n";
  for (std::size_t i = 0; i < std::max(pa.size(), pb.size()); ++i) {
    const std::string label = i < pa.size() ? pa[i].label : pb[i].label;
    std::cout << "  " << padded(label, 28) << padded(i < pa.size() ? seen_as(pa[i]) : "-", 48)
              << (i < pb.size() ? seen_as(pb[i]) : "-") << "\n";
  }
  (void)plain_lab;
}

}  // namespace

int run_lab(const Lab& given, const RunOptions& options) {
  // --tls: the lab one switch away, and its twin to compare with at the end.
  Lab lab = given;
  std::optional<Lab> twin;
  std::string tls_title;
  if (options.tls_switch) {
    if (lab_uses_tls(given)) {
      twin = tls_variant(given, "none");
      tls_title = "with TLS (the lab as written)";
    } else {
      lab = tls_variant(given, *options.tls_switch);
      twin = given;
      tls_title = *options.tls_switch == "implicit" ? "with implicit TLS" : "with STLS";
    }
  }
  LabRun run(lab);
  const bool interactive = !options.automatic;
  std::cout << "Lab " << lab.number << ": " << lab.title << "\n";
  if (!lab.student.empty()) std::cout << "For student " << lab.student << "\n";
  if (options.tls_switch && !lab_uses_tls(given))
    std::cout << "One switch away: the same lab "
              << (*options.tls_switch == "implicit"
                      ? "on an implicit-TLS port (TLS from the first octet)"
                      : "with STLS right after the greeting")
              << ", compared with the plaintext run at the end.\n";
  if (interactive) {
    std::cout << "\n" << lab.background << "\n";
    if (!pause("Press Enter to begin (q to stop) ")) return 0;
  }
  StepDisplay display(std::cout);
  while (!run.done()) {
    const Step& next = lab.steps[run.next_step()];
    rule("Step " + std::to_string(run.next_step() + 1) + "/" + std::to_string(lab.steps.size()) +
         ": " + (next.title.empty() ? step_description(next) : next.title));
    std::cout << "  action: " << step_description(next) << "\n";
    const StepOutcome out = run.run_next();
    display.follow(run.client_session_id());
    display.records(run.records(), out.first_record, out.end_record);
    const auto seen = run.simulation().eavesdropper().observations();
    display.observations(std::vector<sim::Observation>(
        seen.begin() + static_cast<std::ptrdiff_t>(out.first_observation),
        seen.begin() + static_cast<std::ptrdiff_t>(out.end_observation)));
    for (const auto& line : out.report)
      std::cout << "  " << line << "\n";
    if (!next.look.empty()) std::cout << "  look: " << next.look << "\n";
    if (!next.question.empty()) {
      std::cout << "  question: " << next.question << "\n";
      if (interactive) {
        std::cout << "  your answer: " << std::flush;
        std::string answer;
        std::getline(std::cin, answer);
      }
      std::cout << "  answer: " << next.answer << "\n";
    }
    if (interactive && !run.done() && !pause("\n[Enter] next step, q to stop ")) break;
  }
  run.finish();
  if (options.trace) {
    std::ofstream out(*options.trace, std::ios::trunc);
    run.write_trace(out);
    std::cout << "\nTrace written to " << options.trace->string() << "\n";
  }
  if (options.pcap) {
    const auto header = sim::Simulation::trace_header(run.simulation().scenario());
    const pcap::ExportSummary s = pcap::write_pcap(run.records(), *options.pcap, header.created);
    std::cout << "Capture written to " << options.pcap->string() << ": " << s.connections
              << " connection(s), " << s.packets << " packets, " << s.octets
              << " octets of TCP payload\n";
  }
  if (options.keylog) {
    // The session keys of every TLS handshake of the run: with them Wireshark reads
    // what the eavesdropper could not. They are the simulator's, made for this run.
    const int fd = ::open(options.keylog->c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    const std::string keys = run.tls_key_log();
    const bool written =
        fd >= 0 && ::write(fd, keys.data(), keys.size()) == static_cast<ssize_t>(keys.size());
    if (fd >= 0) ::close(fd);
    if (!written) throw std::runtime_error("cannot write " + options.keylog->string());
    std::cout << "TLS key log written to " << options.keylog->string() << " ("
              << (keys.empty() ? "empty: no TLS in this run"
                               : "open the capture with it in Wireshark: "
                                 "-o tls.keylog_file:" +
                                     options.keylog->string())
              << ")\n";
  }
  rule("Checks");
  const bool all = print_checks(lab, run.checks());
  if (twin) {
    LabRun other(*twin);
    other.run_all();
    const bool this_is_tls = lab_uses_tls(lab);
    compare(this_is_tls ? *twin : lab, this_is_tls ? other : run, this_is_tls ? run : other,
            tls_title);
    std::cout
        << "\nThe checks were written for the lab as it is; under the switch, those that judge "
           "the\n"
           "exposure are expected not to hold. (Exit status 0: the comparison is for reading.)\n";
    return 0;
  }
  std::cout << (all ? "\nEvery check holds.\n" : "\nSome checks do not hold.\n");
  return all ? 0 : 1;
}

}  // namespace pop3::labs
