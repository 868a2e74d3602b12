#include "pop3/trace/state_machine.hpp"

#include <nlohmann/json.hpp>

#include "pop3/core/command_table.hpp"
#include "pop3/core/exposure.hpp"
#include "pop3/core/state.hpp"
#include "pop3/core/state_table.hpp"

namespace pop3::trace {
namespace {

using Json = nlohmann::ordered_json;

// Names for the export's vocabulary; the core's enums have no text of their own.
std::string arg_kind_name(ArgKind kind) {
  switch (kind) {
    case ArgKind::None:
      return "none";
    case ArgKind::Word:
      return "word";
    case ArgKind::LongWord:
      return "long-word";
    case ArgKind::MessageNumber:
      return "message-number";
    case ArgKind::LineCount:
      return "line-count";
    case ArgKind::RestOfLine:
      return "rest-of-line";
  }
  return "unknown";
}

std::string multiline_name(MultiLine rule) {
  switch (rule) {
    case MultiLine::Never:
      return "never";
    case MultiLine::Always:
      return "always";
    case MultiLine::WithoutArgument:
      return "without-argument";
  }
  return "unknown";
}

std::string str(std::string_view text) {
  return std::string(text);
}

State state_at(std::size_t index) {
  return static_cast<State>(index);
}

Json states() {
  Json list = Json::array();
  for (std::size_t i = 0; i < kStateCount; ++i) {
    const State s = state_at(i);
    list.push_back({{"name", str(state_name(s))},
                    {"phase", str(phase_name(phase_of(s)))},
                    {"description", str(state_description(s))}});
  }
  return list;
}

Json commands() {
  Json list = Json::array();
  for (const CommandSpec& spec : command_table()) {
    Json legal = Json::array();
    for (std::size_t i = 0; i < kStateCount; ++i) {
      if (spec.legal.contains(state_at(i))) legal.push_back(str(state_name(state_at(i))));
    }
    Json args = Json::array();
    for (ArgKind kind : {spec.arg1, spec.arg2}) {
      if (kind != ArgKind::None) args.push_back(arg_kind_name(kind));
    }
    Json secret = nullptr;
    if (spec.secret_arg >= 0) {
      secret = {{"arg", spec.secret_arg}, {"exposure", str(exposure_name(spec.secret_exposure))}};
    }
    list.push_back({{"name", str(spec.name)},
                    {"synopsis", str(spec.synopsis)},
                    {"summary", str(spec.summary)},
                    {"legal_in", legal},
                    {"args", args},
                    {"min_args", spec.min_args},
                    {"max_args", spec.max_args},
                    {"multiline", multiline_name(spec.multiline)},
                    {"secret", secret},
                    {"capability", str(spec.capability)},
                    {"rfc", str(spec.rfc)}});
  }
  return list;
}

Json transitions() {
  Json list = Json::array();
  for (const Transition& row : transition_table()) {
    list.push_back({{"from", row.from ? Json(str(state_name(*row.from))) : Json(nullptr)},
                    {"signal", str(signal_name(row.signal))},
                    {"verb", row.verb ? Json(str(verb_name(*row.verb))) : Json(nullptr)},
                    {"outcome", str(outcome_name(row.outcome))},
                    {"to", str(state_name(row.to))},
                    {"why", str(row.why)}});
  }
  return list;
}

Json exposures() {
  Json list = Json::array();
  for (Exposure e : {Exposure::None, Exposure::Cleartext, Exposure::Base64, Exposure::Digest,
                     Exposure::SaltedProof}) {
    list.push_back(
        {{"name", str(exposure_name(e))}, {"consequence", str(exposure_consequence(e))}});
  }
  return list;
}

}  // namespace

std::string state_machine_json(int indent) {
  Json doc = Json::object();
  doc["format"] = "pop3lab-state-machine";
  doc["version"] = 1;
  doc["states"] = states();
  doc["commands"] = commands();
  doc["transitions"] = transitions();
  doc["exposures"] = exposures();
  // replace: the tables are the core's own literals (UTF-8 "§"); never fail on them.
  return doc.dump(indent, ' ', false, Json::error_handler_t::replace);
}

}  // namespace pop3::trace
