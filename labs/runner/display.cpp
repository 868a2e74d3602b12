#include "display.hpp"

#include <cstdio>
#include <ostream>

#include "pop3/core/exposure.hpp"

namespace pop3::labs {

std::string printable(const std::string& bytes, std::size_t max) {
  std::string out;
  for (const char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    if (out.size() >= max) {
      out += "...";
      break;
    }
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  return out;
}

void StepDisplay::line(char who, const std::string& text) {
  // Multi-line bodies are long; their first lines make the point. Counted per reply (a
  // status line starts a new count), and the cut is said in words: "..." would look like
  // a dot-stuffed line, which is what lab 2 is about.
  constexpr std::size_t kMaxBodyLines = 12;
  if (who == 'S') {
    const bool status =
        text.starts_with("+OK") || text.starts_with("-ERR") || text.starts_with("+ ");
    if (status) {
      flush_hidden();
      body_lines_ = 0;
    } else if (++body_lines_ > kMaxBodyLines) {
      ++hidden_;
      return;
    }
  } else {
    flush_hidden();
    body_lines_ = 0;
  }
  out_ << "     " << who << ": " << printable(text, 200) << "\n";
}

void StepDisplay::flush_hidden() {
  if (hidden_ == 0) return;
  out_ << "        (" << hidden_ << " more line" << (hidden_ == 1 ? "" : "s")
       << " of this reply not shown)\n";
  hidden_ = 0;
}

void StepDisplay::bytes(int direction, const std::string& data) {
  std::string& buf = partial_[direction];
  buf += data;
  std::size_t start = 0;
  for (;;) {
    const auto lf = buf.find('\n', start);
    if (lf == std::string::npos) break;
    std::string l = buf.substr(start, lf - start);
    if (!l.empty() && l.back() == '\r') l.pop_back();
    line(direction == 0 ? 'C' : 'S', l);
    start = lf + 1;
  }
  buf.erase(0, start);
}

void StepDisplay::records(const std::vector<trace::Record>& all, std::size_t first,
                          std::size_t end) {
  std::size_t tls_records = 0, tls_octets = 0;
  for (std::size_t i = first; i < end && i < all.size(); ++i) {
    const trace::Record& r = all[i];
    if (auto* w = std::get_if<trace::WireBytesRecord>(&r.body);
        w && w->channel == trace::Channel::Tls) {
      ++tls_records;
      tls_octets += w->bytes.size();
    }
    if (auto* n = std::get_if<trace::NoteRecord>(&r.body); n && r.session.starts_with("link")) {
      // What someone on the path did (the middlebox's notes); the simulator's own notes
      // (settings, TLS failures, cuts) are shown through the client's records.
      const std::string& t = n->text;
      // (The interceptor's relaying, "injected N octets", would be one line per record.)
      if (!t.starts_with("seed ") && !t.starts_with("this trace holds") &&
          !t.starts_with("TLS failed") && !t.starts_with("tls-interceptor injected"))
        out_ << "     !! on the link: " << printable(t, 200) << "\n";
      continue;
    }
    if (r.session != client_) {
      // The server's side of an injection: the lesson of lab 11 happens there.
      if (auto* d = std::get_if<trace::InjectionDiscardedRecord>(&r.body);
          d && r.session.starts_with("server"))
        out_ << "     -- the server discarded " << d->octets
             << " octets it had received behind STLS, unread (STARTTLS injection defence)\n";
      continue;
    }
    if (auto* app = std::get_if<trace::AppBytesRecord>(&r.body)) {
      bytes(app->direction == Direction::ClientToServer ? 0 : 1, app->bytes);
    } else if (auto* s = std::get_if<trace::StateChangeRecord>(&r.body)) {
      out_ << "     -- state " << s->to << ": " << s->why << "\n";
    } else if (auto* t = std::get_if<trace::TlsEstablishedRecord>(&r.body)) {
      out_ << "     -- TLS established: " << t->version << " " << t->cipher << "\n";
    } else if (auto* f = std::get_if<trace::TlsFailedRecord>(&r.body)) {
      out_ << "     -- TLS failed: " << f->reason << "\n";
    } else if (auto* d = std::get_if<trace::InjectionDiscardedRecord>(&r.body)) {
      out_ << "     -- " << d->octets
           << " octets received behind STLS were discarded (STARTTLS injection defence)\n";
    } else if (auto* v = std::get_if<trace::ViolationRecord>(&r.body)) {
      out_ << "     -- " << (v->fatal ? "fatal: " : "") << v->message
           << (v->detail.empty() ? "" : ": " + v->detail) << "\n";
    } else if (auto* e = std::get_if<trace::SessionEndRecord>(&r.body)) {
      out_ << "     -- session over"
           << (e->update_done ? " (after UPDATE)" : " (no UPDATE: nothing deleted)") << "\n";
    }
  }
  flush_hidden();
  if (tls_records > 0)
    out_ << "     -- on the wire: " << tls_records << " TLS record(s), " << tls_octets
         << " octets an eavesdropper cannot read\n";
}

void StepDisplay::observations(const std::vector<sim::Observation>& seen) {
  for (const auto& o : seen) {
    if (!o.crossed) continue;
    if (o.channel == trace::Channel::Tls) {
      out_ << "  eavesdropper: the " << o.label << " crossed inside TLS: only ciphertext ("
           << o.wire.size() << " octets)\n";
    } else {
      out_ << "  eavesdropper: saw the " << o.label << " in clear: \"" << printable(o.wire, 80)
           << "\" (" << exposure_name(o.exposure) << ")\n"
           << "                " << exposure_consequence(o.exposure) << "\n";
    }
  }
}

}  // namespace pop3::labs
