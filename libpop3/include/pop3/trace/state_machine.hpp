#pragma once
// The protocol's state machine as data, for the visualizer to draw and for documents:
// the states, the command table and the transition table of pop3::core, serialized as
// JSON. Nothing here is a copy: it is read from the core's tables when called.
#include <string>

namespace pop3::trace {

// {"format":"pop3lab-state-machine","version":1,"states":[...],"commands":[...],
//  "transitions":[...],"exposures":[...]}; the layout is in docs/trace-format.md.
// indent < 0: one line; otherwise pretty-printed with that many spaces.
[[nodiscard]] std::string state_machine_json(int indent = -1);

}  // namespace pop3::trace
