// Dot-stuffing (RFC 1939 §3) both ways, streaming.
//
// Input: one control byte (low nibble: piece size period for the encoder, high nibble: for
// the decoder), then message data. Invariants:
//  - the encoder's output does not depend on how its input is cut into pieces, nor does
//    the decoder's;
//  - the encoded body ends with ".\r\n"; for data in wire form (no LF without a CR before
//    it: the encoder's contract) that is a line of its own and the only line ".";
//  - the lenient decoder (bare LF ends a line) gives back any data exactly, plus the CRLF
//    (or LF after a final CR) that finish() adds to data not ending with LF;
//  - the strict decoder does the same for data in wire form (no LF without CR before it);
//  - the decoder stops exactly at the end of the terminating line: bytes behind the body
//    are left for the next reply.
#include <cstdint>
#include <string>
#include <string_view>

#include "invariant.hpp"
#include "pop3/core/dot_stuffing.hpp"

namespace {

std::string encode(std::string_view data, std::size_t period) {
  pop3::DotEncoder encoder;
  std::string out;
  pop3fuzz::in_pieces(data, period, [&](std::string_view piece) { encoder.encode(piece, out); });
  encoder.finish(out);
  return out;
}

// Decodes `stuffed` in pieces; returns the data and how many octets were consumed.
std::pair<std::string, std::size_t> decode(std::string_view stuffed, std::size_t period,
                                           bool lenient) {
  pop3::DotDecoder decoder(pop3::DotDecoder::Options{lenient});
  std::string out;
  std::size_t consumed = 0;
  bool stopped = false;
  pop3fuzz::in_pieces(stuffed, period, [&](std::string_view piece) {
    if (stopped) return;
    const std::size_t used = decoder.decode(piece, out);
    FUZZ_CHECK(used <= piece.size());
    consumed += used;
    if (decoder.done())
      stopped = true;
    else
      FUZZ_CHECK(used == piece.size());
  });
  FUZZ_CHECK(stopped);
  return {out, consumed};
}

bool wire_form(std::string_view data) {
  for (std::size_t i = 0; i < data.size(); ++i)
    if (data[i] == '\n' && (i == 0 || data[i - 1] != '\r')) return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  pop3fuzz::Controls controls(pop3fuzz::as_text(data, size));
  const std::uint8_t periods = controls.byte();
  const std::string_view message = controls.rest();

  const std::string stuffed = encode(message, 0);
  FUZZ_CHECK(encode(message, periods & 0x0f) == stuffed);
  FUZZ_CHECK(stuffed.ends_with(".\r\n"));
  FUZZ_CHECK(!stuffed.starts_with(".\r\n") || stuffed == ".\r\n");
  if (wire_form(message)) {
    // The DotEncoder's contract is wire-form data (every maildrop serves that): then the
    // terminator is a line of its own and the only line ".".
    FUZZ_CHECK(stuffed == ".\r\n" || stuffed.ends_with("\r\n.\r\n"));
    FUZZ_CHECK(stuffed.find("\r\n.\r\n") == stuffed.size() - 5 || stuffed == ".\r\n");
  }

  std::string expected(message);
  // finish() ends an unterminated last line: LF after a CR, CRLF after anything but LF.
  if (!expected.empty() && !expected.ends_with('\n'))
    expected += expected.ends_with('\r') ? "\n" : "\r\n";
  // Bytes after the body: the next reply's status line must be left alone.
  const std::string followed = stuffed + "+OK next\r\n";
  const std::size_t decoder_period = periods >> 4;
  const auto lenient = decode(followed, decoder_period, true);
  FUZZ_CHECK(lenient.first == expected);
  FUZZ_CHECK(lenient.second == stuffed.size());
  FUZZ_CHECK(decode(followed, 0, true) == lenient);
  if (wire_form(message)) {
    const auto strict = decode(followed, decoder_period, false);
    FUZZ_CHECK(strict.first == expected);
    FUZZ_CHECK(strict.second == stuffed.size());
  }
  return 0;
}
