#include "pop3/labs/checks.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <set>

#include "pop3/attack/capture.hpp"
#include "pop3/attack/offline_cracker.hpp"
#include "pop3/attack/wordlist.hpp"

namespace pop3::labs {
namespace {

using trace::Record;

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(a[i])) !=
        std::toupper(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

std::string where(const Record& r) {
  return "session " + r.session + " seq " + std::to_string(r.seq);
}

// Text for evidence lines: control characters shown as escapes, so "\r\n" cannot break
// the report's lines.
std::string shown(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '\r')
      out += "\\r";
    else if (c == '\n')
      out += "\\n";
    else if (static_cast<unsigned char>(c) < 0x20)
      out +=
          "\\x" + std::string(1, "0123456789abcdef"[(c >> 4) & 0xf]) + "0123456789abcdef"[c & 0xf];
    else
      out += c;
  }
  return out;
}

// Which sessions count for a check: all, or those whose session_start names the role.
class Sessions {
 public:
  explicit Sessions(const std::vector<Record>& records) {
    for (const auto& r : records)
      if (auto* s = std::get_if<trace::SessionStartRecord>(&r.body))
        roles_[r.session] = std::string(trace::role_name(s->role));
  }
  [[nodiscard]] bool counts(const Record& r, const std::string& role) const {
    if (role.empty()) return true;
    auto it = roles_.find(r.session);
    return it != roles_.end() && it->second == role;
  }
  [[nodiscard]] bool any_with_role(const std::string& role) const {
    for (const auto& [s, r] : roles_)
      if (r == role) return true;
    return false;
  }

 private:
  std::map<std::string, std::string> roles_;
};

struct Found {
  bool holds = false;
  std::string evidence;
};

template <class T, class Pred>
Found find_record(const std::vector<Record>& records, const Sessions& sessions,
                  const std::string& role, Pred pred, const std::string& what) {
  for (const auto& r : records) {
    if (!sessions.counts(r, role)) continue;
    if (auto* body = std::get_if<T>(&r.body); body && pred(*body))
      return {true, what + " at " + where(r)};
  }
  return {false, "no " + what + " in the trace"};
}

// Messages removed by UPDATE: DELE +OK marks (RSET +OK unmarks), counted when the session
// ended with update_done. Counted on server sessions when the trace has them (the server
// knows), else on client sessions.
Found deletions(const std::vector<Record>& records, const Sessions& sessions, const Check& c) {
  std::string role = c.role;
  if (role.empty())
    role = sessions.any_with_role("server") ? "server"
                                            : (sessions.any_with_role("client") ? "client" : "");
  std::map<std::string, std::set<std::string>> marked;
  std::int64_t deleted = 0;
  std::map<std::string, std::string> pending_dele;  // session -> argument of the last DELE
  for (const auto& r : records) {
    if (!sessions.counts(r, role)) continue;
    if (auto* cmd = std::get_if<trace::CommandRecord>(&r.body)) {
      if (iequals(cmd->verb, "DELE") && !cmd->args.empty()) pending_dele[r.session] = cmd->args[0];
    } else if (auto* reply = std::get_if<trace::ReplyRecord>(&r.body)) {
      if (!reply->verb) continue;
      if (iequals(*reply->verb, "DELE") && reply->status == Status::Ok)
        marked[r.session].insert(pending_dele[r.session]);
      if (iequals(*reply->verb, "RSET") && reply->status == Status::Ok) marked[r.session].clear();
    } else if (auto* end = std::get_if<trace::SessionEndRecord>(&r.body)) {
      if (end->update_done) deleted += static_cast<std::int64_t>(marked[r.session].size());
    }
  }
  const bool holds = c.count ? deleted == *c.count : deleted > 0;
  return {holds, std::to_string(deleted) + " message(s) deleted by UPDATE"};
}

Found wire_contains(const std::vector<Record>& records, const Sessions& sessions, const Check& c) {
  const std::string channel = c.channel.empty() ? "plain" : c.channel;
  std::map<std::pair<std::string, int>, std::string> streams;
  bool have_wire = false;
  std::set<std::string> under_tls;
  for (const auto& r : records) {
    if (std::holds_alternative<trace::WireBytesRecord>(r.body)) have_wire = true;
    if (std::holds_alternative<trace::TlsEstablishedRecord>(r.body)) under_tls.insert(r.session);
    if (auto* s = std::get_if<trace::SessionStartRecord>(&r.body);
        s && s->channel == trace::Channel::Tls)
      under_tls.insert(r.session);
  }
  for (const auto& r : records) {
    if (!sessions.counts(r, c.role)) continue;
    if (auto* w = std::get_if<trace::WireBytesRecord>(&r.body)) {
      if (trace::channel_name(w->channel) == channel)
        streams[{r.session, static_cast<int>(w->direction)}] += w->bytes;
    } else if (auto* a = std::get_if<trace::AppBytesRecord>(&r.body);
               a && !have_wire && channel == "plain") {
      // A trace without wire records (pop3-client, pop3-server): application bytes are
      // what crossed, as long as the session never went under TLS.
      if (!under_tls.contains(r.session))
        streams[{r.session, static_cast<int>(a->direction)}] += a->bytes;
    }
  }
  for (const auto& [key, bytes] : streams)
    if (bytes.find(c.text) != std::string::npos)
      return {true, "\"" + shown(c.text) + "\" crossed on the " + channel + " channel in session " +
                        key.first};
  return {false, "\"" + shown(c.text) + "\" never crossed on the " + channel + " channel"};
}

// What a session took in: its application bytes in the direction toward it. "What the
// client received" is not what the server sent when someone on the path changed it.
Found received(const std::vector<Record>& records, const Sessions& sessions, const Check& c) {
  const std::string role = c.role.empty() ? "client" : c.role;
  std::map<std::string, std::string> streams;
  for (const auto& r : records) {
    if (!sessions.counts(r, role)) continue;
    const auto* a = std::get_if<trace::AppBytesRecord>(&r.body);
    if (!a) continue;
    const Direction in = role == "server" ? Direction::ClientToServer : Direction::ServerToClient;
    if (a->direction == in) streams[r.session] += a->bytes;
  }
  for (const auto& [session, bytes] : streams)
    if (bytes.find(c.text) != std::string::npos)
      return {true,
              "the " + role + " received \"" + shown(c.text) + "\" (session " + session + ")"};
  return {false, "the " + role + " never received \"" + shown(c.text) + "\""};
}

// A note of the simulator (the link: what an attacker on it did; the lab's attackers).
Found note(const std::vector<Record>& records, const Check& c) {
  for (const auto& r : records)
    if (const auto* n = std::get_if<trace::NoteRecord>(&r.body);
        n && n->text.find(c.text) != std::string::npos)
      return {true, "note \"" + shown(n->text) + "\" at " + where(r)};
  return {false, "no note with \"" + shown(c.text) + "\" in the trace"};
}

// A reply to `verb` (with `status`) that came at least `ms` after its command, in the same
// session: the server held it back (a failure delay, a penalty).
Found delay(const std::vector<Record>& records, const Sessions& sessions, const Check& c) {
  std::map<std::string, trace::Micros> sent;  // session -> time of the last command `verb`
  trace::Micros longest{-1};
  for (const auto& r : records) {
    if (!sessions.counts(r, c.role)) continue;
    if (const auto* cmd = std::get_if<trace::CommandRecord>(&r.body);
        cmd && iequals(cmd->verb, c.verb)) {
      sent[r.session] = r.t;
    } else if (const auto* x = std::get_if<trace::ReplyRecord>(&r.body)) {
      if (!x->verb || !iequals(*x->verb, c.verb) || !sent.contains(r.session)) continue;
      if ((c.status == "ok" && x->status != Status::Ok) ||
          (c.status == "err" && x->status != Status::Err))
        continue;
      const auto took = r.t - sent[r.session];
      if (took > longest) longest = took;
      if (took >= std::chrono::milliseconds(*c.ms))
        return {true, "the reply to " + c.verb + " came " + std::to_string(took.count() / 1000) +
                          " ms after it, at " + where(r)};
    }
  }
  if (longest.count() < 0)
    return {false, "no reply to " + c.verb + " after a " + c.verb + " in the trace"};
  return {false, "the slowest reply to " + c.verb + " came " +
                     std::to_string(longest.count() / 1000) + " ms after it (less than " +
                     std::to_string(*c.ms) + " ms)"};
}

// What an eavesdropper who recorded this trace recovers offline with the wordlist.
Found cracked(const std::vector<Record>& records, const Check& c) {
  static std::mutex mutex;
  static std::map<std::filesystem::path, attack::Wordlist> lists;  // checks are evaluated often
  const std::lock_guard lock(mutex);
  auto it = lists.find(c.wordlist_path);
  if (it == lists.end())
    it = lists.emplace(c.wordlist_path, attack::Wordlist::load(c.wordlist_path)).first;
  // Every connection the trace holds: the eavesdropper's sessions (wire records) when there
  // are any, else each session's application bytes (pop3-client, pop3-server traces).
  std::vector<std::string> ids;
  for (const bool wire : {true, false}) {
    for (const auto& r : records) {
      const bool fits = wire ? std::holds_alternative<trace::WireBytesRecord>(r.body)
                             : std::holds_alternative<trace::AppBytesRecord>(r.body);
      if (fits && std::find(ids.begin(), ids.end(), r.session) == ids.end())
        ids.push_back(r.session);
    }
    if (!ids.empty()) break;
  }
  attack::Capture capture;
  for (const auto& id : ids) {
    attack::Capture one = attack::capture_from_trace(records, id);
    for (auto& e : one.exchanges)
      capture.exchanges.push_back(std::move(e));
    capture.tls_started |= one.tls_started;
  }
  const attack::OfflineCracker cracker;
  std::string tried;
  for (const auto& exchange : capture.exchanges) {
    const attack::CrackReport report = cracker.crack(exchange, it->second);
    const std::string what = report.kind + " login of " + report.user;
    if (report.password && (c.text.empty() || *report.password == c.text))
      return {true, what + " cracked with " + it->second.name() + ": \"" + *report.password +
                        "\", word " + std::to_string(*report.found_at) + " of " +
                        std::to_string(report.words)};
    tried += (tried.empty() ? "" : "; ") + what +
             (report.password ? " gave another password" : " not cracked");
  }
  if (!tried.empty()) return {false, tried};
  std::string why = capture.tls_started ? "the logins crossed inside TLS"
                                        : "no APOP, CRAM-MD5 or SCRAM login captured";
  return {false, why + ": nothing to crack"};
}

}  // namespace

const std::vector<std::string>& check_kinds() {
  static const std::vector<std::string> kinds{
      "state",    "command", "reply", "exposure",   "secret_in_clear",     "wire_contains",
      "received", "note",    "tls",   "tls_failed", "injection_discarded", "violation",
      "deleted",  "update",  "delay", "cracked"};
  return kinds;
}

CheckResult evaluate(const Check& c, const std::vector<Record>& records) {
  const Sessions sessions(records);
  Found f;
  if (c.kind == "state") {
    f = find_record<trace::StateChangeRecord>(
        records, sessions, c.role, [&](const auto& s) { return s.to == c.state; },
        "state " + c.state);
  } else if (c.kind == "command") {
    f = find_record<trace::CommandRecord>(
        records, sessions, c.role,
        [&](const auto& x) {
          if (!iequals(x.verb, c.verb)) return false;
          if (c.text.empty()) return true;
          std::string args;
          for (const auto& a : x.args)
            args += (args.empty() ? "" : " ") + a;
          return args.find(c.text) != std::string::npos;
        },
        "command " + c.verb + (c.text.empty() ? "" : " " + shown(c.text)));
  } else if (c.kind == "reply") {
    f = find_record<trace::ReplyRecord>(
        records, sessions, c.role,
        [&](const auto& x) {
          const bool verb_ok =
              iequals(c.verb, "greeting") ? x.greeting : (x.verb && iequals(*x.verb, c.verb));
          const bool status_ok = c.status.empty() || (c.status == "ok" && x.status == Status::Ok) ||
                                 (c.status == "err" && x.status == Status::Err) ||
                                 (c.status == "continue" && x.status == Status::Continue);
          const bool code_ok = c.code.empty() || (x.code && iequals(*x.code, c.code));
          return verb_ok && status_ok && code_ok;
        },
        "reply to " + c.verb + (c.status.empty() ? "" : " (" + c.status + ")") +
            (c.code.empty() ? "" : " [" + c.code + "]"));
  } else if (c.kind == "exposure") {
    f = find_record<trace::ExposureRecord>(
        records, sessions, c.role,
        [&](const auto& x) {
          return (c.exposure.empty() || x.kind == c.exposure) &&
                 (c.channel.empty() || trace::channel_name(x.channel) == c.channel);
        },
        "exposure" + (c.exposure.empty() ? "" : " " + c.exposure) +
            (c.channel.empty() ? "" : " on " + c.channel));
  } else if (c.kind == "secret_in_clear") {
    f = find_record<trace::ExposureRecord>(
        records, sessions, c.role,
        [&](const auto& x) {
          return x.channel == trace::Channel::Plain && x.kind != "none" &&
                 (c.exposure.empty() || x.kind == c.exposure);
        },
        "secret crossing in clear");
  } else if (c.kind == "wire_contains") {
    f = wire_contains(records, sessions, c);
  } else if (c.kind == "received") {
    f = received(records, sessions, c);
  } else if (c.kind == "note") {
    f = note(records, c);
  } else if (c.kind == "delay") {
    f = delay(records, sessions, c);
  } else if (c.kind == "cracked") {
    f = cracked(records, c);
  } else if (c.kind == "tls") {
    f = find_record<trace::TlsEstablishedRecord>(
        records, sessions, c.role, [](const auto&) { return true; }, "TLS established");
  } else if (c.kind == "tls_failed") {
    f = find_record<trace::TlsFailedRecord>(
        records, sessions, c.role, [](const auto&) { return true; }, "TLS failure");
  } else if (c.kind == "injection_discarded") {
    f = find_record<trace::InjectionDiscardedRecord>(
        records, sessions, c.role, [](const auto&) { return true; }, "discarded injection");
  } else if (c.kind == "violation") {
    f = find_record<trace::ViolationRecord>(
        records, sessions, c.role,
        [&](const auto& x) { return c.error.empty() || x.error == c.error; },
        "violation" + (c.error.empty() ? "" : " " + c.error));
  } else if (c.kind == "deleted") {
    f = deletions(records, sessions, c);
  } else if (c.kind == "update") {
    const bool want = c.done.value_or(true);
    f = find_record<trace::SessionEndRecord>(
        records, sessions, c.role, [&](const auto& x) { return x.update_done == want; },
        want ? "session that went through UPDATE" : "session that ended without UPDATE");
  } else {
    return {&c, false, "unknown check kind " + c.kind};
  }
  return {&c, f.holds == c.expect, f.evidence};
}

Lab judged_on_present_sides(Lab lab, const std::vector<Record>& records) {
  bool client = false, server = false;
  for (const auto& r : records)
    if (const auto* s = std::get_if<trace::SessionStartRecord>(&r.body)) {
      client |= s->role == trace::Role::Client;
      server |= s->role == trace::Role::Server;
    }
  if (!client && !server) return lab;
  for (auto& c : lab.checks) {
    if (c.role == "server" && !server) c.role.clear();
    if (c.role == "client" && !client) c.role.clear();
  }
  return lab;
}

std::vector<CheckResult> evaluate(const Lab& lab, const std::vector<Record>& records) {
  std::vector<CheckResult> out;
  out.reserve(lab.checks.size());
  for (const auto& c : lab.checks)
    out.push_back(evaluate(c, records));
  return out;
}

}  // namespace pop3::labs
