#include "transcript.hpp"

#include "pop3/core/reply.hpp"
#include "pop3/core/state.hpp"

namespace pop3::client {

void Transcript::bytes(Direction& d, char prefix, std::string_view data, std::uint64_t offset) {
  std::string text(data);
  for (const auto& [begin, end] : d.secrets) {
    for (std::uint64_t i = std::max(begin, offset); i < std::min(end, offset + text.size()); ++i)
      text[static_cast<std::size_t>(i - offset)] = '*';
  }
  d.partial += text;
  std::size_t start = 0;
  for (;;) {
    const std::size_t lf = d.partial.find('\n', start);
    if (lf == std::string::npos) break;
    std::string line = d.partial.substr(start, lf - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    start = lf + 1;
    if (prefix == 'S' && in_body_) {
      ++body_lines_;
      if (!show_bodies) continue;
    }
    print_(std::string(1, prefix) + ": " + line);
  }
  d.partial.erase(0, start);
}

void Transcript::step(const Step& step) {
  if (auto* s = std::get_if<SecretSeen>(&step)) {
    auto& d = s->direction == pop3::Direction::ClientToServer ? out_ : in_;
    d.secrets.emplace_back(s->offset, s->offset + s->length);
  } else if (auto* send = std::get_if<Send>(&step)) {
    bytes(out_, 'C', send->bytes, out_.offset);
    out_.offset += send->bytes.size();
  } else if (auto* r = std::get_if<Received>(&step)) {
    in_body_ = r->body;
    bytes(in_, 'S', r->bytes, r->offset);
  } else if (auto* reply = std::get_if<ReplyEvent>(&step)) {
    if (reply->reply.multiline && !show_bodies)
      print_("S: (" + std::to_string(body_lines_ > 0 ? body_lines_ - 1 : 0) + " body lines)");
    in_body_ = false;
    body_lines_ = 0;
  } else if (auto* change = std::get_if<StateChange>(&step)) {
    if (show_states) print_("-- " + std::string(state_name(change->to)) + ": " + change->why);
  } else if (auto* d = std::get_if<InjectionDiscarded>(&step)) {
    print_("!! " + std::to_string(d->octets) +
           " octets received behind +OK to STLS were discarded (STARTTLS injection?)");
  }
}

}  // namespace pop3::client
