#include "help_text.hpp"

#include <array>
#include <cctype>

namespace pop3::client {
namespace {

// POP3 commands first, in the order of the command table; then the shell's own commands.
// Quotes are short excerpts of the RFCs, word for word.
constexpr std::array kEntries{
    HelpEntry{"USER", true, "USER name", "RFC 1939 §7",
              "To authenticate using the USER and PASS command combination, the client must\n"
              "first issue the USER command. If the POP3 server responds with a positive\n"
              "status indicator (\"+OK\"), then the client may issue either the PASS command to\n"
              "complete the authentication, or the QUIT command to terminate the POP3 session.",
              "The shell's `user [NAME]` sends it for you (NAME defaults to the URL's user).", ""},
    HelpEntry{"PASS", true, "PASS string", "RFC 1939 §7",
              "Restrictions: may only be given in the AUTHORIZATION state immediately after a\n"
              "successful USER command\n"
              "When the client issues the PASS command, the POP3 server uses the argument pair\n"
              "from the USER and PASS commands to determine if the client should be given\n"
              "access to the appropriate maildrop.",
              "The password crosses exactly as typed: only TLS hides it. Type `pass` alone and\n"
              "the shell asks for it without echo.",
              ""},
    HelpEntry{"APOP", true, "APOP name digest", "RFC 1939 §7",
              "A POP3 server which implements the APOP command will include a timestamp in its\n"
              "banner greeting. [...] The `digest' parameter is calculated by applying the MD5\n"
              "algorithm [RFC1321] to a string consisting of the timestamp (including\n"
              "angle-brackets) followed by a shared secret.",
              "The shell's `apop [NAME]` computes the digest from the greeting's timestamp.", ""},
    HelpEntry{"AUTH", true, "AUTH mechanism [initial-response]", "RFC 5034 §4",
              "The AUTH command initiates a [SASL] authentication exchange between the client\n"
              "and the server. [...] If the client wishes to cancel the authentication exchange,\n"
              "it issues a line with a single \"*\".",
              "The shell's `auth MECH` carries out PLAIN, LOGIN, CRAM-MD5 and SCRAM-SHA-256 for\n"
              "you; `raw AUTH MECH` lets you type the base64 answers yourself.",
              ""},
    HelpEntry{"STLS", true, "STLS", "RFC 2595 §4",
              "The STLS command is only permitted in AUTHORIZATION state and the server remains\n"
              "in AUTHORIZATION state, even if client credentials are supplied during the TLS\n"
              "negotiation. [...] Once TLS has been started, the client MUST discard cached\n"
              "information about server capabilities and SHOULD re-issue the CAPA command.",
              "The shell's `starttls` sends it, does the handshake and asks CAPA again.", ""},
    HelpEntry{"CAPA", true, "CAPA", "RFC 2449 §5",
              "The POP3 CAPA command returns a list of capabilities supported by the POP3\n"
              "server. It is available in both the AUTHORIZATION and TRANSACTION states.",
              "The shell's `caps` sends it and explains every line.", ""},
    HelpEntry{"UTF8", true, "UTF8", "RFC 6856 §2",
              "The UTF8 command switches the session from the ASCII-only mode of [RFC1939] to\n"
              "UTF-8 mode.",
              "", ""},
    HelpEntry{"STAT", true, "STAT", "RFC 1939 §5",
              "The positive response consists of \"+OK\" followed by a single space, the number\n"
              "of messages in the maildrop, a single space, and the size of the maildrop in\n"
              "octets. [...] Note that messages marked as deleted are not counted in either\n"
              "total.",
              "", ""},
    HelpEntry{"LIST", true, "LIST [msg]", "RFC 1939 §5",
              "If an argument was given and the POP3 server issues a positive response with a\n"
              "line containing information for that message. [...] If no argument was given\n"
              "and the POP3 server issues a positive response, then the response given is\n"
              "multi-line.",
              "Sizes are in octets as the message crosses the wire, with CRLF line ends.", ""},
    HelpEntry{"RETR", true, "RETR msg", "RFC 1939 §5",
              "If the POP3 server issues a positive response, then the response given is\n"
              "multi-line. After the initial +OK, the POP3 server sends the message\n"
              "corresponding to the given message-number, being careful to byte-stuff the\n"
              "termination character (as with all multi-line responses).",
              "", ""},
    HelpEntry{"DELE", true, "DELE msg", "RFC 1939 §5",
              "The POP3 server marks the message as deleted. Any future reference to the\n"
              "message-number associated with the message in a POP3 command generates an\n"
              "error. The POP3 server does not actually delete the message until the POP3\n"
              "session enters the UPDATE state.",
              "Leave with `exit` (no QUIT) and nothing is deleted.", ""},
    HelpEntry{"NOOP", true, "NOOP", "RFC 1939 §5",
              "The POP3 server does nothing, it merely replies with a positive response.", "", ""},
    HelpEntry{"RSET", true, "RSET", "RFC 1939 §5",
              "If any messages have been marked as deleted by the POP3 server, they are\n"
              "unmarked. The POP3 server then replies with a positive response.",
              "", ""},
    HelpEntry{"QUIT", true, "QUIT", "RFC 1939 §6",
              "When the client issues the QUIT command from the TRANSACTION state, the POP3\n"
              "session enters the UPDATE state. (Note that if the client issues the QUIT\n"
              "command from the AUTHORIZATION state, the POP3 session terminates but does NOT\n"
              "enter the UPDATE state.)\n"
              "If a session terminates for some reason other than a client-issued QUIT\n"
              "command, the POP3 session does NOT enter the UPDATE state and MUST not remove\n"
              "any messages from the maildrop.",
              "", ""},
    HelpEntry{"TOP", true, "TOP msg n", "RFC 1939 §7",
              "If the POP3 server issues a positive response, then the response given is\n"
              "multi-line. After the initial +OK, the POP3 server sends the headers of the\n"
              "message, the blank line separating the headers from the body, and then the\n"
              "number of lines of the indicated message's body, being careful to byte-stuff\n"
              "the termination character (as with all multi-line responses).",
              "Optional: a server that has it lists TOP in CAPA.", ""},
    HelpEntry{"UIDL", true, "UIDL [msg]", "RFC 1939 §7",
              "The unique-id of a message is an arbitrary server-determined string, consisting\n"
              "of one to 70 characters in the range 0x21 to 0x7E, which uniquely identifies a\n"
              "message within a maildrop and which persists across sessions.",
              "Optional: a server that has it lists UIDL in CAPA. Fetchers use it to leave mail\n"
              "on the server without downloading it twice.",
              ""},

    HelpEntry{"login", false, "login [MECH]", "", "",
              "Logs in the way `pop3-client fetch` does: the strongest mechanism both sides\n"
              "support (or --auth, or MECH: USER, APOP or a SASL mechanism), asking for the\n"
              "password without echo. Every step is shown.",
              "log in with the strongest mechanism both sides support"},
    HelpEntry{"user", false, "user [NAME]", "", "",
              "Sends USER NAME (default: the user of the URL) and remembers NAME for pass, apop\n"
              "and auth.",
              "send USER (default: the URL's user)"},
    HelpEntry{"pass", false, "pass [PASSWORD]", "", "",
              "Sends PASS. Without an argument the password is asked for without echo (or read\n"
              "from --password-file or $POP3_PASSWORD). The transcript always masks it.",
              "send PASS; alone, ask for the password without echo"},
    HelpEntry{"apop", false, "apop [NAME]", "", "",
              "Computes MD5(timestamp + password) from the greeting's timestamp and sends\n"
              "APOP NAME DIGEST, showing the computation with the password redacted.",
              "compute the APOP digest and send it"},
    HelpEntry{"auth", false, "auth MECHANISM", "", "",
              "Runs a SASL exchange (PLAIN, LOGIN, CRAM-MD5, SCRAM-SHA-256) for you, explaining\n"
              "every step. `auth` alone asks the server for its mechanisms.",
              "run PLAIN, LOGIN, CRAM-MD5 or SCRAM-SHA-256, step by step"},
    HelpEntry{"starttls", false, "starttls", "", "",
              "Sends STLS, does the TLS handshake, then asks CAPA again (what was learned in\n"
              "plaintext is forgotten).",
              "upgrade to TLS (STLS), then ask CAPA again"},
    HelpEntry{"caps", false, "caps", "", "", "Sends CAPA and explains every capability.",
              "send CAPA and explain every capability"},
    HelpEntry{"state", false, "state", "", "",
              "Shows the session state, TLS, and the commands legal now (also: TAB).",
              "the session state and the commands legal now"},
    HelpEntry{"help", false, "help [COMMAND]", "", "",
              "Lists the commands, or quotes the RFC section of one.",
              "this list, or the RFC text of one command"},
    HelpEntry{"raw", false, "raw LINE", "", "",
              "Sends LINE exactly as typed, even when it starts like a shell command\n"
              "(e.g. `raw AUTH PLAIN` to answer the challenges yourself).",
              "send LINE exactly as typed"},
    HelpEntry{"quit", false, "quit", "", "",
              "Sends QUIT and leaves; in TRANSACTION the server enters UPDATE and removes the\n"
              "messages marked with DELE.",
              "send QUIT (UPDATE: messages marked with DELE go) and leave"},
    HelpEntry{"exit", false, "exit", "", "",
              "Leaves without QUIT: the server never enters UPDATE, so nothing is deleted.\n"
              "End of input (Ctrl-D) does the same.",
              "leave without QUIT: nothing is deleted"},
};

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

}  // namespace

std::span<const HelpEntry> help_entries() noexcept {
  return kEntries;
}

std::vector<const HelpEntry*> find_help(std::string_view name) {
  std::vector<const HelpEntry*> out;
  for (const auto& e : kEntries)
    if (iequals(e.name, name)) out.push_back(&e);
  return out;
}

}  // namespace pop3::client
