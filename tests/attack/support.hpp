#pragma once
// Shared by the attack tests: scenarios, chunkings, the shipped wordlists.
#include <string>
#include <string_view>
#include <vector>

#include "pop3/attack/attack.hpp"
#include "pop3/sim/sim.hpp"

namespace attacktest {

using namespace pop3;
using namespace pop3::attack;
using pop3::sim::Chunking;
using pop3::sim::Exchange;
using pop3::sim::Scenario;
using pop3::sim::Side;
using pop3::sim::Simulation;
using pop3::sim::TlsMode;

inline constexpr std::string_view kWeak = "sunshine";  // in both shipped wordlists
inline constexpr std::string_view kStrong = "v7#Qm!traffic-Lamp-2931";

inline Scenario stls_scenario(std::uint64_t seed = 11) {
  Scenario s;
  s.seed = seed;
  s.tls.mode = TlsMode::Stls;
  s.add_account("alice", std::string(kWeak)).messages = {"Subject: hi\r\n\r\nhello\r\n"};
  return s;
}

// Whole writes, one octet at a time, and random pieces: an attacker must not depend on
// how the link cuts the stream.
inline std::vector<Chunking> chunkings() {
  return {Chunking::whole(), Chunking::fixed(1), Chunking::random(1, 7)};
}

inline Wordlist wordlist(const char* name) {
  return Wordlist::load(std::string(POP3LAB_WORDLISTS) + "/" + name);
}

template <class T>
std::vector<T> steps_of(const Simulation& sim, Side side) {
  std::vector<T> out;
  for (const auto& e : sim.history())
    if (e.kind == sim::SimEvent::Kind::SessionStep && e.side == side)
      if (const auto* s = std::get_if<T>(&e.step)) out.push_back(*s);
  return out;
}

template <class T>
std::vector<T> records_of(const Simulation& sim, std::string_view session) {
  std::vector<T> out;
  for (const auto& r : sim.memory_trace()->records)
    if (r.session == session)
      if (const auto* b = std::get_if<T>(&r.body)) out.push_back(*b);
  return out;
}

inline bool has_note(const Simulation& sim, const std::string& words) {
  for (const auto& n : records_of<trace::NoteRecord>(sim, "link"))
    if (n.text.find(words) != std::string::npos) return true;
  return false;
}

inline bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

}  // namespace attacktest
