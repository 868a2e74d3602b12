#include "pop3/attack/starttls_injector.hpp"

namespace pop3::attack {

bool StartTlsInjector::is_trigger(const LineInfo& info, Direction direction) const {
  if (injected_) return false;
  if (target_ == Target::Server)
    return direction == Direction::ClientToServer && info.kind == LineKind::Command &&
           info.verb == Verb::Stls;
  return direction == Direction::ServerToClient && info.kind == LineKind::Status && info.ok &&
         info.verb == Verb::Stls;
}

void StartTlsInjector::on_chunk(const sim::ChunkView& chunk, sim::MiddleboxOutput& out) {
  // Once the follower has seen +OK to STLS the plain stream is over; what the client had
  // not finished is passed on as it is.
  if (chunk.channel == trace::Channel::Tls || follower_.tls_started()) {
    out.forward();
    return;
  }
  const bool c2s = chunk.direction == Direction::ClientToServer;
  LineBuffer& buffer = c2s ? c2s_ : s2c_;
  const Direction toward = chunk.direction;
  std::string forward;
  for (std::string& line : buffer.add(chunk.bytes)) {
    const std::string_view text = strip_line_end(line);
    const LineInfo info = c2s ? follower_.client_line(text) : follower_.server_line(text);
    forward += line;
    if (!is_trigger(info, chunk.direction)) continue;
    injected_ = true;
    const std::string what =
        std::to_string(bytes_.size()) + " octets behind " +
        (c2s ? std::string("the client's STLS") : std::string("the server's +OK to STLS"));
    if (same_segment_) {
      forward += bytes_;
      out.note("appended " + what + ", in the same segment (CVE-2011-0411)");
    } else {
      out.forward(std::move(forward));
      forward.clear();
      out.note("sent " + what + " as a separate segment");
      out.inject(toward, bytes_);
    }
  }
  // After +OK to STLS the rest of the chunk (nothing, from a well-behaved server) goes too.
  if (follower_.tls_started()) forward += buffer.take_pending();
  if (!forward.empty()) out.forward(std::move(forward));
}

}  // namespace pop3::attack
