"""`pop3-client shell` with a script on standard input, against a real pop3-server.

What a handout relies on: the transcript lines (C:, S:, -- state, -- why -ERR), secrets
masked everywhere, the friendly commands (login, user/pass, apop, auth, starttls), the
exit codes (0 when the script ran, the failure's code when the connection or TLS failed).
"""

import base64
import hashlib
import json
import re
import socket
import unittest

from shell_support import Lab, PASSWORD, USER, message


class ShellScript(unittest.TestCase):
    def setUp(self):
        self.lab = Lab(self)
        self.lab.add_user()
        self.first = self.lab.deliver(message(1, b"Hello", b"Hi Alice,\n.a line that starts with a dot\n"))
        self.second = self.lab.deliver(message(2, b"Second", b"Two\n"))
        self.lab.start()

    def run_ok(self, script, *args, **kw):
        r = self.lab.run_script(script, *args, **kw)
        self.assertEqual(r.returncode, 0, "stdout:\n%s\nstderr:\n%s" % (r.stdout, r.stderr))
        self.assertNotIn(PASSWORD, r.stdout + r.stderr)
        return r.stdout

    # --- the transcript --------------------------------------------------------------------

    def test_transcript_states_and_explanations(self):
        out = self.run_ok("# a comment, then a blank line\n\nstat\nuser\npass\nstat\nlist\nretr 1\n"
                          "retr abc\nxyzzy\nstls\ndele 1\nquit\n")
        lines = out.splitlines()
        # Connected with STLS first (the default for pop3://), then CAPA again.
        self.assertIn("C: STLS", lines)
        self.assertTrue(any(l.startswith("-- TLS established: TLSv1.") for l in lines), out)
        # A command in the wrong state reaches the server; the shell says why it failed.
        i = lines.index("C: stat")
        self.assertTrue(lines[i + 1].startswith("S: -ERR"), lines[i + 1])
        self.assertEqual(lines[i + 2], "-- state: AUTHORIZATION")
        self.assertEqual(lines[i + 3],
                         "-- why -ERR: STAT is only valid in TRANSACTION; log in first (login, user + pass, "
                         "apop or auth).")
        self.assertIn("-- STAT: Reports how many messages the maildrop holds and their total size in octets. "
                      "(RFC 1939 §5)", lines)
        # USER, then PASS masked, then TRANSACTION with the reason from the state table.
        self.assertIn("C: USER alice", lines)
        self.assertIn("C: PASS " + "*" * len(PASSWORD), lines)
        self.assertIn("-- state: TRANSACTION (Password accepted: the maildrop is locked and the session "
                      "enters TRANSACTION.)", lines)
        self.assertIn("-- using the password in $POP3_PASSWORD", lines)
        # STAT, LIST, RETR with the body as it crossed the wire (dot-stuffed).
        self.assertRegex(out, r"C: stat\nS: \+OK 2 \d+\n-- state: TRANSACTION\n")
        self.assertIn("S: Hi Alice,", lines)
        self.assertIn("S: ..a line that starts with a dot", lines)
        # Bad argument, unknown command, wrong state.
        self.assertIn('-- why -ERR: bad argument: "abc" is not a message number (they start at 1) (RETR msg).',
                      lines)
        self.assertTrue(any(l.startswith('-- why -ERR: "xyzzy" is not a POP3 command') for l in lines), out)
        self.assertIn("-- why -ERR: STLS is only valid in AUTHORIZATION; you are already logged in.", lines)
        # QUIT in TRANSACTION: UPDATE removes the message marked with DELE.
        self.assertIn("-- state: UPDATE (QUIT in TRANSACTION: the server enters UPDATE and removes the "
                      "messages marked as deleted.)", lines)
        self.assertEqual(self.lab.stored(), [self.second])

    def test_exit_without_quit_deletes_nothing(self):
        out = self.run_ok("user\npass\ndele 1\ndele 2\nexit\nstat\n")
        self.assertIn("-- leaving without QUIT: the server never enters UPDATE, so the messages marked with DELE "
                      "are not deleted (RFC 1939 §6).", out)
        self.assertNotIn("C: stat", out)  # nothing after exit runs
        self.assertEqual(self.lab.stored(), sorted([self.first, self.second]))

    def test_end_of_input_leaves_without_quit(self):
        out = self.run_ok("user\npass\ndele 1\n")
        self.assertIn("-- end of input: leaving without QUIT", out)
        self.assertEqual(len(self.lab.stored()), 2)

    def test_raw_quit_ends_the_shell(self):
        out = self.run_ok("raw QUIT\nstat\n")
        self.assertIn("-- state: CLOSED (QUIT before logging in: nothing to update, the connection closes.)", out)
        self.assertIn("-- the connection is closed", out)
        self.assertNotIn("C: stat", out)

    # --- secrets ---------------------------------------------------------------------------

    def test_password_typed_on_the_line_is_masked(self):
        out = self.run_ok("user %s\npass %s\nstat\nquit\n" % (USER, PASSWORD), password=None)
        self.assertIn("C: PASS " + "*" * len(PASSWORD), out)
        self.assertIn("-- the PASS argument is masked here (exposure: cleartext). TLS encrypts it", out)
        self.assertRegex(out, r"S: \+OK 2 \d+")

    def test_plaintext_pass_says_what_an_eavesdropper_sees(self):
        out = self.run_ok("user\npass\nquit\n", "--tls=none")
        self.assertIn("-- --tls=none: everything typed here, passwords included, crosses the network in clear",
                      out)
        self.assertIn("-- the PASS argument is masked here (exposure: cleartext). The password crosses as typed: "
                      "anyone on the path reads it.", out)

    def test_every_sasl_mechanism(self):
        plain = base64.b64encode(b"\0" + USER.encode() + b"\0" + PASSWORD.encode()).decode()
        for mechanism in ("PLAIN", "LOGIN", "CRAM-MD5", "SCRAM-SHA-256"):
            with self.subTest(mechanism=mechanism):
                out = self.run_ok("auth %s\nstat\nquit\n" % mechanism.lower())
                self.assertIn("C: AUTH " + mechanism, out)
                self.assertIn("-- state: TRANSACTION (", out)
                self.assertRegex(out, r"C: stat\nS: \+OK 2 ")
                self.assertIn("-- %s, client: " % mechanism, out)
                self.assertNotIn(plain, out)
                self.assertNotIn(base64.b64encode(PASSWORD.encode()).decode(), out)

    def test_raw_sasl_exchange_typed_by_hand(self):
        response = base64.b64encode(b"\0" + USER.encode() + b"\0" + PASSWORD.encode()).decode()
        out = self.run_ok("raw AUTH PLAIN\n%s\nstat\nquit\n" % response)
        self.assertIn("C: AUTH PLAIN", out)
        self.assertIn("-- state: AUTHORIZATION/SASL (", out)
        self.assertIn("-- the server sent an empty challenge. Answer with one line of base64", out)
        self.assertIn("C: " + "*" * len(response), out)
        self.assertNotIn(response, out)
        self.assertIn("-- state: TRANSACTION (SASL exchange succeeded", out)

    def test_cancelling_a_sasl_exchange(self):
        out = self.run_ok("raw auth plain\n*\nstate\n")
        self.assertIn("C: *", out)
        self.assertIn('-- why -ERR: "*" cancelled the exchange, as RFC 5034 §4 allows', out)
        self.assertIn("-- state: AUTHORIZATION: ", out)

    def test_wrong_password(self):
        r = self.lab.run_script("user\npass\nstat\n", password="not-the-password")
        self.assertEqual(r.returncode, 0, r.stderr)  # the script ran: -ERR replies are not failures
        self.assertIn("-- why -ERR: the server refused the login.", r.stdout)
        self.assertIn("-- state: AUTHORIZATION (Login refused: back to the start of AUTHORIZATION.)", r.stdout)
        self.assertNotIn("not-the-password", r.stdout + r.stderr)

    def test_apop_shows_the_computation_but_not_the_digest(self):
        out = self.run_ok("apop\nstat\nquit\n", "--tls=none")
        timestamp = re.search(r"^S: \+OK .*(<[^>]+>)$", out, re.M).group(1)
        digest = hashlib.md5((timestamp + PASSWORD).encode()).hexdigest()
        self.assertIn('-- APOP digest = hex(MD5("%s" + password <redacted>))' % timestamp, out)
        self.assertIn("C: APOP alice " + "*" * 32, out)
        self.assertNotIn(digest, out)
        self.assertIn("-- state: TRANSACTION (APOP digest accepted", out)

    def test_apop_after_stls_uses_the_greetings_timestamp(self):
        # The timestamp belongs to the connection; servers (Dovecot too) accept APOP with it
        # after STLS, and a forged one would only make the digest fail.
        out = self.run_ok("apop\n")
        self.assertIn("-- TLS established", out)
        self.assertIn("C: APOP alice " + "*" * 32, out)
        self.assertIn("-- state: TRANSACTION (APOP digest accepted", out)

    def test_no_password_is_asked_for_a_command_that_cannot_run(self):
        out = self.run_ok("pass\nuser\npass\nauth plain\nquit\n")
        self.assertIn("-- not sent: PASS is only valid right after USER got +OK (AUTHORIZATION/USER): send USER "
                      "first. (`raw PASS ...` sends it anyway)", out)
        self.assertIn("-- not sent: AUTH is only valid in AUTHORIZATION; you are already logged in.", out)
        self.assertEqual(out.count("-- using the password in $POP3_PASSWORD"), 1)

    def test_login_chooses_the_strongest_mechanism(self):
        out = self.run_ok("login\nstat\nquit\n")
        self.assertIn("-- login with SCRAM-SHA-256: ", out)
        self.assertIn("-- state: TRANSACTION (SASL exchange succeeded", out)

    def test_implicit_tls(self):
        out = self.run_ok("user\npass\nstat\nquit\n", url=self.lab.url(tls=True))
        self.assertIn("(TLS: implicit)", out)
        self.assertNotIn("C: STLS", out)
        self.assertRegex(out, r"C: stat\nS: \+OK 2 ")

    def test_trace_masks_the_password(self):
        trace = self.lab.dir / "shell.jsonl"
        self.run_ok("user\npass\nquit\n", "--trace", str(trace))
        text = trace.read_text()
        self.assertNotIn(PASSWORD, text)
        records = [json.loads(l) for l in text.splitlines() if l.strip()]
        self.assertGreater(len(records), 5)

    # --- help, state, caps -----------------------------------------------------------------

    def test_help_quotes_the_rfc(self):
        out = self.run_ok("help RETR\nhelp user\nhelp\nhelp frobnicate\n")
        self.assertIn("RETR msg  (POP3, RFC 1939 §5; legal in TRANSACTION)", out)
        self.assertIn("being careful to byte-stuff the", out)
        self.assertIn("USER name  (POP3, RFC 1939 §7; legal in AUTHORIZATION; CAPA: USER)", out)
        self.assertIn("user [NAME]  (shell command)", out)
        self.assertIn("POP3 commands legal now (AUTHORIZATION): USER APOP AUTH STLS CAPA UTF8 QUIT", out)
        self.assertIn('no help for "frobnicate"', out)

    def test_state_and_caps(self):
        out = self.run_ok("state\ncaps\nuser\npass\nstate\nquit\n")
        self.assertIn("-- POP3 commands legal now: USER APOP AUTH STLS CAPA UTF8 QUIT", out)
        self.assertIn("-- POP3 commands legal now: CAPA STAT LIST RETR DELE NOOP RSET QUIT TOP UIDL", out)
        self.assertIn("-- UIDL: every message has a unique id", out)
        self.assertIn("-- TLS: TLSv1.", out)


class ShellFailures(unittest.TestCase):
    """Connection and TLS failures end the shell with the failure's exit code."""

    def setUp(self):
        self.lab = Lab(self)
        self.lab.add_user()
        self.lab.start()

    def test_connection_refused(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        r = self.lab.run_script("stat\n", url="pop3://alice@127.0.0.1:%d" % port)
        self.assertEqual(r.returncode, 10, r.stderr)
        self.assertIn("pop3-client: cannot connect", r.stderr)

    def test_untrusted_certificate(self):
        r = self.lab.run_script("stat\n", url=self.lab.url(tls=True), cafile=False)
        self.assertEqual(r.returncode, 13, r.stderr)
        self.assertIn("certificate", r.stderr)

    def test_tls_on_a_plaintext_port(self):
        r = self.lab.run_script("stat\n", "--tls=implicit", url=self.lab.url())
        self.assertIn(r.returncode, (11, 12), r.stderr)  # TLS failed (or, on a slow machine, timed out)


if __name__ == "__main__":
    unittest.main()
