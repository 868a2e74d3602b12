#include "model/state_graph.hpp"

#include <algorithm>

#include "pop3/core/command.hpp"

namespace pop3::viz {

namespace {

struct Place {
  State state;
  const char* short_name;
  float x, y;
};

// The layout: sub-states of AUTHORIZATION around it on the left, the rest to the right.
constexpr Place kPlaces[] = {
    {State::Authorization, "AUTHORIZATION", 0.17f, 0.50f},
    {State::AwaitingPass, "USER", 0.48f, 0.17f},
    {State::SaslExchange, "SASL", 0.48f, 0.83f},
    {State::TlsHandshake, "TLS", 0.14f, 0.17f},
    {State::Transaction, "TRANSACTION", 0.83f, 0.17f},
    {State::Update, "UPDATE", 0.83f, 0.52f},
    {State::Closed, "CLOSED", 0.83f, 0.85f},
};

std::string outcome_text(Outcome o) {
  switch (o) {
    case Outcome::Ok: return "+OK";
    case Outcome::Err: return "-ERR";
    case Outcome::Continue: return "+";
    case Outcome::Any: return "";
  }
  return "";
}

StateGraph build() {
  StateGraph g;
  for (std::size_t i = 0; i < kStateCount; ++i) {
    const auto s = static_cast<State>(i);
    GraphNode n;
    n.state = s;
    n.name = std::string(state_name(s));
    n.phase = std::string(phase_name(phase_of(s)));
    n.description = std::string(state_description(s));
    for (const auto& p : kPlaces)
      if (p.state == s) {
        n.short_name = p.short_name;
        n.x = p.x;
        n.y = p.y;
      }
    g.nodes.push_back(std::move(n));
  }
  for (const Transition& t : transition_table()) {
    if (!t.from) {
      g.from_any.push_back(&t);
      continue;
    }
    auto it = std::find_if(g.edges.begin(), g.edges.end(),
                           [&](const GraphEdge& e) { return e.from == *t.from && e.to == t.to; });
    if (it == g.edges.end()) {
      g.edges.push_back(GraphEdge{*t.from, t.to, {}, {}, 0});
      it = std::prev(g.edges.end());
    }
    it->rows.push_back(&t);
  }
  for (auto& e : g.edges) {
    std::vector<std::string> labels;
    for (const Transition* t : e.rows) {
      std::string l = transition_label(*t);
      if (std::find(labels.begin(), labels.end(), l) == labels.end()) labels.push_back(std::move(l));
    }
    for (std::size_t i = 0; i < labels.size(); ++i) e.label += (i ? ", " : "") + labels[i];
    // A pair of opposite edges bends apart; a single edge bends a little so labels sit
    // off the line.
    const bool paired = std::any_of(g.edges.begin(), g.edges.end(),
                                    [&](const GraphEdge& o) { return o.from == e.to && o.to == e.from; });
    e.bend = paired ? 0.18f : 0.0f;
  }
  return g;
}

}  // namespace

std::string transition_label(const Transition& t) {
  switch (t.signal) {
    case Signal::Reply: {
      std::string verb = t.verb ? std::string(verb_name(*t.verb)) : "reply";
      const std::string o = outcome_text(t.outcome);
      return o.empty() ? verb : verb + " " + o;
    }
    case Signal::SaslResponse: return "SASL " + outcome_text(t.outcome);
    case Signal::TlsEstablished: return "TLS up";
    case Signal::TlsFailed: return "TLS failed";
    case Signal::UpdateFinished: return "UPDATE done";
    case Signal::Autologout: return "autologout";
    case Signal::Shutdown: return "server shutdown";
    case Signal::ConnectionLost: return "connection lost";
  }
  return "?";
}

const StateGraph& state_graph() {
  static const StateGraph g = build();
  return g;
}

const GraphNode* find_node(const StateGraph& g, std::string_view name) noexcept {
  for (const auto& n : g.nodes)
    if (n.name == name) return &n;
  return nullptr;
}

const GraphEdge* find_edge(const StateGraph& g, std::string_view from, std::string_view to) noexcept {
  State f{}, t{};
  if (!parse_state_name(from, f) || !parse_state_name(to, t)) return nullptr;
  for (const auto& e : g.edges)
    if (e.from == f && e.to == t) return &e;
  return nullptr;
}

std::vector<std::string> legal_commands(std::string_view state) {
  std::vector<std::string> out;
  State s{};
  if (!parse_state_name(state, s)) return out;
  for (Verb v : legal_verbs(s)) out.emplace_back(verb_name(v));
  return out;
}

}  // namespace pop3::viz
