#pragma once
// The protocol's state machine as a graph to draw, built from the core's own tables
// (pop3::transition_table(), pop3::command_table()): nodes are the states, edges group
// the transition rows between two states. Only the positions are ours: a layout that
// reads left to right, AUTHORIZATION (and its sub-states) -> TRANSACTION -> UPDATE, with
// CLOSED a bar along the bottom that every way out drops into (so those arrows cross
// nothing). Rows that apply "from any state" (connection lost, autologout, shutdown) are
// kept apart: drawn as one note rather than an arrow from every state.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pop3/core/state.hpp"
#include "pop3/core/state_table.hpp"

namespace pop3::viz {

struct GraphNode {
  State state{};
  std::string name;        // "AUTHORIZATION/USER" (as in traces)
  std::string short_name;  // "USER": the sub-state inside the AUTHORIZATION box
  std::string phase;       // "AUTHORIZATION"
  std::string description;
  float x = 0, y = 0;  // centre, in [0, 1] x [0, 1] of the drawing area
  bool sink = false;   // drawn as a bar along the bottom: arrows drop straight into it
};

struct GraphEdge {
  State from{};
  State to{};
  std::vector<const Transition*> rows;  // the table rows this edge stands for
  std::string label;                    // "USER +OK", "PASS -ERR, USER -ERR"
  float bend = 0;                       // curvature: opposite for a pair of edges
};

struct StateGraph {
  std::vector<GraphNode> nodes;  // in the core's state order
  std::vector<GraphEdge> edges;
  std::vector<const Transition*> from_any;  // rows with from = any state
};

[[nodiscard]] const StateGraph& state_graph();
[[nodiscard]] const GraphNode* find_node(const StateGraph& g, std::string_view name) noexcept;
// The edge a state change went along (by state names as traces write them); nullptr
// when none (a change through a "from any" row, or names this build does not know).
[[nodiscard]] const GraphEdge* find_edge(const StateGraph& g, std::string_view from,
                                         std::string_view to) noexcept;
// "USER +OK", "SASL +", "TLS up", "connection lost".
[[nodiscard]] std::string transition_label(const Transition& t);
// The commands legal in a state (by name), from the command table, in table order.
[[nodiscard]] std::vector<std::string> legal_commands(std::string_view state);

}  // namespace pop3::viz
