#include "pop3/core/dot_stuffing.hpp"

#include <doctest/doctest.h>

#include <random>

#include "pop3test/feeding.hpp"

using pop3::DotDecoder;
using pop3::DotEncoder;
using pop3test::Feeding;

namespace {

std::string encode_in_pieces(std::string_view data, std::size_t piece) {
  DotEncoder enc;
  std::string out;
  for (std::size_t i = 0; i < data.size(); i += piece)
    enc.encode(data.substr(i, piece), out);
  enc.finish(out);
  return out;
}

// Decodes `wire` fed in a mode; returns the data and how many input bytes were left.
std::pair<std::string, std::size_t> decode(std::string_view wire, Feeding f) {
  DotDecoder dec;
  std::string out;
  std::size_t left = 0;
  for (const auto& chunk : pop3test::chunks(wire, f)) {
    if (dec.done()) {
      left += chunk.size();
      continue;
    }
    const std::size_t used = dec.decode(chunk, out);
    left += chunk.size() - used;
  }
  CHECK(dec.done());
  return {out, left};
}

}  // namespace

TEST_CASE("a line that begins with a dot is stuffed and the body ends with dot CRLF") {
  CHECK(encode_in_pieces("Hello\r\n.hidden\r\n..two\r\n", 1000) ==
        "Hello\r\n..hidden\r\n...two\r\n.\r\n");
  CHECK(encode_in_pieces(".\r\n", 1000) == "..\r\n.\r\n");
}

TEST_CASE("the encoder ends an unterminated last line and handles the empty body") {
  CHECK(encode_in_pieces("no newline", 1000) == "no newline\r\n.\r\n");
  CHECK(encode_in_pieces("ends in CR\r", 1000) == "ends in CR\r\n.\r\n");
  CHECK(encode_in_pieces("", 1000) == ".\r\n");
}

TEST_CASE("encoding gives the same bytes for every chunk size") {
  const std::string data = ".a\r\n\r\n.\r\n..\r\nx.y\r\n.\r\nend";
  const std::string whole = encode_in_pieces(data, data.size());
  for (std::size_t piece = 1; piece < data.size(); ++piece) {
    CAPTURE(piece);
    CHECK(encode_in_pieces(data, piece) == whole);
  }
}

TEST_CASE("decoding strips stuffing, stops at the terminator and leaves trailing bytes") {
  const std::string wire = "Hello\r\n..hidden\r\n...two\r\n.\r\n";
  for (Feeding f : pop3test::kAllFeedings) {
    CAPTURE(pop3test::feeding_name(f));
    auto [data, left] = decode(wire, f);
    CHECK(data == "Hello\r\n.hidden\r\n..two\r\n");
    CHECK(left == (f == Feeding::WithTrailing ? pop3test::kTrailing.size() : 0));
  }
}

TEST_CASE("an empty body is just the terminator") {
  for (Feeding f : pop3test::kAllFeedings) {
    auto [data, left] = decode(".\r\n", f);
    CHECK(data.empty());
  }
}

TEST_CASE("dot CR followed by something other than LF is content, not the end") {
  DotDecoder dec;
  std::string out;
  dec.decode(".\rX\r\n.\r\n", out);
  CHECK(dec.done());
  CHECK(out == "\rX\r\n");
}

TEST_CASE("a bare LF ends the body only under the bare-LF leniency") {
  DotDecoder strict;
  std::string out;
  strict.decode("a\n.\n", out);
  CHECK_FALSE(strict.done());
  DotDecoder lenient(DotDecoder::Options{true});
  std::string out2;
  lenient.decode("a\n..b\n.\n", out2);
  CHECK(lenient.done());
  CHECK(out2 == "a\n.b\n");
}

TEST_CASE("any message survives stuffing and unstuffing cut at random boundaries") {
  std::mt19937 rng(1939);
  const std::string alphabet = ".\r\nab";
  for (int round = 0; round < 300; ++round) {
    std::string data;
    const auto length = rng() % 200;
    for (unsigned i = 0; i < length; ++i)
      data += alphabet[rng() % alphabet.size()];
    // Wire form: normalise line ends so the expected output is well defined.
    std::string wire_form;
    for (std::size_t i = 0; i < data.size(); ++i) {
      if (data[i] == '\r') continue;
      if (data[i] == '\n')
        wire_form += "\r\n";
      else
        wire_form += data[i];
    }
    const std::string stuffed = encode_in_pieces(wire_form, 1 + rng() % 7);
    DotDecoder dec;
    std::string out;
    std::size_t i = 0;
    while (i < stuffed.size() && !dec.done()) {
      const std::size_t piece = std::min<std::size_t>(1 + rng() % 9, stuffed.size() - i);
      i += dec.decode(std::string_view(stuffed).substr(i, piece), out);
    }
    CAPTURE(wire_form);
    CHECK(dec.done());
    CHECK(i == stuffed.size());
    const std::string expected =
        wire_form.empty() || wire_form.ends_with("\r\n") ? wire_form : wire_form + "\r\n";
    CHECK(out == expected);
  }
}
