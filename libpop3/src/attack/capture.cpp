// Following a plaintext capture as a POP3 conversation and keeping the logins that can be
// attacked offline.
#include "pop3/attack/capture.hpp"

#include <optional>

#include "ascii.hpp"
#include "pop3/attack/conversation.hpp"
#include "pop3/auth/base64.hpp"
#include "pop3/auth/cram_md5.hpp"
#include "pop3/auth/hex.hpp"
#include "pop3/auth/scram.hpp"
#include "pop3/core/codec.hpp"

namespace pop3::attack {

std::string CapturedScram::auth_message() const {
  return auth::scram::auth_message(client_first_bare, server_first, client_final_without_proof);
}

std::string_view captured_kind(const CapturedExchange& e) noexcept {
  switch (e.index()) {
    case 0:
      return "APOP";
    case 1:
      return "CRAM-MD5";
    default:
      return "SCRAM-SHA-256";
  }
}

const std::string& captured_user(const CapturedExchange& e) noexcept {
  return std::visit([](const auto& x) -> const std::string& { return x.user; }, e);
}

namespace {

template <class T>
const T* first_of(const std::vector<CapturedExchange>& v) noexcept {
  for (const auto& e : v)
    if (const T* x = std::get_if<T>(&e)) return x;
  return nullptr;
}

}  // namespace

const CapturedApop* Capture::apop() const noexcept {
  return first_of<CapturedApop>(exchanges);
}
const CapturedCramMd5* Capture::cram_md5() const noexcept {
  return first_of<CapturedCramMd5>(exchanges);
}
const CapturedScram* Capture::scram() const noexcept {
  return first_of<CapturedScram>(exchanges);
}

namespace {

std::vector<std::string_view> split_words(std::string_view line) {
  std::vector<std::string_view> out;
  while (!line.empty()) {
    const std::size_t sp = line.find(' ');
    if (sp != 0) out.push_back(line.substr(0, sp));
    if (sp == std::string_view::npos) break;
    line.remove_prefix(sp + 1);
  }
  return out;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = detail::lower(c);
  return out;
}

// Complete lines (terminator removed); a last line without LF is left out.
std::vector<std::string_view> complete_lines(std::string_view stream) {
  std::vector<std::string_view> out;
  while (true) {
    const std::size_t lf = stream.find('\n');
    if (lf == std::string_view::npos) break;
    std::string_view line = stream.substr(0, lf);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.push_back(line);
    stream.remove_prefix(lf + 1);
  }
  return out;
}

class Extractor {
 public:
  void client(std::string_view line);
  void server(std::string_view line);
  [[nodiscard]] const ConversationFollower& follower() const noexcept { return follower_; }
  Capture take() { return std::move(capture_); }

 private:
  struct Sasl {
    std::string mechanism;
    std::vector<std::string> client;  // decoded responses (the initial one first)
    std::vector<std::string> server;  // decoded challenges
    bool broken = false;
  };
  void note(std::string text) { capture_.notes.push_back(std::move(text)); }
  std::optional<std::string> decode(std::string_view text, const char* what);
  void finish_sasl(bool accepted);
  void finish_cram(const Sasl& s, bool accepted);
  void finish_scram(const Sasl& s, bool accepted);

  ConversationFollower follower_;
  Capture capture_;
  std::optional<std::string> timestamp_;
  std::optional<CapturedApop> apop_;
  std::optional<Sasl> sasl_;
};

std::optional<std::string> Extractor::decode(std::string_view text, const char* what) {
  auto d = auth::base64_decode(text);
  if (!d) note(std::string("unreadable base64 in ") + what + " (masked in this trace?)");
  return d;
}

void Extractor::client(std::string_view line) {
  const LineInfo info = follower_.client_line(line);
  if (info.kind == LineKind::SaslResponse) {
    if (!sasl_) return;
    if (line == "*") {
      note("AUTH " + sasl_->mechanism + " cancelled by the client");
      sasl_.reset();
      return;
    }
    if (auto d = decode(line, "a SASL response"))
      sasl_->client.push_back(std::move(*d));
    else
      sasl_->broken = true;
    return;
  }
  if (info.kind != LineKind::Command || !info.verb) return;
  const std::vector<std::string_view> words = split_words(line);
  switch (*info.verb) {
    case Verb::Pass:
      note("PASS: the password crossed in clear; nothing to crack");
      break;
    case Verb::Apop:
      if (words.size() != 3) break;
      if (!timestamp_) {
        note("APOP for " + std::string(words[1]) + " without a timestamp in the greeting");
        break;
      }
      apop_ = CapturedApop{std::string(words[1]), *timestamp_, lower(words[2]), std::nullopt};
      break;
    case Verb::Auth:
      if (words.size() < 2) break;
      sasl_ = Sasl{upper(words[1]), {}, {}, false};
      if (words.size() >= 3) {
        if (words[2] == "=")
          sasl_->client.emplace_back();
        else if (auto d = decode(words[2], "an initial response"))
          sasl_->client.push_back(std::move(*d));
        else
          sasl_->broken = true;
      }
      break;
    default:
      break;
  }
}

void Extractor::server(std::string_view line) {
  const LineInfo info = follower_.server_line(line);
  switch (info.kind) {
    case LineKind::Greeting:
      timestamp_ = apop_timestamp(line);
      break;
    case LineKind::Continuation:
      if (sasl_) {
        const std::string_view data = line.size() > 2 ? line.substr(2) : std::string_view{};
        if (auto d = decode(data, "a SASL challenge"))
          sasl_->server.push_back(std::move(*d));
        else
          sasl_->broken = true;
      }
      break;
    case LineKind::Status:
      if (info.verb == Verb::Apop && apop_) {
        apop_->accepted = info.ok;
        if (apop_->digest.size() == 32 && auth::hex_decode(apop_->digest))
          capture_.exchanges.emplace_back(std::move(*apop_));
        else
          note("an APOP digest that is not 32 hex digits (masked in this trace?)");
        apop_.reset();
      } else if (info.verb == Verb::Auth && sasl_) {
        finish_sasl(info.ok);
      } else if (info.verb == Verb::Stls && info.ok) {
        capture_.tls_started = true;
        note("STLS accepted: everything after it is TLS and cannot be read");
      }
      break;
    default:
      break;
  }
}

void Extractor::finish_sasl(bool accepted) {
  const Sasl s = std::move(*sasl_);
  sasl_.reset();
  if (s.broken) return;
  if (s.mechanism == "CRAM-MD5")
    finish_cram(s, accepted);
  else if (s.mechanism == "SCRAM-SHA-256")
    finish_scram(s, accepted);
  else if (s.mechanism == "PLAIN" || s.mechanism == "LOGIN")
    note("AUTH " + s.mechanism + ": the password crossed base64-encoded; nothing to crack");
  else
    note("AUTH " + s.mechanism + ": not a mechanism this cracker knows");
}

void Extractor::finish_cram(const Sasl& s, bool accepted) {
  if (s.server.empty() || s.client.empty()) {
    note("AUTH CRAM-MD5 without a challenge and a response");
    return;
  }
  auto r = auth::parse_cram_md5_response(s.client.front());
  if (!r) {
    note("a CRAM-MD5 response that is not \"user digest\"");
    return;
  }
  capture_.exchanges.emplace_back(CapturedCramMd5{r->user, s.server.front(), r->digest, accepted});
}

void Extractor::finish_scram(const Sasl& s, bool accepted) {
  if (s.client.size() < 2 || s.server.empty()) {
    note("AUTH SCRAM-SHA-256 ended before the client's proof");
    return;
  }
  std::string error;
  auto first = auth::scram::parse_client_first(s.client[0], error);
  auto server_first = auth::scram::parse_server_first(s.server[0], error);
  auto final_message = auth::scram::parse_client_final(s.client[1], error);
  if (!first || !server_first || !final_message) {
    note("an unreadable SCRAM-SHA-256 exchange (" + error + ")");
    return;
  }
  CapturedScram c;
  c.user = first->user;
  c.client_first_bare = first->bare;
  c.server_first = s.server[0];
  c.client_final_without_proof = final_message->without_proof;
  c.salt = server_first->salt;
  c.iterations = server_first->iterations;
  c.proof = final_message->proof;
  c.accepted = accepted;
  capture_.exchanges.emplace_back(std::move(c));
}

}  // namespace

Capture capture_from_streams(std::string_view c2s, std::string_view s2c) {
  const std::vector<std::string_view> cl = complete_lines(c2s);
  const std::vector<std::string_view> sl = complete_lines(s2c);
  Extractor x;
  std::size_t ci = 0;
  std::size_t si = 0;
  // Replay the conversation: a reply after the command it answers, the client's next
  // line when it has nothing to wait for (or must answer a challenge).
  while (!x.follower().tls_started()) {
    const ConversationFollower& f = x.follower();
    const bool server_turn =
        si < sl.size() && (!f.greeted() || (f.pending() > 0 && !f.client_to_answer()));
    if (server_turn)
      x.server(sl[si++]);
    else if (ci < cl.size())
      x.client(cl[ci++]);
    else if (si < sl.size())
      x.server(sl[si++]);
    else
      break;
  }
  return x.take();
}

namespace {

struct Streams {
  std::string data[2];
  bool gap[2] = {false, false};
  bool tls = false;
  bool masked = false;
};

std::size_t index(Direction d) {
  return d == Direction::ClientToServer ? 0 : 1;
}

void append(Streams& s, Direction d, std::uint64_t offset, const std::string& bytes) {
  const std::size_t i = index(d);
  if (s.gap[i]) return;
  if (offset != s.data[i].size()) {
    if (offset > s.data[i].size()) s.gap[i] = true;  // octets missing: stop there
    return;
  }
  s.data[i] += bytes;
}

}  // namespace

Capture capture_from_trace(const std::vector<trace::Record>& records, std::string_view session) {
  std::string chosen(session);
  if (chosen.empty()) {
    for (const auto& r : records)
      if (const auto* w = std::get_if<trace::WireBytesRecord>(&r.body);
          w && w->channel == trace::Channel::Plain) {
        chosen = r.session;
        break;
      }
  }
  if (chosen.empty()) {
    for (const auto& r : records)
      if (std::holds_alternative<trace::AppBytesRecord>(r.body)) {
        chosen = r.session;
        break;
      }
  }
  Streams s;
  bool wire = false;
  for (const auto& r : records) {
    if (r.session != chosen) continue;
    if (const auto* w = std::get_if<trace::WireBytesRecord>(&r.body)) {
      wire = true;
      if (w->channel == trace::Channel::Tls) {
        s.tls = true;
        s.gap[index(w->direction)] = true;  // plaintext ends where TLS begins
        continue;
      }
      s.masked |= w->redacted;
      append(s, w->direction, w->offset, w->bytes);
    } else if (const auto* a = std::get_if<trace::AppBytesRecord>(&r.body); a && !wire) {
      s.masked |= a->redacted;
      append(s, a->direction, a->offset, a->bytes);
    }
  }
  Capture c = capture_from_streams(s.data[0], s.data[1]);
  if (chosen.empty()) c.notes.emplace_back("the trace has no wire or app records to read");
  if (s.masked)
    c.notes.emplace_back("the trace masks secrets ('*'): it was written without expose_secrets");
  if (s.tls) c.tls_started = true;
  return c;
}

}  // namespace pop3::attack
