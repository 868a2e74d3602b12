#include "pop3/core/codec.hpp"

#include <doctest/doctest.h>

#include <set>
#include <sstream>

#include "pop3/core/command_table.hpp"

using namespace pop3;

namespace {

Command parsed(std::string_view line) {
  auto r = parse_command(line);
  REQUIRE_MESSAGE(std::holds_alternative<Command>(r), line);
  return std::get<Command>(r);
}

Errc parse_error(std::string_view line) {
  auto r = parse_command(line);
  REQUIRE_MESSAGE(std::holds_alternative<ParseError>(r), line);
  return std::get<ParseError>(r).code;
}

}  // namespace

TEST_CASE("every command of the table parses from its canonical form and serialises back") {
  const std::vector<std::pair<std::string, Command>> known{
      {"USER alice", {Verb::User, {"alice"}}},
      {"PASS two words", {Verb::Pass, {"two words"}}},
      {"APOP mrose c4c9334bac560ecc979e58001b3e22fb",
       {Verb::Apop, {"mrose", "c4c9334bac560ecc979e58001b3e22fb"}}},
      {"AUTH", {Verb::Auth, {}}},
      {"AUTH PLAIN", {Verb::Auth, {"PLAIN"}}},
      {"AUTH PLAIN AGFsaWNlAHNlY3JldA==", {Verb::Auth, {"PLAIN", "AGFsaWNlAHNlY3JldA=="}}},
      {"STLS", {Verb::Stls, {}}},
      {"CAPA", {Verb::Capa, {}}},
      {"UTF8", {Verb::Utf8, {}}},
      {"STAT", {Verb::Stat, {}}},
      {"LIST", {Verb::List, {}}},
      {"LIST 2", {Verb::List, {"2"}}},
      {"RETR 1", {Verb::Retr, {"1"}}},
      {"DELE 1", {Verb::Dele, {"1"}}},
      {"NOOP", {Verb::Noop, {}}},
      {"RSET", {Verb::Rset, {}}},
      {"QUIT", {Verb::Quit, {}}},
      {"TOP 1 0", {Verb::Top, {"1", "0"}}},
      {"UIDL", {Verb::Uidl, {}}},
      {"UIDL 3", {Verb::Uidl, {"3"}}},
  };
  std::set<Verb> seen;
  for (const auto& [line, command] : known) {
    CAPTURE(line);
    CHECK(parsed(line) == command);
    auto wire = serialize_command(command);
    REQUIRE(std::holds_alternative<std::string>(wire));
    CHECK(std::get<std::string>(wire) == line + "\r\n");
    seen.insert(command.verb);
  }
  CHECK(seen.size() == kVerbCount);
}

TEST_CASE("keywords are case-insensitive and arguments keep their case") {
  CHECK(parsed("user Alice") == Command{Verb::User, {"Alice"}});
  CHECK(parsed("ReTr 7") == Command{Verb::Retr, {"7"}});
}

TEST_CASE("malformed commands are refused with the error that names the problem") {
  CHECK(parse_error("") == Errc::empty_command);
  CHECK(parse_error("FOO") == Errc::unknown_command);
  CHECK(parse_error("RETR") == Errc::wrong_arguments);
  CHECK(parse_error("RETR 1 2") == Errc::wrong_arguments);
  CHECK(parse_error("RETR 0") == Errc::bad_message_number);
  CHECK(parse_error("RETR -1") == Errc::bad_message_number);
  CHECK(parse_error("RETR one") == Errc::bad_message_number);
  CHECK(parse_error("RETR 99999999999999999999") == Errc::bad_message_number);
  CHECK(parse_error("TOP 1 x") == Errc::wrong_arguments);
  CHECK(parse_error("STAT now") == Errc::wrong_arguments);
  CHECK(parse_error("PASS") == Errc::wrong_arguments);
  CHECK(parse_error("LIST  1") == Errc::wrong_arguments);
  CHECK(parse_error(std::string("USER a\0b", 8)) == Errc::invalid_character);
  CHECK(parse_error("AUTH " + std::string(41, 'M')) == Errc::argument_too_long);
}

TEST_CASE("the unknown-command error never echoes what was typed, which may be a password") {
  auto r = parse_command("hunter2");
  REQUIRE(std::holds_alternative<ParseError>(r));
  CHECK(std::get<ParseError>(r).message.find("hunter2") == std::string::npos);
}

TEST_CASE("serialising refuses CR, LF and NUL in arguments (CRLF injection)") {
  for (std::string evil :
       {std::string("alice\r\nDELE 1"), std::string("a\nb"), std::string("a\0b", 3)}) {
    auto r = serialize_command({Verb::User, {evil}});
    REQUIRE(std::holds_alternative<ParseError>(r));
    CHECK(std::get<ParseError>(r).code == Errc::crlf_injection);
    auto p = serialize_command({Verb::Pass, {evil}});
    REQUIRE(std::holds_alternative<ParseError>(p));
    CHECK(std::get<ParseError>(p).code == Errc::crlf_injection);
  }
}

TEST_CASE("serialising refuses a command line over 255 octets") {
  auto r = serialize_command({Verb::Pass, {std::string(251, 'p')}});
  REQUIRE(std::holds_alternative<ParseError>(r));
  CHECK(std::get<ParseError>(r).code == Errc::line_too_long);
  CHECK(std::holds_alternative<std::string>(
      serialize_command({Verb::Pass, {std::string(248, 'p')}})));
}

TEST_CASE("the secret's byte range points at the PASS argument and the APOP digest") {
  auto pass = secret_range({Verb::Pass, {"open sesame"}});
  REQUIRE(pass);
  CHECK(pass->offset == 5);
  CHECK(pass->length == 11);
  auto apop = secret_range({Verb::Apop, {"mrose", "c4c9334bac560ecc979e58001b3e22fb"}});
  REQUIRE(apop);
  CHECK(apop->offset == 11);
  CHECK(apop->length == 32);
  CHECK_FALSE(secret_range({Verb::User, {"alice"}}));
}

TEST_CASE("describe redacts the secret argument") {
  CHECK(describe({Verb::Pass, {"hunter2"}}) == "PASS <redacted>");
  CHECK(describe({Verb::Retr, {"1"}}) == "RETR 1");
}

TEST_CASE("status lines parse with and without response codes") {
  auto ok = std::get<StatusLine>(parse_status_line("+OK 2 320"));
  CHECK(ok.status == Status::Ok);
  CHECK_FALSE(ok.code);
  CHECK(ok.text == "2 320");
  auto bare = std::get<StatusLine>(parse_status_line("+OK"));
  CHECK(bare.text.empty());
  auto in_use = std::get<StatusLine>(parse_status_line("-ERR [IN-USE] maildrop locked"));
  CHECK(in_use.status == Status::Err);
  REQUIRE(in_use.code);
  CHECK(in_use.code->text == "IN-USE");
  CHECK(in_use.text == "maildrop locked");
  auto temp = std::get<StatusLine>(parse_status_line("-ERR [SYS/TEMP] try later"));
  CHECK(temp.code->top() == "SYS");
  auto cont = std::get<StatusLine>(parse_status_line("+ PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2U+"));
  CHECK(cont.status == Status::Continue);
  CHECK(cont.text == "PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2U+");
  auto empty_cont = std::get<StatusLine>(parse_status_line("+ "));
  CHECK(empty_cont.status == Status::Continue);
  CHECK(empty_cont.text.empty());
}

TEST_CASE("a reply line that is neither +OK nor -ERR is malformed") {
  for (std::string_view bad : {"OK", "+OKAY", "-ERROR", "", "* OK"}) {
    CAPTURE(bad);
    auto r = parse_status_line(bad);
    REQUIRE(std::holds_alternative<ParseError>(r));
    CHECK(std::get<ParseError>(r).code == Errc::malformed_reply);
  }
}

TEST_CASE("status lines serialise with the code in brackets and continuations with a space") {
  CHECK(serialize_status_line(Status::Err, ResponseCode::in_use(), "locked") ==
        "-ERR [IN-USE] locked\r\n");
  CHECK(serialize_status_line(Status::Ok, std::nullopt, "") == "+OK\r\n");
  CHECK(serialize_status_line(Status::Continue, std::nullopt, "") == "+ \r\n");
}

TEST_CASE("a multi-line reply serialises with its body stuffed and terminated") {
  Reply r = Reply::positive("2 messages");
  r.multiline = true;
  r.lines = {"1 120", ".dot", ""};
  CHECK(serialize_reply(r) == "+OK 2 messages\r\n1 120\r\n..dot\r\n\r\n.\r\n");
}

TEST_CASE("the APOP timestamp is found in the greeting") {
  CHECK(apop_timestamp("POP3 server ready <1896.697170952@dbc.mtview.ca.us>") ==
        "<1896.697170952@dbc.mtview.ca.us>");
  CHECK_FALSE(apop_timestamp("POP3 server ready"));
  CHECK_FALSE(apop_timestamp("ready <unterminated"));
}

TEST_CASE("scan listings: number and size, whatever the server adds after the size") {
  // RFC 1939 section 5 (LIST) and STAT's drop listing.
  CHECK(parse_scan_listing("2 491") == std::optional<ScanListing>({2, 491}));
  CHECK(parse_scan_listing("1 120 (a note from the server)") ==
        std::optional<ScanListing>({1, 120}));
  for (const char* bad : {"", "2", "2 ", " 2 491", "2  491", "x 491", "2 49x", "-1 491", "1abc",
                          "2 -491", "99999999999999999999 1"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_scan_listing(bad));
  }
}

TEST_CASE("unique-id listings: number and a printable unique-id") {
  // RFC 1939 section 7 (UIDL).
  const auto l = parse_unique_id_listing("1 whqtswO00WBw418f9t5JxYwZ");
  REQUIRE(l);
  CHECK(l->number == 1);
  CHECK(l->unique_id == "whqtswO00WBw418f9t5JxYwZ");
  CHECK(parse_unique_id_listing("3 a~b trailing")->unique_id == "a~b");
  for (const std::string& bad :
       {std::string(""), std::string("1"), std::string("1 "), std::string("x abc"),
        std::string("1abc"), std::string("1 caf\xc3\xa9"), std::string("1 a\tb"),
        std::string("1 \x7f")}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_unique_id_listing(bad));
  }
}

TEST_CASE("response codes explain themselves") {
  CHECK(ResponseCode::in_use().meaning().find("locked") != std::string_view::npos);
  CHECK(ResponseCode{"SYS/TEMP"}.top() == "SYS");
}
