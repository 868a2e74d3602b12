#include "model/maildrop_view.hpp"

#include <algorithm>
#include <map>

#include "model/text.hpp"
#include "pop3/core/codec.hpp"

namespace pop3::viz {

namespace {

// The reply text after the status token (and response code).
std::string_view reply_text(const TranscriptRow& r) {
  std::string_view t = r.text;
  const auto space = t.find(' ');
  if (space == std::string_view::npos) return {};
  t = t.substr(space + 1);
  if (t.starts_with("[")) {
    const auto close = t.find("] ");
    t = close == std::string_view::npos ? std::string_view{} : t.substr(close + 2);
  }
  return t;
}

std::vector<std::string_view> args_of(const TranscriptRow& command) {
  std::vector<std::string_view> out;
  std::string_view t = command.text;
  while (!t.empty()) {
    const auto space = t.find(' ');
    out.push_back(t.substr(0, space));
    if (space == std::string_view::npos) break;
    t = t.substr(space + 1);
  }
  if (!out.empty()) out.erase(out.begin());  // the verb
  return out;
}

std::string join_numbers(const std::vector<std::uint64_t>& v) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i)
    s += (i ? ", " : "") + std::to_string(v[i]);
  return s;
}

}  // namespace

MaildropView maildrop_at(const TraceModel& model, std::size_t session, std::size_t cursor) {
  MaildropView view;
  const Session& s = model.session(session);
  const auto& rows = s.transcript.rows();
  const std::size_t n = model.transcript_rows_at(session, cursor);
  std::map<std::uint64_t, MessageView> messages;
  auto message = [&](std::uint64_t number) -> MessageView& {
    MessageView& m = messages[number];
    m.number = number;
    return m;
  };
  for (std::size_t i = 0; i < n; ++i) {
    const TranscriptRow& r = rows[i];
    if (r.kind != RowKind::Reply || r.status != Status::Ok || r.partner < 0) continue;
    const TranscriptRow& c = rows[static_cast<std::size_t>(r.partner)];
    if (c.kind != RowKind::Command) continue;
    const auto args = args_of(c);
    const std::string& verb = c.verb;
    if (iequals(verb, "STAT")) {
      if (auto p = parse_scan_listing(reply_text(r))) {  // the drop listing
        view.count = p->number;
        view.octets = p->octets;
      }
    } else if (iequals(verb, "LIST") || iequals(verb, "UIDL")) {
      const bool uidl = iequals(verb, "UIDL");
      std::vector<std::string> lines;
      if (r.multiline) {
        for (auto& b : s.transcript.body(r, s.app))
          lines.push_back(b.text);
        if (!uidl) view.count = lines.size();
      } else {
        lines.emplace_back(reply_text(r));
      }
      for (const auto& line : lines) {
        if (uidl) {
          if (auto p = parse_unique_id_listing(line)) message(p->number).uidl = p->unique_id;
        } else if (auto p = parse_scan_listing(line)) {
          message(p->number).size = p->octets;
        }
      }
    } else if (iequals(verb, "DELE") && !args.empty()) {
      if (auto num = parse_number(args[0])) message(*num).deleted = true;
    } else if (iequals(verb, "RSET")) {
      for (auto& [num, m] : messages)
        m.deleted = false;
    } else if ((iequals(verb, "RETR") || iequals(verb, "TOP")) && !args.empty()) {
      if (auto num = parse_number(args[0])) {
        MessageView& m = message(*num);
        if (iequals(verb, "RETR")) m.retrieved = true;
      }
    }
  }
  for (auto& [num, m] : messages) {
    view.messages.push_back(m);
    if (m.deleted) {
      view.marked.push_back(num);
      if (m.size) view.marked_octets += *m.size;
    }
  }

  const std::string state = model.state_at(session, cursor);
  const bool ended = s.ended && *s.ended < cursor;
  const std::string marked = view.marked.empty() ? std::string() : join_numbers(view.marked);
  const std::string octets =
      view.marked_octets ? " (" + std::to_string(view.marked_octets) + " octets)" : "";
  if (ended) {
    view.phase = s.update_done ? UpdatePhase::Updated : UpdatePhase::EndedWithout;
    if (s.update_done)
      view.update = view.marked.empty() ? "UPDATE ran with no message marked: nothing was removed."
                                        : "UPDATE removed message(s) " + marked + octets + ".";
    else
      view.update = view.marked.empty() ? "The session ended without UPDATE: nothing was removed."
                                        : "The session ended without UPDATE: message(s) " + marked +
                                              " stay in the maildrop; the marks are forgotten.";
  } else if (state == "UPDATE") {
    view.phase = UpdatePhase::Updating;
    view.update = view.marked.empty() ? "UPDATE: no message is marked, nothing to remove."
                                      : "UPDATE: removing message(s) " + marked + octets + ".";
  } else if (state == "TRANSACTION") {
    view.phase = UpdatePhase::Transaction;
    view.update = view.marked.empty()
                      ? "QUIT now would enter UPDATE with nothing marked: nothing would be removed."
                      : "QUIT now would enter UPDATE and remove message(s) " + marked + octets +
                            ". A lost connection would remove nothing.";
  } else {
    view.phase = UpdatePhase::NotLoggedIn;
    view.update = state.empty() || state == "CLOSED" ? "No maildrop is open."
                                                     : "Not logged in yet: no maildrop is open.";
  }
  return view;
}

}  // namespace pop3::viz
