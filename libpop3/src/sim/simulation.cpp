// The simulation loop: who moves next, and how bytes get from one session to the other.
#include <algorithm>
#include <stdexcept>
#include <type_traits>

#include "simulation_impl.hpp"

namespace pop3::sim {
namespace {

constexpr std::size_t kMaxStepsPerRun = 50'000'000;  // a run that never settles is a bug

ServerConfig server_config(const Scenario& s, LabNonces& nonces) {
  ServerConfig c = s.server;
  c.tls_available = s.tls.mode == TlsMode::Stls;
  c.tls_active = s.tls.mode == TlsMode::Implicit;
  if (!s.apop)
    c.apop_timestamp.clear();
  else if (c.apop_timestamp.empty())
    c.apop_timestamp = nonces.apop_timestamp();
  return c;
}

ClientConfig client_config(const Scenario& s) {
  ClientConfig c = s.client;
  c.tls_active = s.tls.mode == TlsMode::Implicit;
  return c;
}

trace::RecorderOptions recorder_options(const Scenario& s, TimePoint start) {
  trace::RecorderOptions o;
  o.trace_start = start;
  o.expose_secrets = s.trace.expose_secrets;
  return o;
}

std::string milliseconds(Duration d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()) + " ms";
}

}  // namespace

Simulation::Impl::Impl(Scenario s, trace::Sink* external)
    : scenario(std::move(s)),
      nonces(scenario.seed, scenario.host),
      credentials(make_credentials(scenario, nonces)),
      maildrop_store(scenario.maildrops ? scenario.maildrops
                                        : std::make_shared<maildrop::MemoryMaildropStore>()),
      maildrops(*maildrop_store),
      authenticator(credentials, nonces.server_mechanism_options()),
      policy(scenario.authenticator ? scenario.authenticator(authenticator, clock) : nullptr),
      own_sink(external ? nullptr : std::make_unique<trace::MemorySink>()),
      sink(external ? *external : *own_sink),
      client_rec(sink, "client", trace::Role::Client, recorder_options(scenario, clock.start())),
      server_rec(sink, "server", trace::Role::Server, recorder_options(scenario, clock.start())),
      link_rec(sink, "link", trace::Role::Simulator, recorder_options(scenario, clock.start())),
      link(scenario.link, scenario.seed),
      middlebox(scenario.middlebox ? scenario.middlebox() : nullptr),
      drops(scenario.link.drop),
      server(server_config(scenario, nonces),
             policy ? *policy : static_cast<Authenticator&>(authenticator), maildrops, clock.now()),
      client(client_config(scenario)) {
  if (!middlebox) middlebox = std::make_unique<IdentityMiddlebox>();
  if (!scenario.maildrops) fill_maildrops(scenario, maildrops);
  const bool implicit = scenario.tls.mode == TlsMode::Implicit;
  const auto channel = implicit ? trace::Channel::Tls : trace::Channel::Plain;
  const TimePoint now = clock.now();
  client_rec.session_start(now, "sim:server", scenario.trace.label, channel);
  server_rec.session_start(now, "sim:client", scenario.trace.label, channel);
  link_rec.session_start(now, "sim:link", scenario.trace.label, channel);
  const LinkSettings& ls = scenario.link;
  link_note("seed " + std::to_string(scenario.seed) + "; " + ls.chunking.describe() + "; latency " +
            milliseconds(ls.latency) + "; TLS " + std::string(tls_mode_name(scenario.tls.mode)) +
            "; middlebox " + std::string(middlebox->name()) + "; drop " +
            (ls.drop ? ls.drop->describe() : std::string("none")));
  if (scenario.trace.expose_secrets)
    link_note("this trace holds the real secrets (expose_secrets): labs teach sniffing");
  if (auto a = drops.initial()) arm(*a);
  if (ls.drop && ls.drop->kind == DropPoint::Kind::AtTime) cut_time = clock.start() + ls.drop->at;
  if (implicit) {
    put_all(Side::Server, server_end.start_tls(make_pipe(Side::Server)));
    put_all(Side::Client, client_end.start_tls(make_pipe(Side::Client)));
  }
}

TlsPipe Simulation::Impl::make_pipe(Side side) {
  if (!server_identity) {
    server_identity = scenario.tls.server_identity
                          ? scenario.tls.server_identity
                          : TlsIdentity::self_signed(scenario.tls.certificate_names);
    trusted_identity =
        scenario.tls.trusted_identity ? scenario.tls.trusted_identity : server_identity;
  }
  if (side == Side::Server) return TlsPipe::server(scenario.tls, *server_identity);
  return TlsPipe::client(scenario.tls, trusted_identity.get());
}

void Simulation::Impl::link_note(std::string text) {
  if (!link_rec.ended()) link_rec.note(std::move(text), clock.now());
}

SimEvent Simulation::Impl::record(SimEvent e) {
  history.push_back(e);
  idle_ = false;
  return e;
}

SimEvent Simulation::Impl::step() {
  if (!pending.empty()) {
    SimEvent e = std::move(pending.front());
    pending.pop_front();
    return record(std::move(e));
  }
  if (auto e = pull(Side::Server)) return record(std::move(*e));
  if (auto e = pull(Side::Client)) return record(std::move(*e));
  if (cut_time && !cut_done && !cut_pending && clock.now() >= *cut_time)
    request_cut("at " + milliseconds(*cut_time - clock.start()));
  if (cut_pending) return record(apply_cut());
  if (auto d = link.pop_due(clock.now())) return record(deliver(std::move(*d)));
  if (auto t = next_event_time()) {
    clock.advance_to(*t);
    SimEvent e;
    e.kind = SimEvent::Kind::ClockAdvanced;
    e.at = *t;
    return record(std::move(e));
  }
  maybe_end_link();
  idle_ = true;
  SimEvent e;
  e.kind = SimEvent::Kind::Idle;
  e.at = clock.now();
  return e;
}

std::optional<SimEvent> Simulation::Impl::pull(Side side) {
  if (closed(side)) return std::nullopt;
  Step s = side == Side::Server ? server.next(clock.now()) : client.next();
  if (std::holds_alternative<NeedInput>(s)) return std::nullopt;
  const trace::Channel channel = endpoint(side).channel();
  handle(side, s);
  SimEvent e;
  e.kind = SimEvent::Kind::SessionStep;
  e.at = clock.now();
  e.side = side;
  e.direction = outgoing(side);
  e.channel = channel;
  e.step = std::move(s);
  return e;
}

void Simulation::Impl::handle(Side side, const Step& step) {
  const TimePoint now = clock.now();
  // After finish() the trace is closed; the simulation itself may still be stepped.
  if (!recorder(side).ended()) recorder(side).step(step, now);
  if (const auto* secret = std::get_if<SecretSeen>(&step)) {
    // The sender's announcement is what the link needs: it comes before the bytes.
    if (secret->direction == outgoing(side)) {
      if (!link_rec.ended()) link_rec.step(step, now);
      tap.annotate(*secret, endpoint(side).channel(), now);
    }
  } else if (const auto* send = std::get_if<Send>(&step)) {
    put_all(side, endpoint(side).send_app(send->bytes));
  } else if (std::holds_alternative<StartTls>(step)) {
    put_all(side, endpoint(side).start_tls(make_pipe(side)));
  } else if (std::holds_alternative<Closed>(step)) {
    closed(side) = true;
    recorder(side).session_end(now);  // a no-op once ended
    if (!link.is_cut()) {
      put_all(side, endpoint(side).close());
      link.schedule_fin(outgoing(side), now);
    }
  } else if (const auto* command = std::get_if<CommandEvent>(&step)) {
    drops.on_command(side, command->command.verb, endpoint(side).app_sent());
  } else if (const auto* reply = std::get_if<ReplyEvent>(&step)) {
    if (auto a = drops.on_reply(side, *reply)) arm(*a);
  }
}

void Simulation::Impl::put_all(Side side, std::vector<detail::WireWrite> writes) {
  for (detail::WireWrite& w : writes)
    put_on_wire(side, std::move(w));
}

void Simulation::Impl::put_on_wire(Side side, detail::WireWrite w) {
  if (link.is_cut() || w.bytes.empty()) return;  // a broken connection takes nothing
  const Direction d = outgoing(side);
  const TimePoint now = clock.now();
  if (w.carries_app) {
    const std::uint64_t begin = tap.stream(d).size();
    const Segment segment{w.app_begin, w.app_end, begin, begin + w.bytes.size(), w.channel, now};
    tap.map(d, segment);
    if (auto a = drops.on_write(side, segment, w.app)) arm(*a);
  }
  for (std::string& chunk : link.chunk(d, w.bytes)) {
    const std::uint64_t offset = tap.capture(d, w.channel, chunk, now);
    if (!link_rec.ended()) link_rec.wire(d, w.channel, chunk, now);
    const ChunkView view{d, w.channel, chunk, offset, now};
    MiddleboxOutput out(view);
    middlebox->on_chunk(view, out);
    for (const MiddleboxOutput::Action& a : out.actions()) {
      switch (a.kind) {
        case MiddleboxOutput::Action::Kind::Forward:
          link.schedule(a.direction, a.channel, a.bytes, now);
          break;
        case MiddleboxOutput::Action::Kind::Inject:
          tap.capture_injected(a.direction, a.channel, a.bytes, now);
          link_note(std::string(middlebox->name()) + " injected " + std::to_string(a.bytes.size()) +
                    " octets " + std::string(direction_name(a.direction)));
          link.schedule(a.direction, a.channel, a.bytes, now);
          break;
        case MiddleboxOutput::Action::Kind::Note:
          link_note(std::string(middlebox->name()) + ": " + a.bytes);
          break;
        case MiddleboxOutput::Action::Kind::Cut:
          request_cut(std::string(middlebox->name()) + ": " + a.bytes);
          break;
      }
    }
  }
}

SimEvent Simulation::Impl::deliver(Link::Delivery d) {
  const Side to = receiver(d.direction);
  const Side from = to == Side::Client ? Side::Server : Side::Client;
  SimEvent e;
  e.kind = SimEvent::Kind::Delivered;
  e.at = clock.now();
  e.side = to;
  e.direction = d.direction;
  e.channel = d.channel;
  e.bytes = d.bytes;
  if (d.fin) {
    e.detail = "the " + std::string(side_name(from)) + " closed the connection";
    if (!closed(to)) {
      e.kind = SimEvent::Kind::PeerClosed;
      if (to == Side::Client)
        client.connection_lost();
      else
        server.connection_lost();
    } else {
      e.detail += " (the " + std::string(side_name(to)) + " had closed already)";
    }
  } else if (!closed(to) && !d.bytes.empty()) {
    detail::Incoming in = endpoint(to).receive(d.bytes);
    put_all(to, std::move(in.writes));
    if (in.tls_up) tls_up(to);
    if (in.tls_failed) tls_failed(to, in.failure);
    if (!in.app.empty()) feed(to, in.app);
  }
  if (d.cut_after) {
    std::string why = "after " + std::to_string(link.delivered(d.direction)) + " octets " +
                      std::string(direction_name(d.direction));
    if (scenario.link.drop) why += " (" + scenario.link.drop->describe() + ")";
    request_cut(std::move(why));
  }
  return e;
}

void Simulation::Impl::feed(Side side, const std::string& app) {
  if (side == Side::Client) {
    client.feed(app);
  } else {
    server.feed(app, clock.now());
  }
}

void Simulation::Impl::tls_up(Side side) {
  const TimePoint now = clock.now();
  const TlsPipe& pipe = *endpoint(side).tls();
  if (scenario.tls.mode != TlsMode::Implicit) {  // implicit TLS sessions started under TLS
    if (side == Side::Client) {
      client.tls_established();
    } else {
      server.tls_established(now);
    }
  }
  if (!recorder(side).ended()) recorder(side).tls_established(pipe.version(), pipe.cipher(), now);
  if (!link_tls_recorded && !link_rec.ended()) {
    link_rec.tls_established(pipe.version(), pipe.cipher(), now);
    link_tls_recorded = true;
  }
  SimEvent e;
  e.kind = SimEvent::Kind::TlsUp;
  e.at = now;
  e.side = side;
  e.channel = trace::Channel::Tls;
  e.detail = pipe.version() + " " + pipe.cipher();
  pending.push_back(std::move(e));
}

void Simulation::Impl::tls_failed(Side side, const std::string& why) {
  const TimePoint now = clock.now();
  // A failed STLS handshake is the session's tls_failed(). On an implicit-TLS port, or
  // once the handshake is done (a record that does not decrypt), the connection just ends.
  if (scenario.tls.mode == TlsMode::Implicit || endpoint(side).tls_was_up()) {
    if (side == Side::Client)
      client.connection_lost();
    else
      server.connection_lost();
  } else if (side == Side::Client) {
    client.tls_failed();
  } else {
    server.tls_failed();
  }
  if (!recorder(side).ended()) recorder(side).tls_failed(why, now);
  link_note("TLS failed on the " + std::string(side_name(side)) + " side: " + why);
  SimEvent e;
  e.kind = SimEvent::Kind::TlsFailed;
  e.at = now;
  e.side = side;
  e.channel = trace::Channel::Tls;
  e.detail = why;
  pending.push_back(std::move(e));
}

void Simulation::Impl::request_cut(std::string why) {
  if (cut_done || cut_pending) return;
  cut_pending = true;
  cut_reason = std::move(why);
  idle_ = false;
}

SimEvent Simulation::Impl::apply_cut() {
  cut_pending = false;
  cut_done = true;
  link.cut();
  link_note("the connection broke: " + cut_reason + "; bytes in flight are lost");
  // What arrived before the break has been taken in; now both sides see the loss.
  if (!client_closed) client.connection_lost();
  if (!server_closed) server.connection_lost();
  SimEvent e;
  e.kind = SimEvent::Kind::LinkCut;
  e.at = clock.now();
  e.detail = cut_reason;
  return e;
}

void Simulation::Impl::arm(const detail::Arm& a) {
  link.limit(a.direction, a.octets);
  std::string text = "drop armed: the link breaks once " + std::to_string(a.octets) +
                     " octets have crossed " + std::string(direction_name(a.direction));
  if (scenario.link.drop) text += " (" + scenario.link.drop->describe() + ")";
  link_note(std::move(text));
  if (link.limit_reached(a.direction))
    request_cut("after " + std::to_string(link.delivered(a.direction)) + " octets " +
                std::string(direction_name(a.direction)) +
                (scenario.link.drop ? " (" + scenario.link.drop->describe() + ")" : std::string()));
}

std::optional<TimePoint> Simulation::Impl::next_event_time() const {
  const TimePoint now = clock.now();
  std::optional<TimePoint> t;
  auto consider = [&](TimePoint x) {
    if (x > now && (!t || x < *t)) t = x;
  };
  if (auto due = link.next_due()) consider(*due);
  if (!server_closed) {
    // A failed login's held-back -ERR is an event; the autologout timer only when
    // run_for() lets time pass that far.
    if (auto due = server.reply_due()) consider(*due);
    if (horizon && server.autologout_at() <= *horizon) consider(server.autologout_at());
  }
  // A timed drop happens on time if anything would happen after it.
  if (cut_time && !cut_done && *cut_time > now) {
    const bool reached = (t && *cut_time <= *t) || (horizon && *cut_time <= *horizon);
    if (reached) t = *cut_time;
  }
  if (t && horizon && *t > *horizon) return std::nullopt;
  return t;
}

void Simulation::Impl::maybe_end_link() {
  if (link_rec.ended() || !client_closed || !server_closed || !link.idle()) return;
  link_rec.session_end(clock.now(), cut_done ? "the connection broke: " + cut_reason
                                             : std::string("both sides closed the connection"));
}

Exchange Simulation::Impl::run_until_idle() {
  const std::size_t from = history.size();
  for (std::size_t i = 0;; ++i) {
    if (i == kMaxStepsPerRun) throw std::logic_error("simulator: the run does not settle");
    if (step().kind == SimEvent::Kind::Idle) break;
  }
  return summarize(from);
}

Exchange Simulation::Impl::summarize(std::size_t from) const {
  Exchange ex;
  bool client_tls = false;
  bool server_tls = false;
  for (std::size_t i = from; i < history.size(); ++i) {
    const SimEvent& e = history[i];
    ex.events.push_back(e);
    switch (e.kind) {
      case SimEvent::Kind::SessionStep: {
        const bool c = e.side == Side::Client;
        if (const auto* r = std::get_if<ReplyEvent>(&e.step)) {
          if (c) ex.replies.push_back(*r);
        } else if (const auto* s = std::get_if<StateChange>(&e.step)) {
          (c ? ex.client_states : ex.server_states).push_back(*s);
        } else if (const auto* v = std::get_if<Violation>(&e.step)) {
          (c ? ex.client_violations : ex.server_violations).push_back(*v);
        } else if (const auto* closed_step = std::get_if<Closed>(&e.step)) {
          if (!c && closed_step->update_done) ex.server_update_done = true;
        }
        break;
      }
      case SimEvent::Kind::TlsUp:
        (e.side == Side::Client ? client_tls : server_tls) = true;
        break;
      case SimEvent::Kind::TlsFailed:
        if (ex.tls_failure.empty())
          ex.tls_failure = std::string(side_name(e.side)) + ": " + e.detail;
        break;
      case SimEvent::Kind::LinkCut:
      case SimEvent::Kind::PeerClosed:
        ex.connection_lost = true;
        break;
      default:
        break;
    }
  }
  ex.tls_established = client_tls && server_tls;
  return ex;
}

void Simulation::Impl::finish() {
  const TimePoint now = clock.now();
  const std::string reason = "the simulation ended with the connection open";
  if (!client_rec.ended()) client_rec.session_end(now, client_closed ? std::string() : reason);
  if (!server_rec.ended()) server_rec.session_end(now, server_closed ? std::string() : reason);
  if (!link_rec.ended())
    link_rec.session_end(now, cut_done ? "the connection broke: " + cut_reason : reason);
}

}  // namespace pop3::sim
