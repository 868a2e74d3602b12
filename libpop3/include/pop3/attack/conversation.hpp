#pragma once
// ConversationFollower: what each plaintext line of a POP3 connection is, worked out from
// both directions the way an on-path observer would: the greeting, commands, replies and
// their bodies, SASL challenges and responses. The stripper and the injector use it to
// find "the STLS line of the CAPA reply" and "the +OK to STLS"; the offline cracker uses
// it to pull APOP, CRAM-MD5 and SCRAM exchanges out of a capture.
//
// Contract:
// - Give it lines without their terminators, each direction in order: client_line()
//   for c2s, server_line() for s2c. A reply must be given after the command it answers
//   (as it happens on a real link); commands may run ahead of replies (pipelining).
// - Replies are matched to commands in order; whether a +OK has a body is decided by the
//   core's command table (LIST vs LIST 1). A command it cannot parse is taken to expect a
//   one-line reply, as ClientSession does.
// - While an AUTH exchange is open (AUTH sent with a mechanism, no final +OK/-ERR yet),
//   c2s lines are SASL responses and s2c lines starting with "+" are challenges.
// - After +OK to STLS the connection turns into TLS: tls_started() is true and the
//   follower says nothing more about lines (they would be TLS records).
// - It never throws on odd input: a line it cannot place is Unexpected.
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include "pop3/core/command.hpp"

namespace pop3::attack {

enum class LineKind : std::uint8_t {
  Greeting,      // s2c: the first line
  Command,       // c2s: a command (parsed when possible)
  SaslResponse,  // c2s: a line inside an AUTH exchange
  Status,        // s2c: +OK / -ERR ending or opening a reply
  Continuation,  // s2c: "+ ..." inside an AUTH exchange
  BodyLine,      // s2c: a line of a multi-line reply's body (still dot-stuffed)
  BodyEnd,       // s2c: the "." ending a body
  Unexpected,    // a line that fits nowhere (a reply to no command, lines after STLS)
};
[[nodiscard]] std::string_view line_kind_name(LineKind kind) noexcept;

struct LineInfo {
  LineKind kind = LineKind::Unexpected;
  // Command: the verb sent (nullopt for a keyword the table does not know). s2c lines:
  // the verb of the command the line belongs to.
  std::optional<Verb> verb;
  std::optional<Command> command;  // Command lines that parse
  bool ok = false;                 // Greeting and Status: +OK
};

class ConversationFollower {
 public:
  LineInfo client_line(std::string_view line);
  LineInfo server_line(std::string_view line);

  // For a follower that joins after the greeting (inside TLS begun with STLS): the first
  // s2c line is then a reply, not the greeting.
  void assume_greeted() noexcept { greeted_ = true; }

  [[nodiscard]] bool greeted() const noexcept { return greeted_; }
  [[nodiscard]] bool tls_started() const noexcept { return tls_; }
  // Commands sent whose replies have not ended yet.
  [[nodiscard]] std::size_t pending() const noexcept { return pending_.size(); }
  // The oldest such command's verb (nullopt when none, or unknown).
  [[nodiscard]] std::optional<Verb> awaiting() const noexcept;
  // An AUTH exchange is open and its last s2c line was a challenge: the client is to answer.
  [[nodiscard]] bool client_to_answer() const noexcept { return challenge_open_; }

 private:
  struct Pending {
    std::optional<Verb> verb;
    std::size_t args = 0;
    bool sasl = false;  // AUTH with a mechanism: an exchange, not the list of mechanisms
  };
  std::deque<Pending> pending_;
  bool greeted_ = false;
  bool in_body_ = false;
  bool challenge_open_ = false;
  bool tls_ = false;
};

}  // namespace pop3::attack
