// The client session fed arbitrary server replies.
//
// Input: one control byte, the commands to send (lines separated by LF, as typed in the
// shell: each goes through send_raw()), a NUL, then the server's byte stream.
//   bit 0  stream RETR/TOP bodies as BodyChunk events   bit 1  bare LF accepted
//   bit 2  the TLS handshake fails                       bit 3  feed in small pieces
//   bit 4  state rules enforced (send_raw may refuse)    bit 5  connection lost at the end
// The golden transcript (tests/transcripts/rfc1939-example.txt) gives the seed: its C:
// lines as the commands, its S: lines as the server stream.
//
// Invariants:
//  - every Received event holds exactly the stream's bytes at its offset;
//  - a RETR/TOP body (Reply::body, or the BodyChunks before its ReplyEvent) is exactly the
//    received body bytes dot-unstuffed by a reference decoder written here independently
//    (RFC 1939 §3: strip one leading dot, the line "." ends the body); other bodies' lines
//    join back into that unstuffed text; the body bytes end with the terminating line;
//  - replies are matched to the commands in the order they were sent;
//  - StateChange events chain and end at state(); nothing is reported after Closed;
//  - everything the client sends is CRLF-terminated lines without CR, LF or NUL inside.
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "invariant.hpp"
#include "pop3/core/client_session.hpp"
#include "pop3/core/command_table.hpp"

namespace {

// RFC 1939 §3 by the letter, line by line: a line is ended by CRLF (or LF when lenient);
// the line "." ends the body; any other line starting with '.' loses that dot.
// nullopt if `stuffed` is not exactly a body up to and including its terminating line.
std::optional<std::string> reference_unstuff(std::string_view stuffed, bool lenient) {
  std::string out;
  while (!stuffed.empty()) {
    std::size_t end = std::string_view::npos;
    for (std::size_t i = 0; i < stuffed.size(); ++i) {
      if (stuffed[i] == '\n' && (lenient || (i > 0 && stuffed[i - 1] == '\r'))) {
        end = i + 1;
        break;
      }
    }
    if (end == std::string_view::npos) return std::nullopt;  // no terminating line
    std::string_view line = stuffed.substr(0, end);
    stuffed.remove_prefix(end);
    if (line == ".\r\n" || (lenient && line == ".\n")) {
      if (!stuffed.empty()) return std::nullopt;  // the decoder read past the end
      return out;
    }
    if (line.starts_with('.')) line.remove_prefix(1);
    out.append(line);
  }
  return std::nullopt;
}

bool wire_form(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i)
    if ((text[i] == '\n') != (i > 0 && text[i - 1] == '\r' && text[i] == '\n')) return false;
  return true;
}

class Run {
 public:
  explicit Run(std::uint8_t controls) : controls_(controls) {
    pop3::ClientConfig config;
    config.stream_message_bodies = (controls & 0x01) != 0;
    config.accept_bare_lf = (controls & 0x02) != 0;
    config.enforce_states = (controls & 0x10) != 0;
    session_ = std::make_unique<pop3::ClientSession>(config);
  }

  void send(std::string_view line) {
    const auto parsed_verb = pop3::parse_verb(line.substr(0, line.find(' ')));
    if (session_->send_raw(line)) return;  // refused: nothing was queued
    sent_.push_back(parsed_verb);
    drain();
  }

  void feed(std::string_view bytes) {
    if (closed_) return;
    stream_.append(bytes);
    session_->feed(bytes);
    drain();
  }

  void finish() {
    if (!closed_ && (controls_ & 0x20)) {
      session_->connection_lost();
      drain();
      FUZZ_CHECK(closed_);
    }
  }

 private:
  void drain() {
    for (int guard = 0;; ++guard) {
      FUZZ_CHECK(guard < 1'000'000);
      pop3::Step step = session_->next();
      if (std::holds_alternative<pop3::NeedInput>(step)) break;
      if (auto* closed = std::get_if<pop3::Closed>(&step)) {
        (void)closed;
        closed_ = true;
        break;
      }
      handle(step);
    }
    if (!closed_) FUZZ_CHECK(state_ == session_->state());
  }

  void handle(pop3::Step& step) {
    FUZZ_CHECK(!closed_);
    if (auto* send = std::get_if<pop3::Send>(&step)) {
      const std::string& b = send->bytes;
      FUZZ_CHECK(b.ends_with("\r\n"));
      FUZZ_CHECK(b.find_first_of(std::string_view("\r\n\0", 3)) == b.size() - 2);
    } else if (std::holds_alternative<pop3::StartTls>(step)) {
      if (controls_ & 0x04)
        session_->tls_failed();
      else
        session_->tls_established();
    } else if (auto* received = std::get_if<pop3::Received>(&step)) {
      FUZZ_CHECK(received->offset + received->bytes.size() <= stream_.size());
      FUZZ_CHECK(stream_.compare(received->offset, received->bytes.size(), received->bytes) == 0);
      if (received->body) body_bytes_ += received->bytes;
    } else if (auto* chunk = std::get_if<pop3::BodyChunk>(&step)) {
      FUZZ_CHECK(controls_ & 0x01);
      chunks_ += chunk->data;
    } else if (auto* change = std::get_if<pop3::StateChange>(&step)) {
      FUZZ_CHECK(change->from == state_);
      state_ = change->to;
    } else if (auto* reply = std::get_if<pop3::ReplyEvent>(&step)) {
      check_reply(*reply);
    }
  }

  void check_reply(const pop3::ReplyEvent& event) {
    const pop3::Reply& reply = event.reply;
    if (event.verb) {
      // Matched in order: the commands before it were answered (or never will be).
      while (!sent_.empty() && sent_.front() != event.verb)
        sent_.pop_front();
      FUZZ_CHECK(!sent_.empty());
      sent_.pop_front();
    }
    if (reply.multiline) {
      FUZZ_CHECK(reply.ok() && event.verb);
      const auto expected = reference_unstuff(body_bytes_, (controls_ & 0x02) != 0);
      FUZZ_CHECK(expected.has_value());
      if (event.verb == pop3::Verb::Retr || event.verb == pop3::Verb::Top) {
        FUZZ_CHECK(((controls_ & 0x01) ? chunks_ : reply.body) == *expected);
        FUZZ_CHECK(reply.lines.empty());
      } else {
        FUZZ_CHECK(reply.body.empty() && chunks_.empty());
        std::string joined;
        for (const auto& line : reply.lines) {
          FUZZ_CHECK(line.find('\n') == std::string::npos);
          joined += line + "\r\n";
        }
        if (wire_form(*expected)) FUZZ_CHECK(joined == *expected);
      }
    } else {
      FUZZ_CHECK(body_bytes_.empty() && reply.body.empty() && reply.lines.empty());
    }
    body_bytes_.clear();
    chunks_.clear();
  }

  std::uint8_t controls_;
  std::unique_ptr<pop3::ClientSession> session_;
  std::deque<std::optional<pop3::Verb>> sent_;
  std::string stream_;
  std::string body_bytes_;  // stuffed body bytes received since the last reply
  std::string chunks_;      // BodyChunk data since the last reply
  pop3::State state_ = pop3::State::Authorization;
  bool closed_ = false;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  pop3fuzz::Controls controls(pop3fuzz::as_text(data, size));
  const std::uint8_t flags = controls.byte();
  std::string_view commands = controls.until('\0');
  Run run(flags);
  while (!commands.empty()) {
    const std::size_t lf = commands.find('\n');
    run.send(commands.substr(0, lf));
    commands.remove_prefix(lf == std::string_view::npos ? commands.size() : lf + 1);
  }
  pop3fuzz::in_pieces(controls.rest(), (flags & 0x08) ? 5 : 0,
                      [&](std::string_view piece) { run.feed(piece); });
  run.finish();
  return 0;
}
