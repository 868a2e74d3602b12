#pragma once
// Shared by the simulator's tests: a small scenario and ways to read a run back.
#include <string>
#include <vector>

#include "pop3/sim/sim.hpp"
#include "pop3/trace/record.hpp"

namespace simtest {

using namespace pop3;
using namespace pop3::sim;

inline const std::string kMessage1 = "Subject: one\r\n\r\nfirst message\r\n";
inline const std::string kMessage2 =
    "Subject: two\r\n\r\n.a line that starts with a dot\r\nsecond message, a bit longer than the "
    "first\r\n";

inline Scenario basic(std::uint64_t seed = 7) {
  Scenario s;
  s.seed = seed;
  s.add_account("alice", "wonderland").messages = {kMessage1, kMessage2};
  s.add_account("bob", "builder");
  return s;
}

// Everything a side's session sent (its Send steps) or took in (its Received steps).
inline std::string sent_by(const Simulation& sim, Side side) {
  std::string out;
  for (const SimEvent& e : sim.history())
    if (e.kind == SimEvent::Kind::SessionStep && e.side == side)
      if (const auto* s = std::get_if<Send>(&e.step)) out += s->bytes;
  return out;
}
inline std::string received_by(const Simulation& sim, Side side) {
  std::string out;
  for (const SimEvent& e : sim.history())
    if (e.kind == SimEvent::Kind::SessionStep && e.side == side)
      if (const auto* r = std::get_if<Received>(&e.step)) out += r->bytes;
  return out;
}

template <class T>
std::vector<T> steps_of(const Simulation& sim, Side side) {
  std::vector<T> out;
  for (const SimEvent& e : sim.history())
    if (e.kind == SimEvent::Kind::SessionStep && e.side == side)
      if (const auto* s = std::get_if<T>(&e.step)) out.push_back(*s);
  return out;
}

inline std::vector<std::string> reply_lines(const Exchange& ex) {
  std::vector<std::string> out;
  for (const auto& r : ex.replies)
    out.push_back(std::string(status_token(r.reply.status)) + " " + r.reply.text);
  return out;
}

inline const std::vector<trace::Record>& records(const Simulation& sim) {
  return sim.memory_trace()->records;
}

template <class T>
std::vector<T> records_of(const std::vector<trace::Record>& records, std::string_view session) {
  std::vector<T> out;
  for (const auto& r : records)
    if (r.session == session)
      if (const auto* b = std::get_if<T>(&r.body)) out.push_back(*b);
  return out;
}

inline std::vector<std::string> uidls(Simulation& sim, const std::string& user) {
  std::vector<std::string> out;
  for (const auto& m : sim.maildrops().messages(user))
    out.push_back(m.uidl);
  return out;
}

inline bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

}  // namespace simtest
