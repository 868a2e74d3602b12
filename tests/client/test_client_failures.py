"""pop3-client when things go wrong, against servers that misbehave on purpose (a small
scripted server in this file) and against pop3-server: every documented exit code, the
refusal to send credentials when STARTTLS is required but not offered, SSLKEYLOGFILE, and
several accounts fetched from one TOML file."""

import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "server"))

from serverfixture import Lab, Raw  # noqa: E402

CLIENT = os.environ.get("POP3_CLIENT", "pop3-client")


def run_client(*args, password="pw", timeout=60, env_extra=None):
    env = dict(os.environ, POP3_PASSWORD=password)
    env.update(env_extra or {})
    return subprocess.run([CLIENT] + [str(a) for a in args], env=env, capture_output=True, timeout=timeout)


class ScriptedServer:
    """Accepts one connection and plays `script`: a list of ("send", bytes) and
    ("expect", prefix) steps, recording every line the client sent."""

    def __init__(self, script):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.port = self.sock.getsockname()[1]
        self.received = []
        self.script = script
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        self.sock.settimeout(30)
        try:
            conn, _ = self.sock.accept()
        except OSError:
            return
        with conn:
            conn.settimeout(30)
            f = conn.makefile("rb")
            for kind, value in self.script:
                if kind == "send":
                    conn.sendall(value)
                elif kind == "expect":
                    line = f.readline()
                    if not line:
                        return
                    self.received.append(line)
                elif kind == "hold":
                    time.sleep(value)
            # Keep reading what the client still says, until it closes.
            while True:
                line = f.readline()
                if not line:
                    return
                self.received.append(line)

    def close(self):
        self.sock.close()
        self.thread.join(5)


class MisbehavingServers(unittest.TestCase):
    def check(self, r, code):
        self.assertEqual(r.returncode, code, "exit %d\nstdout: %s\nstderr: %s" % (
            r.returncode, r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace")))

    def test_starttls_required_but_not_offered_sends_no_credentials_and_exits_14(self):
        server = ScriptedServer([
            ("send", b"+OK ready\r\n"),
            ("expect", b"CAPA"),
            ("send", b"+OK\r\nUSER\r\nSASL PLAIN\r\n.\r\n"),  # no STLS: stripped
        ])
        self.addCleanup(server.close)
        r = run_client("list", "pop3://alice@127.0.0.1:%d" % server.port, password="secret-pw")
        self.check(r, 14)
        self.assertIn(b"no credentials were sent", r.stderr)
        server.close()
        sent = b"".join(server.received)
        self.assertNotIn(b"USER", sent)
        self.assertNotIn(b"PASS", sent)
        self.assertNotIn(b"AUTH", sent)
        self.assertNotIn(b"secret-pw", sent)

    def test_a_server_that_never_greets_times_out_with_11(self):
        server = ScriptedServer([("hold", 10)])
        self.addCleanup(server.close)
        r = run_client("list", "pop3://alice@127.0.0.1:%d" % server.port, "--tls=none", "--timeout", "1")
        self.check(r, 11)
        self.assertIn(b"timeout", r.stderr)

    def test_a_malformed_greeting_exits_17(self):
        server = ScriptedServer([("send", b"220 mail.example ESMTP ready\r\n")])  # an SMTP server
        self.addCleanup(server.close)
        r = run_client("list", "pop3://alice@127.0.0.1:%d" % server.port, "--tls=none")
        self.check(r, 17)

    def test_a_malformed_uidl_listing_exits_17_and_fetches_nothing(self):
        # The message number of a UIDL line must be a number: "x" used to escape as an
        # uncaught std::invalid_argument from std::stoul.
        for listing in (b"x abc\r\n", b"1abc\r\n", b"-1 abc\r\n"):
            server = ScriptedServer([
                ("send", b"+OK ready\r\n"),
                ("expect", b"CAPA"), ("send", b"+OK\r\nUSER\r\nUIDL\r\n.\r\n"),
                ("expect", b"USER"), ("send", b"+OK\r\n"),
                ("expect", b"PASS"), ("send", b"+OK 1 message\r\n"),
                # What follows the size is the server's business (RFC 1939, section 5).
                ("expect", b"LIST"), ("send", b"+OK\r\n1 120 (a note from the server)\r\n.\r\n"),
                ("expect", b"UIDL"), ("send", b"+OK\r\n" + listing + b".\r\n"),
            ])
            self.addCleanup(server.close)
            work = Path(tempfile.mkdtemp(prefix="pop3lab-uidl-"))
            self.addCleanup(lambda w=work: subprocess.run(["rm", "-rf", str(w)]))
            r = run_client("fetch", "pop3://alice@127.0.0.1:%d" % server.port, "--tls=none", "--auth=USER",
                           "--maildir", work / "mail", "--uidl-store", work / "uidl")
            self.check(r, 17)
            self.assertIn(b"UIDL line", r.stderr)
            server.close()
            self.assertFalse(any(line.startswith((b"RETR", b"DELE")) for line in server.received), server.received)
            self.assertEqual(list((work / "mail" / "new").glob("*")) if (work / "mail" / "new").exists() else [], [])

    def test_in_use_exits_16(self):
        lab = Lab(self)
        lab.add_user("alice", "alice-pw", "PLAIN")
        server = lab.start(quiet=True)
        self.addCleanup(server.stop_or_raise)
        holder = Raw(server.plain_port)
        self.addCleanup(holder.close)
        self.assertTrue(holder.login("alice", "alice-pw").startswith(b"+OK"))
        r = run_client("list", "pop3://alice@localhost:%d" % server.plain_port, "--cafile", lab.cert,
                       "--auth=USER", password="alice-pw")
        self.check(r, 16)
        self.assertIn(b"IN-USE", r.stderr)

    def test_sslkeylogfile_receives_the_tls_session_keys(self):
        lab = Lab(self)
        lab.add_user("alice", "alice-pw", "PLAIN")
        server = lab.start(quiet=True)
        self.addCleanup(server.stop_or_raise)
        keylog = lab.dir / "keys.log"
        r = run_client("list", "pop3s://alice@localhost:%d" % server.tls_port, "--cafile", lab.cert,
                       password="alice-pw", env_extra={"SSLKEYLOGFILE": str(keylog)})
        self.check(r, 0)
        text = keylog.read_text()
        self.assertTrue("CLIENT_TRAFFIC_SECRET_0" in text or "CLIENT_RANDOM" in text, text)

    def test_traces_mask_the_password_unless_secrets_are_exposed_on_purpose(self):
        lab = Lab(self)
        lab.add_user("alice", "Tr0ub4dor-pw", "PLAIN")
        server = lab.start(quiet=True)
        self.addCleanup(server.stop_or_raise)
        url = "pop3://alice@127.0.0.1:%d" % server.plain_port
        masked, exposed = lab.dir / "masked.jsonl", lab.dir / "exposed.jsonl"
        self.check(run_client("list", url, "--tls=none", "--auth=USER", "--trace", masked, password="Tr0ub4dor-pw"), 0)
        self.check(run_client("list", url, "--tls=none", "--auth=USER", "--trace", exposed, "--trace-expose-secrets",
                              password="Tr0ub4dor-pw"), 0)
        self.assertNotIn("Tr0ub4dor-pw", masked.read_text())
        self.assertIn('"exposure"', masked.read_text())
        self.assertIn("Tr0ub4dor-pw", exposed.read_text())

    def test_fetch_without_a_url_fetches_every_account_of_the_config_file(self):
        lab = Lab(self)
        lab.add_user("alice", "alice-pw", "PLAIN")
        lab.add_user("bob", "bob-pw", "PLAIN")
        for user in ("alice", "bob"):
            for n in range(3):
                lab.deliver(user, b"Subject: %s %d\n\nhello\n" % (user.encode(), n))
        server = lab.start(quiet=True)
        self.addCleanup(server.stop_or_raise)
        work = Path(tempfile.mkdtemp(dir=lab.dir))
        for user in ("alice", "bob"):
            (work / (user + ".pw")).write_text(user + "-pw\n")
        (work / "accounts.toml").write_text(
            "[accounts.a]\nurl = \"pop3://alice@localhost:%d\"\ncafile = \"%s\"\npassword_file = \"alice.pw\"\n"
            "maildir = \"mail/alice\"\nuidl_store = \"alice.uidls\"\nonly_new = true\n"
            "[accounts.b]\nurl = \"pop3s://bob@localhost:%d\"\ncafile = \"%s\"\npassword_file = \"bob.pw\"\n"
            "mbox = \"mail/bob.mbox\"\nuidl_store = \"bob.uidls\"\n"
            % (server.plain_port, lab.cert, server.tls_port, lab.cert))
        (work / "mail").mkdir()
        r = run_client("fetch", "--config", work / "accounts.toml", password="")
        self.check(r, 0)
        self.assertIn(b"a: 3 fetched", r.stdout)
        self.assertIn(b"b: 3 fetched", r.stdout)
        self.assertEqual(len(list((work / "mail" / "alice" / "new").iterdir())), 3)
        self.assertEqual((work / "mail" / "bob.mbox").read_bytes().count(b"From MAILER-DAEMON"), 3)


if __name__ == "__main__":
    unittest.main()
