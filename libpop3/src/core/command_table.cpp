#include "pop3/core/command_table.hpp"

#include <array>

namespace pop3 {
namespace {

using S = State;
constexpr StateSet kAuth{S::Authorization};
constexpr StateSet kTrans{S::Transaction};

// One row per verb, in the order of enum Verb.
constexpr std::array<CommandSpec, kVerbCount> kTable{{
    {Verb::User, "USER", ArgKind::LongWord, ArgKind::None, 1, 1,
     StateSet{S::Authorization, S::AwaitingPass}, MultiLine::Never, -1, Exposure::None, "USER",
     "RFC 1939 §7", "USER name", "Names the mailbox to log in to; PASS must follow."},
    {Verb::Pass, "PASS", ArgKind::RestOfLine, ArgKind::None, 1, 1, StateSet{S::AwaitingPass},
     MultiLine::Never, 0, Exposure::Cleartext, "USER", "RFC 1939 §7", "PASS string",
     "Sends the password for the mailbox named by USER, as typed."},
    {Verb::Apop, "APOP", ArgKind::LongWord, ArgKind::Word, 2, 2, kAuth, MultiLine::Never, 1,
     Exposure::Digest, "", "RFC 1939 §7", "APOP name digest",
     "Logs in with the MD5 of the greeting's timestamp and the password, so the password "
     "itself never crosses."},
    {Verb::Auth, "AUTH", ArgKind::Word, ArgKind::LongWord, 0, 2, kAuth, MultiLine::WithoutArgument,
     -1, Exposure::None, "SASL", "RFC 5034 §4", "AUTH mechanism [initial-response]",
     "Starts a SASL login with the named mechanism; \"*\" cancels it."},
    {Verb::Stls, "STLS", ArgKind::None, ArgKind::None, 0, 0, kAuth, MultiLine::Never, -1,
     Exposure::None, "STLS", "RFC 2595 §4", "STLS",
     "Upgrades the connection to TLS before logging in."},
    {Verb::Capa, "CAPA", ArgKind::None, ArgKind::None, 0, 0,
     StateSet{S::Authorization, S::AwaitingPass, S::Transaction}, MultiLine::Always, -1,
     Exposure::None, "", "RFC 2449 §5", "CAPA", "Lists what this server supports."},
    {Verb::Utf8, "UTF8", ArgKind::None, ArgKind::None, 0, 0, kAuth, MultiLine::Never, -1,
     Exposure::None, "UTF8", "RFC 6856 §2", "UTF8",
     "Switches the session to UTF-8 for user names, passwords and messages."},
    {Verb::Stat, "STAT", ArgKind::None, ArgKind::None, 0, 0, kTrans, MultiLine::Never, -1,
     Exposure::None, "", "RFC 1939 §5", "STAT",
     "Reports how many messages the maildrop holds and their total size in octets."},
    {Verb::List, "LIST", ArgKind::MessageNumber, ArgKind::None, 0, 1, kTrans,
     MultiLine::WithoutArgument, -1, Exposure::None, "", "RFC 1939 §5", "LIST [msg]",
     "Lists the size of every message, or of one message."},
    {Verb::Retr, "RETR", ArgKind::MessageNumber, ArgKind::None, 1, 1, kTrans, MultiLine::Always, -1,
     Exposure::None, "", "RFC 1939 §5", "RETR msg", "Sends a whole message."},
    {Verb::Dele, "DELE", ArgKind::MessageNumber, ArgKind::None, 1, 1, kTrans, MultiLine::Never, -1,
     Exposure::None, "", "RFC 1939 §5", "DELE msg",
     "Marks a message as deleted; it is removed only when QUIT enters UPDATE."},
    {Verb::Noop, "NOOP", ArgKind::None, ArgKind::None, 0, 0, kTrans, MultiLine::Never, -1,
     Exposure::None, "", "RFC 1939 §5", "NOOP", "Does nothing; the server answers +OK."},
    {Verb::Rset, "RSET", ArgKind::None, ArgKind::None, 0, 0, kTrans, MultiLine::Never, -1,
     Exposure::None, "", "RFC 1939 §5", "RSET", "Unmarks every message marked as deleted."},
    {Verb::Quit, "QUIT", ArgKind::None, ArgKind::None, 0, 0,
     StateSet{S::Authorization, S::AwaitingPass, S::Transaction}, MultiLine::Never, -1,
     Exposure::None, "", "RFC 1939 §6", "QUIT",
     "Ends the session; in TRANSACTION it first enters UPDATE and removes deleted messages."},
    {Verb::Top, "TOP", ArgKind::MessageNumber, ArgKind::LineCount, 2, 2, kTrans, MultiLine::Always,
     -1, Exposure::None, "TOP", "RFC 1939 §7", "TOP msg n",
     "Sends a message's headers, the blank line, and its first n body lines."},
    {Verb::Uidl, "UIDL", ArgKind::MessageNumber, ArgKind::None, 0, 1, kTrans,
     MultiLine::WithoutArgument, -1, Exposure::None, "UIDL", "RFC 1939 §7", "UIDL [msg]",
     "Lists the unique id of every message, or of one; ids never change across sessions."},
}};

}  // namespace

std::span<const CommandSpec> command_table() noexcept {
  return kTable;
}

const CommandSpec& spec_of(Verb verb) noexcept {
  return kTable[static_cast<std::size_t>(verb)];
}

bool expects_multiline(Verb verb, std::size_t arg_count) noexcept {
  switch (spec_of(verb).multiline) {
    case MultiLine::Never:
      return false;
    case MultiLine::Always:
      return true;
    case MultiLine::WithoutArgument:
      return arg_count == 0;
  }
  return false;
}

bool expects_multiline(const Command& command) noexcept {
  return expects_multiline(command.verb, command.args.size());
}

}  // namespace pop3
