#include "model/transcript.hpp"

#include <variant>

#include "model/text.hpp"

namespace pop3::viz {

namespace {

bool is_status_line(std::string_view line) noexcept {
  return line.starts_with("+OK") || line.starts_with("-ERR") || line.starts_with("+");
}

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace

std::size_t Transcript::push(TranscriptRow row) {
  rows_.push_back(std::move(row));
  return rows_.size() - 1;
}

void Transcript::add(const trace::Record& record, std::size_t index, const std::string& state,
                     bool under_tls, const ByteLog& app) {
  under_tls_ = under_tls;
  TranscriptRow row;
  row.record = index;
  row.pre_tls = !under_tls;
  std::visit(
      Overloaded{
          [&](const trace::CommandRecord& c) {
            row.kind = RowKind::Command;
            row.dir = Direction::ClientToServer;
            row.verb = c.verb;
            row.text = c.verb;
            for (const auto& a : c.args)
              row.text += " " + printable(a);
            row.redacted = c.redacted;
            const std::size_t i = push(std::move(row));
            awaiting_reply_.push_back(i);
            claim_c2s(i, c.verb, app);
          },
          [&](const trace::ReplyRecord& r) {
            row.kind = RowKind::Reply;
            row.dir = Direction::ServerToClient;
            row.status = r.status;
            row.verb = r.verb.value_or("");
            row.greeting = r.greeting;
            row.text = std::string(status_token(r.status));
            if (r.code) row.text += " [" + printable(*r.code) + "]";
            if (!r.text.empty()) row.text += " " + printable(r.text);
            row.multiline = r.multiline;
            row.body_lines = r.body_lines;
            row.body_octets = r.body_octets;
            row.lines = r.lines;
            row.error = r.status == Status::Err;
            if (role_ != trace::Role::Client && !pending_s2c_detail_.empty()) {
              row.detail = std::move(pending_s2c_detail_);
              pending_s2c_detail_.clear();
            }
            const std::size_t i = push(std::move(row));
            if (!r.greeting && !awaiting_reply_.empty()) {
              const std::size_t c = awaiting_reply_.front();
              rows_[i].partner = static_cast<std::ptrdiff_t>(c);
              rows_[c].partner = static_cast<std::ptrdiff_t>(i);
              if (r.status != Status::Continue) awaiting_reply_.pop_front();
            }
            s2c_waiting_.push_back(i);
            drain_s2c(app);
          },
          [&](const trace::AuthStepRecord& a) {
            if (a.direction == Direction::ClientToServer) {
              if (state == "AUTHORIZATION/SASL") {
                row.kind = RowKind::SaslResponse;
                row.dir = Direction::ClientToServer;
                row.text = "(" + printable(a.mechanism) + " response)";
                row.detail = printable(a.description);
                const std::size_t i = push(std::move(row));
                claim_c2s(i, "", app);
              } else {
                // The step of a command just given (AUTH's initial response, PASS).
                for (auto it = rows_.rbegin(); it != rows_.rend(); ++it)
                  if (it->kind == RowKind::Command) {
                    if (it->detail.empty()) it->detail = printable(a.description);
                    break;
                  }
              }
            } else if (role_ == trace::Role::Client) {
              for (auto it = rows_.rbegin(); it != rows_.rend(); ++it)
                if (it->kind == RowKind::Reply) {
                  if (!it->detail.empty()) it->detail += "\n";
                  it->detail += printable(a.description);
                  break;
                }
            } else {
              pending_s2c_detail_ = printable(a.description);
            }
          },
          [&](const trace::SessionStartRecord& s) {
            row.kind = RowKind::Event;
            row.event = EventKind::SessionStart;
            row.text =
                std::string("session starts (") + std::string(trace::role_name(s.role)) + ")";
            row.detail =
                "peer " + printable(s.peer) + (s.label.empty() ? "" : "\n" + printable(s.label));
            if (s.channel == trace::Channel::Tls) row.text += " under TLS";
            push(std::move(row));
          },
          [&](const trace::StateChangeRecord& s) {
            row.kind = RowKind::Event;
            row.event = EventKind::State;
            row.text = printable(s.to);
            row.detail = printable(s.from) + " -> " + printable(s.to) + ": " + printable(s.why);
            push(std::move(row));
          },
          [&](const trace::TlsRequestedRecord&) {
            row.kind = RowKind::Event;
            row.event = EventKind::TlsRequested;
            row.text = "TLS handshake begins";
            push(std::move(row));
          },
          [&](const trace::TlsEstablishedRecord& t) {
            row.kind = RowKind::Event;
            row.event = EventKind::TlsEstablished;
            row.text = "TLS established: " + printable(t.version) + " " + printable(t.cipher);
            push(std::move(row));
          },
          [&](const trace::TlsFailedRecord& t) {
            row.kind = RowKind::Event;
            row.event = EventKind::TlsFailed;
            row.text = "TLS failed: " + printable(t.reason);
            row.error = true;
            push(std::move(row));
          },
          [&](const trace::ViolationRecord& v) {
            row.kind = RowKind::Event;
            row.event = EventKind::Violation;
            row.text = printable(v.error) + (v.fatal ? " (fatal)" : "");
            row.detail =
                printable(v.message) + (v.detail.empty() ? "" : ": " + printable(v.detail));
            if (!v.kind.empty()) row.detail += "\n(" + printable(v.kind) + ")";
            row.error = v.fatal;
            push(std::move(row));
          },
          [&](const trace::InjectionDiscardedRecord& inj) {
            row.kind = RowKind::Event;
            row.event = EventKind::Injection;
            row.dir = inj.direction;
            row.text = std::to_string(inj.octets) + " octets behind STLS discarded";
            row.detail =
                "Bytes that arrived in plaintext behind the STLS exchange were dropped "
                "(the STARTTLS command injection defence).";
            row.error = true;
            push(std::move(row));
          },
          [&](const trace::NoteRecord& n) {
            row.kind = RowKind::Event;
            row.event = EventKind::Note;
            row.text = printable(n.text);
            push(std::move(row));
          },
          [&](const trace::SessionEndRecord& e) {
            row.kind = RowKind::Event;
            row.event = EventKind::SessionEnd;
            row.text = e.update_done ? "session ends after UPDATE" : "session ends (no UPDATE)";
            row.detail = printable(e.reason);
            push(std::move(row));
          },
          [](const auto&) {},
      },
      record.body);
}

void Transcript::claim_c2s(std::size_t row, std::string verb, const ByteLog& app) {
  // Its line may have come already (a server records the bytes, then the command).
  for (auto it = c2s_unclaimed_.begin(); it != c2s_unclaimed_.end(); ++it) {
    const ByteRow& line = app.rows()[*it];
    if (verb.empty() || iequals(first_word(app.bytes(line)), verb)) {
      assign_c2s(row, line, app);
      // Lines before it were never commands (the server refused them unparsed).
      c2s_unclaimed_.erase(c2s_unclaimed_.begin(), std::next(it));
      return;
    }
  }
  c2s_claims_.push_back({row, std::move(verb)});
}

void Transcript::assign_c2s(std::size_t row, const ByteRow& line, const ByteLog& app) {
  TranscriptRow& r = rows_[row];
  r.has_range = r.range_complete = true;
  r.begin = line.begin;
  r.end = line.end;
  r.text = printable(app.bytes(line));
}

void Transcript::feed_c2s_line(std::size_t log_row, const ByteLog& app, std::size_t index,
                               bool under_tls) {
  const ByteRow& line = app.rows()[log_row];
  if (!c2s_claims_.empty()) {
    const Claim& claim = c2s_claims_.front();
    if (claim.verb.empty() || iequals(first_word(app.bytes(line)), claim.verb)) {
      assign_c2s(claim.row, line, app);
      c2s_claims_.pop_front();
      return;
    }
  }
  if (role_ == trace::Role::Client) {
    // A client records each command before its bytes, so a line nobody waits for is one
    // the client sent as typed without knowing it as a command.
    TranscriptRow row;
    row.record = index;
    row.kind = RowKind::Line;
    row.dir = Direction::ClientToServer;
    row.pre_tls = !under_tls;
    row.has_range = row.range_complete = true;
    row.begin = line.begin;
    row.end = line.end;
    row.text = printable(app.bytes(line));
    row.detail = "A line the client sent that is not a command it knows.";
    awaiting_reply_.push_back(push(std::move(row)));
    return;
  }
  c2s_unclaimed_.push_back(log_row);
}

void Transcript::take_s2c_line(std::size_t log_row, const ByteLog& app) {
  const std::size_t i = s2c_waiting_.front();
  TranscriptRow& r = rows_[i];
  const ByteRow& line = app.rows()[log_row];
  const std::string_view text = strip_line_end(app.bytes(line));
  if (!r.has_range) {
    if (!is_status_line(text)) return;  // not a reply's first line: skip it
    r.has_range = true;
    r.begin = line.begin;
    r.end = line.end;
    if (!r.multiline) {
      r.range_complete = true;
      s2c_waiting_.pop_front();
    }
    return;
  }
  r.end = line.end;
  if (text == ".") {
    r.range_complete = true;
    s2c_waiting_.pop_front();
  }
}

void Transcript::drain_s2c(const ByteLog& app) {
  while (!s2c_waiting_.empty() && !s2c_unclaimed_.empty()) {
    take_s2c_line(s2c_unclaimed_.front(), app);
    s2c_unclaimed_.pop_front();
  }
}

void Transcript::on_app_bytes(const ByteLog& app, std::size_t index) {
  const auto& c2s = app.rows_of(Direction::ClientToServer);
  while (c2s_seen_ < c2s.size() && app.rows()[c2s[c2s_seen_]].complete)
    feed_c2s_line(c2s[c2s_seen_++], app, index, under_tls_);
  const auto& s2c = app.rows_of(Direction::ServerToClient);
  while (s2c_seen_ < s2c.size() && app.rows()[s2c[s2c_seen_]].complete) {
    s2c_unclaimed_.push_back(s2c[s2c_seen_++]);
    drain_s2c(app);
  }
}

std::vector<BodyLine> Transcript::body(const TranscriptRow& row, const ByteLog& app) const {
  std::vector<BodyLine> out;
  if (!row.multiline) return out;
  if (row.lines) {
    for (const auto& l : *row.lines)
      out.push_back({printable(l), !l.empty() && l.front() == '.'});
    return out;
  }
  if (!row.has_range) return out;
  const std::string& s = app.stream(row.dir);
  const auto end = static_cast<std::size_t>(std::min<std::uint64_t>(row.end, s.size()));
  std::size_t pos = static_cast<std::size_t>(row.begin);
  bool first = true;
  while (pos < end) {
    std::size_t nl = s.find('\n', pos);
    if (nl == std::string::npos || nl >= end) nl = end - 1;
    const std::string_view line = strip_line_end(std::string_view(s).substr(pos, nl + 1 - pos));
    pos = nl + 1;
    if (first) {
      first = false;
      continue;
    }
    if (line == "." && pos >= end) break;
    BodyLine b;
    b.stuffed = !line.empty() && line.front() == '.';
    b.text = printable(b.stuffed ? line.substr(1) : line);
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace pop3::viz
