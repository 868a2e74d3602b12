#include <doctest/doctest.h>

#include "support.hpp"

using namespace attacktest;

TEST_CASE("LineBuffer gives the same lines however the stream is cut, and loses nothing") {
  const std::string stream = "+OK hi\r\nCAPA\r\nSTLS\r\n.\r\npartial";
  for (std::size_t piece : {std::size_t{1}, std::size_t{2}, std::size_t{5}, stream.size()}) {
    CAPTURE(piece);
    LineBuffer b;
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < stream.size(); i += piece)
      for (auto& l : b.add(std::string_view(stream).substr(i, piece)))
        lines.push_back(l);
    CHECK(lines == std::vector<std::string>{"+OK hi\r\n", "CAPA\r\n", "STLS\r\n", ".\r\n"});
    CHECK(b.pending() == "partial");
  }
  LineBuffer small(4);
  // A line longer than the limit comes out in pieces of the limit; nothing is lost.
  CHECK(small.add("abcdefg\r\n") == std::vector<std::string>{"abcd", "efg\r", "\n"});
  CHECK(strip_line_end("x\r\n") == "x");
  CHECK(strip_line_end("x\n") == "x");
}

TEST_CASE("ConversationFollower places body lines, SASL lines and the switch to TLS") {
  ConversationFollower f;
  CHECK(f.server_line("+OK ready <1.2@host>").kind == LineKind::Greeting);
  CHECK(f.client_line("CAPA").verb == Verb::Capa);
  CHECK(f.client_line("LIST 1").verb == Verb::List);  // pipelined
  CHECK(f.server_line("+OK capabilities").kind == LineKind::Status);
  const LineInfo stls_tag = f.server_line("STLS");
  CHECK(stls_tag.kind == LineKind::BodyLine);
  CHECK(stls_tag.verb == Verb::Capa);
  CHECK(f.server_line(".").kind == LineKind::BodyEnd);
  const LineInfo list = f.server_line("+OK 1 120");  // LIST 1: one line
  CHECK(list.kind == LineKind::Status);
  CHECK(list.verb == Verb::List);
  CHECK(f.pending() == 0);

  CHECK(f.client_line("AUTH CRAM-MD5").kind == LineKind::Command);
  CHECK(f.server_line("+ PDEyMzQ+").kind == LineKind::Continuation);
  CHECK(f.client_to_answer());
  CHECK(f.client_line("YWxpY2UgMDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=").kind ==
        LineKind::SaslResponse);
  CHECK(f.server_line("-ERR [AUTH] no").kind == LineKind::Status);

  CHECK(f.client_line("STLS").verb == Verb::Stls);
  CHECK_FALSE(f.tls_started());
  CHECK(f.server_line("+OK begin TLS").ok);
  CHECK(f.tls_started());
  CHECK(f.client_line("\x16\x03\x01").kind == LineKind::Unexpected);
}
