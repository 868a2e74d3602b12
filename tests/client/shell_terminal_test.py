"""`pop3-client shell` on a terminal (a pseudo-terminal), against a real pop3-server.

Checks what only a terminal has: the prompt shows the state, passwords and SASL responses
are read without echo, TAB offers only the commands legal in the current state, the
history keeps no secret.
"""

import base64
import os
import stat
import unittest

from shell_support import Lab, PASSWORD, USER, Terminal, message


class ShellTerminal(unittest.TestCase):
    def setUp(self):
        self.lab = Lab(self)
        self.lab.add_user()
        self.lab.deliver(message(1, b"Hello", b"Hi Alice\n"))
        self.lab.start()

    def log_in(self, term):
        term.read_until("pop3 AUTHORIZATION> ")
        term.type("user\n")
        term.read_until("pop3 AUTHORIZATION/USER> ")
        term.type("pass\n")
        term.read_until("Password for alice@127.0.0.1: ")
        term.type(PASSWORD + "\n")
        term.read_until("pop3 TRANSACTION> ")

    def test_password_prompt_is_not_echoed(self):
        term = Terminal(self, self.lab)
        self.log_in(term)
        term.type("stat\n")
        term.read_until("pop3 TRANSACTION> ")
        term.type("exit\n")
        self.assertEqual(term.wait(), 0)
        text = term.text()
        self.assertNotIn(PASSWORD, text)
        self.assertIn("C: PASS " + "*" * len(PASSWORD), text)
        self.assertIn("S: +OK 1 ", text)

    def test_sasl_responses_are_not_echoed(self):
        response = base64.b64encode(b"\0" + USER.encode() + b"\0" + PASSWORD.encode()).decode()
        term = Terminal(self, self.lab)
        term.read_until("pop3 AUTHORIZATION> ")
        term.type("raw AUTH PLAIN\n")
        term.read_until("pop3 AUTHORIZATION/SASL (base64, not echoed)> ")
        term.type(response + "\n")
        term.read_until("pop3 TRANSACTION> ")
        term.type("quit\n")
        self.assertEqual(term.wait(), 0)
        self.assertNotIn(response, term.text())
        self.assertIn("C: " + "*" * len(response), term.text())

    def test_tab_offers_only_legal_commands(self):
        term = Terminal(self, self.lab)
        term.read_until("pop3 AUTHORIZATION> ")
        # Two TABs list the candidates for "ST": STLS and the shell's starttls and state,
        # never STAT (TRANSACTION only).
        term.type("ST\t\t")
        listing = term.read_until("STLS").decode(errors="replace")
        term.read_until("pop3 AUTHORIZATION> ST")
        self.assertIn("STARTTLS", listing)
        self.assertNotIn("STAT ", listing.replace("STATE", ""))
        term.type("\x15")  # Ctrl-U: clear the line
        # RETR is not legal yet: "RET" + TAB stays "RET", and the server refuses it.
        term.type("RET\t\n")
        term.read_until("C: RET\r\n")
        term.read_until("pop3 AUTHORIZATION> ")
        term.type("user\n")
        term.read_until("pop3 AUTHORIZATION/USER> ")
        term.type("pass\n")
        term.read_until("Password for")
        term.type(PASSWORD + "\n")
        term.read_until("pop3 TRANSACTION> ")
        # In TRANSACTION it completes.
        term.type("RET\t1\n")
        term.read_until("C: RETR 1\r\n")
        term.read_until("S: Hi Alice")
        term.read_until("pop3 TRANSACTION> ")
        # After `help`, TAB completes command names.
        term.type("help UI\t\n")
        term.read_until("UIDL [msg]  (POP3, RFC 1939 §7")
        term.read_until("pop3 TRANSACTION> ")
        term.type("quit\n")
        self.assertEqual(term.wait(), 0)

    def test_help_quotes_rfc_1939(self):
        term = Terminal(self, self.lab)
        term.read_until("pop3 AUTHORIZATION> ")
        term.type("help RETR\n")
        term.read_until("RFC 1939 §5:")
        term.read_until("being careful to byte-stuff the")
        term.read_until("pop3 AUTHORIZATION> ")
        term.type("exit\n")
        self.assertEqual(term.wait(), 0)

    def test_history_keeps_no_secret(self):
        term = Terminal(self, self.lab)
        term.read_until("pop3 AUTHORIZATION> ")
        term.type("user\n")
        term.read_until("pop3 AUTHORIZATION/USER> ")
        term.type("PASS %s\n" % PASSWORD)  # typed on the line: echoed, then overwritten
        term.read_until("tip: type `pass` alone")
        term.read_until("pop3 TRANSACTION> ")
        term.type("noop\n")
        term.read_until("pop3 TRANSACTION> ")
        self.assertEqual(term.eof(), 0)  # Ctrl-D: end of input, leave without QUIT
        self.assertIn("-- end of input: leaving without QUIT", term.text())
        history = self.lab.home / ".local" / "state" / "pop3lab" / "shell_history"
        text = history.read_text()
        self.assertIn("noop", text)
        self.assertNotIn(PASSWORD, text)
        self.assertNotIn("PASS", text)
        self.assertEqual(stat.S_IMODE(os.stat(history).st_mode), 0o600)


if __name__ == "__main__":
    unittest.main()
