#include "pop3/attack/stls_stripper.hpp"

#include "ascii.hpp"

namespace pop3::attack {

void StlsStripper::on_chunk(const sim::ChunkView& chunk, sim::MiddleboxOutput& out) {
  if (chunk.channel == trace::Channel::Tls || follower_.tls_started()) {
    out.forward();
    return;
  }
  if (chunk.direction == Direction::ClientToServer)
    client_chunk(chunk.bytes, out);
  else
    server_chunk(chunk.bytes, out);
}

void StlsStripper::client_chunk(std::string_view octets, sim::MiddleboxOutput& out) {
  std::string forward;
  for (std::string& line : c2s_.add(octets)) {
    const LineInfo info = follower_.client_line(strip_line_end(line));
    if (options_.answer_stls && info.kind == LineKind::Command && info.verb == Verb::Stls) {
      ++owed_;
      out.note("kept the client's STLS from the server; the client gets \"" + options_.stls_reply +
               "\" instead");
      continue;
    }
    forward += line;
  }
  if (!forward.empty()) out.forward(std::move(forward));
  std::string none;
  pay_debts(none, out);
}

void StlsStripper::server_chunk(std::string_view octets, sim::MiddleboxOutput& out) {
  std::string forward;
  for (std::string& line : s2c_.add(octets)) {
    const std::string_view text = strip_line_end(line);
    const LineInfo info = follower_.server_line(text);
    if (options_.strip_capa && info.kind == LineKind::BodyLine && info.verb == Verb::Capa &&
        detail::iequals(detail::first_word(text), "STLS")) {
      ++removed_;
      out.note("removed \"" + std::string(text) + "\" from the CAPA reply");
      continue;
    }
    forward += line;
    pay_debts(forward, out);
  }
  if (!forward.empty()) out.forward(std::move(forward));
}

void StlsStripper::pay_debts(std::string& forward, sim::MiddleboxOutput& out) {
  // The swallowed STLS is the oldest command still waiting: its turn to be answered.
  while (owed_ > 0 && follower_.awaiting() == Verb::Stls) {
    if (!forward.empty()) out.forward(std::move(forward));
    forward.clear();
    const std::string reply = options_.stls_reply + "\r\n";
    (void)follower_.server_line(options_.stls_reply);
    out.inject(Direction::ServerToClient, reply);
    --owed_;
    ++answered_;
  }
}

}  // namespace pop3::attack
