#include "model/trace_model.hpp"

#include <algorithm>

namespace pop3::viz {

void TraceModel::clear() {
  records_.clear();
  record_session_.clear();
  header_.reset();
  sessions_.clear();
  session_index_.clear();
  exposures_.clear();
  cursor_ = 0;
  live_ = true;
  selection_.reset();
  focus_.reset();
  ++revision_;
  ++generation_;
}

std::optional<std::size_t> TraceModel::find_session(std::string_view id) const noexcept {
  const auto it = session_index_.find(std::string(id));
  return it == session_index_.end() ? std::nullopt : std::optional<std::size_t>(it->second);
}

Session& TraceModel::session_for(const std::string& id) {
  // Records of one session usually come in runs: look at the last one first.
  if (!record_session_.empty() && sessions_[record_session_.back()].id == id)
    return sessions_[record_session_.back()];
  const auto [it, added] = session_index_.try_emplace(id, sessions_.size());
  if (added) {
    Session s;
    s.id = id;
    sessions_.push_back(std::move(s));
  }
  return sessions_[it->second];
}

void TraceModel::append(trace::Record record) {
  if (std::holds_alternative<trace::HeaderRecord>(record.body)) {
    header_ = std::move(record);
    ++revision_;
    return;
  }
  records_.push_back(std::move(record));
  index(records_.size() - 1);
  ++revision_;
}

void TraceModel::index(std::size_t i) {
  const trace::Record& r = records_[i];
  Session& s = session_for(r.session);
  const auto si = static_cast<std::uint32_t>(&s - sessions_.data());
  record_session_.push_back(si);
  s.records.push_back(i);
  const std::string state =
      s.states.empty() ? std::string(s.started ? "AUTHORIZATION" : "") : s.states.back().to;
  const bool under_tls = s.tls_established.has_value() || s.start_channel == trace::Channel::Tls;

  if (const auto* start = std::get_if<trace::SessionStartRecord>(&r.body)) {
    s.started = true;
    s.role = start->role;
    s.peer = start->peer;
    s.label = start->label;
    s.start_channel = start->channel;
    s.transcript.set_role(start->role);
  } else if (const auto* app = std::get_if<trace::AppBytesRecord>(&r.body)) {
    s.app.add(i, app->direction, trace::Channel::Plain, app->bytes);
    s.transcript.on_app_bytes(s.app, i);
    return;
  } else if (const auto* wire = std::get_if<trace::WireBytesRecord>(&r.body)) {
    s.wire.add(i, wire->direction, wire->channel, wire->bytes);
    return;
  } else if (const auto* st = std::get_if<trace::StateChangeRecord>(&r.body)) {
    s.states.push_back({i, st->from, st->to, st->why});
  } else if (std::holds_alternative<trace::TlsRequestedRecord>(r.body)) {
    s.tls_requested = i;
  } else if (const auto* up = std::get_if<trace::TlsEstablishedRecord>(&r.body)) {
    s.tls_established = i;
    s.tls_version = up->version;
    s.tls_cipher = up->cipher;
  } else if (const auto* failed = std::get_if<trace::TlsFailedRecord>(&r.body)) {
    s.tls_failed = i;
    s.tls_failure = failed->reason;
  } else if (const auto* e = std::get_if<trace::ExposureRecord>(&r.body)) {
    ExposureEntry x;
    x.record = i;
    x.session = si;
    x.dir = e->direction;
    x.offset = e->offset;
    x.length = e->length;
    x.kind = e->kind;
    x.label = e->label;
    x.channel = e->channel;
    s.exposures.push_back(exposures_.size());
    exposures_.push_back(std::move(x));
  } else if (const auto* end = std::get_if<trace::SessionEndRecord>(&r.body)) {
    s.ended = i;
    s.update_done = end->update_done;
    s.end_reason = end->reason;
  }
  s.transcript.add(r, i, state, under_tls, s.app);
}

std::optional<std::size_t> TraceModel::focus() const noexcept {
  if (focus_ && *focus_ < sessions_.size()) return focus_;
  // The newest client session begun before the cursor (a lab that reconnects moves on to
  // its new connection), else the newest server session, else any.
  const std::size_t c = cursor();
  // Sessions are in the order of their first records: those begun before the cursor are a
  // prefix, found by bisection (a server's trace holds thousands, and this runs several
  // times a frame).
  const auto begun = static_cast<std::size_t>(
      std::partition_point(sessions_.begin(), sessions_.end(),
                           [c](const Session& s) { return s.records.front() < c; }) -
      sessions_.begin());
  for (trace::Role role : {trace::Role::Client, trace::Role::Server}) {
    for (std::size_t i = begun; i-- > 0;)
      if (sessions_[i].started && sessions_[i].role == role) return i;
    // None begun yet: the first of that role.
    for (std::size_t i = begun; i < sessions_.size(); ++i)
      if (sessions_[i].started && sessions_[i].role == role) return i;
  }
  for (std::size_t i = 0; i < sessions_.size(); ++i)
    if (!sessions_[i].transcript.rows().empty()) return i;
  return sessions_.empty() ? std::nullopt : std::optional<std::size_t>(0);
}

namespace {
// "client-3" -> "-3", "client" -> "": the simulator names a lab's later connections so.
std::string_view connection_suffix(std::string_view id) {
  const auto dash = id.rfind('-');
  if (dash == std::string_view::npos || dash + 1 == id.size()) return {};
  for (char c : id.substr(dash + 1))
    if (c < '0' || c > '9') return {};
  return id.substr(dash);
}
}  // namespace

std::optional<std::size_t> TraceModel::wire_session() const noexcept {
  const auto f = focus();
  // A session with its own wire view (a server's trace) shows itself.
  if (f && !sessions_[*f].wire.empty()) return f;
  // The simulator's link of the focused connection ("client-2" -> "link-2").
  if (f) {
    const std::string_view suffix = connection_suffix(sessions_[*f].id);
    for (std::size_t i = 0; i < sessions_.size(); ++i)
      if (!sessions_[i].wire.empty() && sessions_[i].role == trace::Role::Simulator &&
          connection_suffix(sessions_[i].id) == suffix)
        return i;
  }
  std::optional<std::size_t> any;
  for (std::size_t i = sessions_.size(); i-- > 0;) {
    if (sessions_[i].wire.empty()) continue;
    if (sessions_[i].role == trace::Role::Simulator) return i;
    any = i;
  }
  return any;
}

void TraceModel::set_cursor(std::size_t cursor) noexcept {
  cursor = std::min(cursor, records_.size());
  cursor_ = cursor;
  live_ = false;
}

void TraceModel::set_live(bool live) noexcept {
  if (!live && live_) cursor_ = records_.size();
  live_ = live;
}

bool TraceModel::is_selected(const ByteRef& ref) const noexcept {
  if (!selection_) return false;
  const ByteRef& s = *selection_;
  if (s.record == ref.record && s.begin == ref.begin && s.end == ref.end && s.wire == ref.wire)
    return true;
  if (!s.has_range || !ref.has_range || s.dir != ref.dir) return false;
  if (s.session != ref.session && s.session < sessions_.size() && ref.session < sessions_.size() &&
      sessions_[s.session].role == sessions_[ref.session].role)
    return false;
  if (s.begin >= ref.end || ref.begin >= s.end) return false;
  if (s.wire == ref.wire) return s.pre_tls == ref.pre_tls || !s.wire;  // same kind of offsets
  // Wire offsets equal application offsets only for bytes that crossed before TLS.
  return s.pre_tls && ref.pre_tls;
}

std::string TraceModel::state_at(std::size_t session, std::size_t cursor) const {
  const Session& s = sessions_.at(session);
  if (s.records.empty() || s.records.front() >= cursor) return "";
  if (s.started && s.role == trace::Role::Simulator) return "";  // the link has no protocol state
  const auto n = visible_count(s.states, cursor, [](const StateEntry& c) { return c.record; });
  if (n == 0) return s.started ? "AUTHORIZATION" : "";
  return s.states[n - 1].to;
}

const StateEntry* TraceModel::last_change_at(std::size_t session, std::size_t cursor) const {
  const Session& s = sessions_.at(session);
  const auto n = visible_count(s.states, cursor, [](const StateEntry& c) { return c.record; });
  return n == 0 ? nullptr : &s.states[n - 1];
}

TlsView TraceModel::tls_at(std::size_t session, std::size_t cursor) const {
  const Session& s = sessions_.at(session);
  TlsView v;
  v.implicit = s.start_channel == trace::Channel::Tls;
  if (v.implicit) v.status = TlsStatus::Established;
  if (s.tls_requested && *s.tls_requested < cursor) v.status = TlsStatus::Requested;
  if (s.tls_established && *s.tls_established < cursor) {
    v.status = TlsStatus::Established;
    v.version = s.tls_version;
    v.cipher = s.tls_cipher;
  }
  if (s.tls_failed && *s.tls_failed < cursor) {
    v.status = TlsStatus::Failed;
    v.failure = s.tls_failure;
  }
  return v;
}

std::size_t TraceModel::transcript_rows_at(std::size_t session, std::size_t cursor) const {
  const auto& rows = sessions_.at(session).transcript.rows();
  return visible_count(rows, cursor, [](const TranscriptRow& r) { return r.record; });
}

}  // namespace pop3::viz
