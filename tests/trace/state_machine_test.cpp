// The state machine export: the core's tables, complete, as JSON.
#include "pop3/trace/state_machine.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "pop3/core/command_table.hpp"
#include "pop3/core/state_table.hpp"

namespace pop3::trace {
namespace {

nlohmann::json exported() {
  return nlohmann::json::parse(state_machine_json());
}

std::string str(std::string_view s) {
  return std::string(s);
}

}  // namespace

TEST_CASE("state machine export: names its format and version") {
  const auto doc = exported();
  CHECK(doc["format"] == "pop3lab-state-machine");
  CHECK(doc["version"] == 1);
}

TEST_CASE("state machine export: every state with its phase and description") {
  const auto states = exported()["states"];
  REQUIRE(states.size() == kStateCount);
  for (std::size_t i = 0; i < kStateCount; ++i) {
    const auto s = static_cast<State>(i);
    CHECK(states[i]["name"] == str(state_name(s)));
    CHECK(states[i]["phase"] == str(phase_name(phase_of(s))));
    CHECK(states[i]["description"] == str(state_description(s)));
  }
}

TEST_CASE("state machine export: every verb of the command table, with its rules") {
  const auto commands = exported()["commands"];
  const auto table = command_table();
  REQUIRE(commands.size() == table.size());
  REQUIRE(table.size() == kVerbCount);
  for (std::size_t i = 0; i < table.size(); ++i) {
    const CommandSpec& spec = table[i];
    const auto& c = commands[i];
    CAPTURE(spec.name);
    CHECK(c["name"] == str(spec.name));
    CHECK(c["synopsis"] == str(spec.synopsis));
    CHECK(c["summary"] == str(spec.summary));
    CHECK(c["capability"] == str(spec.capability));
    CHECK(c["rfc"] == str(spec.rfc));
    CHECK(c["min_args"] == spec.min_args);
    CHECK(c["max_args"] == spec.max_args);
    std::size_t legal = 0;
    for (std::size_t k = 0; k < kStateCount; ++k) {
      if (spec.legal.contains(static_cast<State>(k))) {
        CHECK(c["legal_in"][legal] == str(state_name(static_cast<State>(k))));
        ++legal;
      }
    }
    CHECK(c["legal_in"].size() == legal);
    CHECK(c["multiline"].is_string());
    CHECK(c["secret"].is_null() == (spec.secret_arg < 0));
    if (spec.secret_arg >= 0) {
      CHECK(c["secret"]["arg"] == spec.secret_arg);
      CHECK(c["secret"]["exposure"] == str(exposure_name(spec.secret_exposure)));
    }
  }
  CHECK(commands[static_cast<std::size_t>(Verb::Retr)]["multiline"] == "always");
  CHECK(commands[static_cast<std::size_t>(Verb::List)]["multiline"] == "without-argument");
  CHECK(commands[static_cast<std::size_t>(Verb::Stat)]["multiline"] == "never");
}

TEST_CASE("state machine export: every row of the transition table, in order") {
  const auto transitions = exported()["transitions"];
  const auto table = transition_table();
  REQUIRE(transitions.size() == table.size());
  for (std::size_t i = 0; i < table.size(); ++i) {
    const Transition& row = table[i];
    const auto& t = transitions[i];
    CAPTURE(i);
    CHECK(t["from"] == (row.from ? nlohmann::json(str(state_name(*row.from))) : nullptr));
    CHECK(t["signal"] == str(signal_name(row.signal)));
    CHECK(t["verb"] == (row.verb ? nlohmann::json(str(verb_name(*row.verb))) : nullptr));
    CHECK(t["outcome"] == str(outcome_name(row.outcome)));
    CHECK(t["to"] == str(state_name(row.to)));
    CHECK(t["why"] == str(row.why));
  }
}

TEST_CASE("state machine export: every exposure kind with its consequence") {
  const auto exposures = exported()["exposures"];
  REQUIRE(exposures.size() == 5);
  CHECK(exposures[1]["name"] == str(exposure_name(Exposure::Cleartext)));
  CHECK(exposures[1]["consequence"] == str(exposure_consequence(Exposure::Cleartext)));
}

TEST_CASE("state machine export: pretty-printing changes the layout, not the content") {
  CHECK(nlohmann::json::parse(state_machine_json(2)) == exported());
  CHECK(state_machine_json().find('\n') == std::string::npos);
}

}  // namespace pop3::trace
