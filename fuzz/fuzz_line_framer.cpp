// CRLF line framing with a cap (RFC 2449 §4).
//
// Input: two control bytes (piece size period; bit 0 of the second: accept bare LF, its
// other bits pick the cap: 255, 512 or a small one), then the byte stream. Invariants:
//  - the sequence of framed results does not depend on how the stream is cut into pieces;
//  - a Line holds no LF, fits in the cap with its line end, and its octets are its text
//    plus 2 (CRLF) or 1 (bare LF, flagged unless accepted);
//  - every input octet is accounted for exactly once: framed octets plus what is still
//    buffered equal what was fed, and the framed lines are the stream's bytes in order;
//  - memory stays bounded: the framer never buffers more than the cap, however long the
//    line (a too-long line is reported once, as TooLong, when its end arrives).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "invariant.hpp"
#include "pop3/core/line_framer.hpp"

namespace {

struct Framed {
  pop3::FramedLine::Kind kind;
  std::string text;
  bool bare_lf;
  std::size_t octets;
  friend bool operator==(const Framed&, const Framed&) = default;
};

std::vector<Framed> frame(std::string_view stream, std::size_t period, pop3::FramingOptions options,
                          std::size_t& left_over) {
  pop3::LineFramer framer(options);
  std::vector<Framed> out;
  std::size_t fed = 0;
  std::size_t framed = 0;
  pop3fuzz::in_pieces(stream, period, [&](std::string_view piece) {
    framer.feed(piece);
    fed += piece.size();
    for (;;) {
      pop3::FramedLine line = framer.next();
      if (line.kind == pop3::FramedLine::Kind::NeedMore) break;
      FUZZ_CHECK(line.octets <= fed - framed);
      if (line.kind == pop3::FramedLine::Kind::Line) {
        FUZZ_CHECK(line.text.find('\n') == std::string::npos);
        FUZZ_CHECK(line.octets <= options.max_line);
        const std::string_view raw = stream.substr(framed, line.octets);
        FUZZ_CHECK(raw.substr(0, line.text.size()) == line.text);
        if (raw.ends_with("\r\n")) {
          FUZZ_CHECK(line.octets == line.text.size() + 2 && !line.bare_lf);
        } else {
          FUZZ_CHECK(raw.ends_with('\n') && line.octets == line.text.size() + 1);
          FUZZ_CHECK(line.bare_lf == !options.accept_bare_lf);
        }
      } else {
        FUZZ_CHECK(line.octets > options.max_line);
        FUZZ_CHECK(stream.substr(framed, line.octets).ends_with('\n'));
      }
      framed += line.octets;
      out.push_back({line.kind, std::move(line.text), line.bare_lf, line.octets});
    }
    // Bounded memory: a line being swallowed is not kept.
    FUZZ_CHECK(framer.buffered() <= options.max_line);
  });
  left_over = framer.buffered();
  FUZZ_CHECK(framed + left_over <= stream.size());
  const std::string rest = framer.take_buffered();
  FUZZ_CHECK(rest.size() == left_over && framer.buffered() == 0);
  // What is buffered is the stream's tail, unless the tail is a too-long line being swallowed.
  if (!rest.empty()) FUZZ_CHECK(stream.ends_with(rest));
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  pop3fuzz::Controls controls(pop3fuzz::as_text(data, size));
  const std::size_t period = controls.byte() % 17;
  const std::uint8_t mode = controls.byte();
  pop3::FramingOptions options;
  options.accept_bare_lf = (mode & 1) != 0;
  const std::size_t caps[] = {255, 512, 3 + static_cast<std::size_t>(mode >> 3) % 16, 255};
  options.max_line = caps[(mode >> 1) & 3];
  const std::string_view stream = controls.rest();

  std::size_t whole_left = 0;
  std::size_t piece_left = 0;
  const auto whole = frame(stream, 0, options, whole_left);
  const auto pieces = frame(stream, period, options, piece_left);
  FUZZ_CHECK(whole == pieces);
  FUZZ_CHECK(whole_left == piece_left);
  return 0;
}
