#include "pop3/maildir/line_ends.hpp"

#include <doctest/doctest.h>

#include <random>
#include <string>

#include "pop3/maildrop/memory_maildrop.hpp"
#include "temp_maildir.hpp"

using pop3::maildir::DiskEncoder;
using pop3::maildir::WireEncoder;
using pop3::maildir::WireSizer;
using pop3::maildrop::to_wire_form;

namespace {

// Short strings over the three bytes that matter, so every CR/LF combination occurs.
std::string random_text(std::mt19937& rng, std::size_t max_length) {
  static constexpr char kAlphabet[] = {'a', '\r', '\n'};
  std::uniform_int_distribution<std::size_t> length(0, max_length);
  std::uniform_int_distribution<std::size_t> pick(0, 2);
  std::string s(length(rng), 'a');
  for (auto& c : s)
    c = kAlphabet[pick(rng)];
  return s;
}

// Encodes `in` fed in pieces of random size into output buffers of random size.
std::string encode_in_pieces(std::string_view in, std::mt19937& rng) {
  std::uniform_int_distribution<std::size_t> size(1, 5);
  WireEncoder encoder;
  std::string out;
  std::size_t at = 0;
  while (at < in.size()) {
    const auto piece = in.substr(at, size(rng));
    std::size_t used = 0;
    while (used < piece.size()) {  // the encoder may need several calls for one piece
      char buffer[5];
      const auto step = encoder.encode(piece.substr(used), buffer, size(rng));
      used += step.consumed;
      out.append(buffer, step.produced);
    }
    at += piece.size();
  }
  while (!encoder.done()) {
    char buffer[5];
    out.append(buffer, encoder.finish(buffer, size(rng)));
  }
  return out;
}

}  // namespace

TEST_CASE("wire form: bare LF becomes CRLF, CRLF and bare CR pass, a final line end is added") {
  CHECK(pop3::maildir::to_wire("a\nb\n") == "a\r\nb\r\n");
  CHECK(pop3::maildir::to_wire("a\r\nb\r\n") == "a\r\nb\r\n");
  CHECK(pop3::maildir::to_wire("a\r\nb\nc") == "a\r\nb\r\nc\r\n");
  CHECK(pop3::maildir::to_wire("a\rb") == "a\rb\r\n");
  CHECK(pop3::maildir::to_wire("a\r") == "a\r\n");
  CHECK(pop3::maildir::to_wire("\n") == "\r\n");
  CHECK(pop3::maildir::to_wire("") == "");
  CHECK(pop3::maildir::wire_size("a\nb") == 6);
  CHECK(pop3::maildir::wire_size("") == 0);
}

TEST_CASE("wire encoder and sizer agree with to_wire_form for any input in any pieces") {
  std::mt19937 rng(1939);
  for (int i = 0; i < 3000; ++i) {
    const std::string text = random_text(rng, 12);
    const std::string expected = to_wire_form(text);
    INFO("input: " << maildirtest::visible(text));
    CHECK(pop3::maildir::to_wire(text) == expected);
    CHECK(encode_in_pieces(text, rng) == expected);
    WireSizer sizer;
    for (const char c : text)
      sizer.add(std::string_view(&c, 1));
    CHECK(sizer.total() == expected.size());
    CHECK(sizer.disk_size() == text.size());
  }
}

TEST_CASE("wire encoder joins a CR at the end of one piece with an LF at the start of the next") {
  WireEncoder encoder;
  char out[8];
  auto step = encoder.encode("x\r", out, sizeof out);
  CHECK(std::string(out, step.produced) == "x\r");
  step = encoder.encode("\ny", out, sizeof out);
  CHECK(std::string(out, step.produced) == "\ny");
  CHECK(std::string(out, encoder.finish(out, sizeof out)) == "\r\n");
  CHECK(encoder.done());
}

TEST_CASE("wire encoder writes into a one-byte buffer without losing the LF it owes") {
  WireEncoder encoder;
  char c = 0;
  std::string out;
  std::string_view in = "a\nb";
  while (!in.empty()) {
    const auto step = encoder.encode(in, &c, 1);
    in.remove_prefix(step.consumed);
    out.append(&c, step.produced);
  }
  while (!encoder.done())
    out.append(&c, encoder.finish(&c, 1));
  CHECK(out == "a\r\nb\r\n");
}

TEST_CASE("disk form: CRLF becomes LF, except after a CR, and nothing else changes") {
  CHECK(pop3::maildir::to_disk("a\r\nb\r\n") == "a\nb\n");
  CHECK(pop3::maildir::to_disk("a\nb") == "a\nb");
  CHECK(pop3::maildir::to_disk("a\rb\r") == "a\rb\r");
  CHECK(pop3::maildir::to_disk("a\r\r\n") == "a\r\r\n");
  CHECK(pop3::maildir::to_disk("") == "");
}

TEST_CASE("disk encoder holds a CR across pieces until it sees what follows") {
  DiskEncoder encoder;
  std::string out;
  encoder.encode("a\r", out);
  CHECK(out == "a");
  encoder.encode("\nb\r", out);
  CHECK(out == "a\nb");
  encoder.finish(out);
  CHECK(out == "a\nb\r");
}

TEST_CASE(
    "disk form round trip: the wire form of what is stored equals the wire form of the input") {
  std::mt19937 rng(5322);
  std::uniform_int_distribution<std::size_t> size(1, 4);
  for (int i = 0; i < 3000; ++i) {
    const std::string text = random_text(rng, 12);
    INFO("input: " << maildirtest::visible(text));
    DiskEncoder encoder;
    std::string disk;
    for (std::size_t at = 0; at < text.size();) {
      const std::size_t n = size(rng);
      encoder.encode(std::string_view(text).substr(at, n), disk);
      at += n;
    }
    encoder.finish(disk);
    CHECK(disk == pop3::maildir::to_disk(text));
    CHECK(pop3::maildir::to_wire(disk) == to_wire_form(text));
  }
}
