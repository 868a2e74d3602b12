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
    {State::Authorization, "AUTHORIZATION", 0.15f, 0.45f},
    {State::AwaitingPass, "USER", 0.47f, 0.14f},
    {State::SaslExchange, "SASL", 0.13f, 0.14f},
    {State::TlsHandshake, "TLS", 0.33f, 0.69f},
    {State::Transaction, "TRANSACTION", 0.80f, 0.42f},
    {State::Update, "UPDATE", 0.80f, 0.69f},
    {State::Closed, "CLOSED", 0.50f, 0.93f},
};

std::string outcome_text(Outcome o) {
  switch (o) {
    case Outcome::Ok:
      return "+OK";
    case Outcome::Err:
      return "-ERR";
    case Outcome::Continue:
      return "+";
    case Outcome::Any:
      return "";
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
        n.sink = s == State::Closed;
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
    // One label per outcome, the verbs before it: "USER/PASS -ERR", "APOP/AUTH +OK".
    std::vector<std::pair<std::string, std::string>> parts;  // outcome -> verbs
    std::vector<std::string> others;
    for (const Transition* t : e.rows) {
      if (t->signal == Signal::Reply && t->verb) {
        const std::string o = outcome_text(t->outcome);
        auto it =
            std::find_if(parts.begin(), parts.end(), [&](const auto& p) { return p.first == o; });
        if (it == parts.end()) {
          parts.emplace_back(o, std::string(verb_name(*t->verb)));
        } else if (it->second.find(verb_name(*t->verb)) == std::string::npos) {
          it->second += "/" + std::string(verb_name(*t->verb));
        }
      } else {
        // On the drawing, UPDATE's two outcomes share one arrow and one label, and a SASL
        // response's arrow leaves the SASL box: its outcome says enough.
        std::string l = t->signal == Signal::UpdateFinished ? "UPDATE done"
                        : t->signal == Signal::SaslResponse ? outcome_text(t->outcome)
                                                            : transition_label(*t);
        if (std::find(others.begin(), others.end(), l) == others.end())
          others.push_back(std::move(l));
      }
    }
    for (const auto& [o, verbs] : parts)
      e.label += (e.label.empty() ? "" : ", ") + verbs + (o.empty() ? "" : " " + o);
    for (const auto& l : others)
      e.label += (e.label.empty() ? "" : ", ") + l;
    // A pair of opposite edges bends apart; a single edge bends a little so labels sit
    // off the line.
    const bool paired = std::any_of(g.edges.begin(), g.edges.end(), [&](const GraphEdge& o) {
      return o.from == e.to && o.to == e.from;
    });
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
    case Signal::SaslResponse:
      return "SASL " + outcome_text(t.outcome);
    case Signal::TlsEstablished:
      return "TLS up";
    case Signal::TlsFailed:
      return "TLS failed";
    case Signal::UpdateFinished:
      return t.outcome == Outcome::Err ? "UPDATE failed" : "UPDATE done";
    case Signal::Autologout:
      return "autologout";
    case Signal::Shutdown:
      return "server shutdown";
    case Signal::ConnectionLost:
      return "connection lost";
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

const GraphEdge* find_edge(const StateGraph& g, std::string_view from,
                           std::string_view to) noexcept {
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
  for (Verb v : legal_verbs(s))
    out.emplace_back(verb_name(v));
  return out;
}

}  // namespace pop3::viz
