"""The trace file (--trace), its redaction, --trace-expose-secrets, the live trace feed
(--trace-feed) and the log: what pop3-server writes about sessions, and where a password
may and may not appear (docs/trace-format.md, docs/server.md)."""

import json
import os
import poplib
import socket
import time
import unittest

from serverfixture import Lab, Raw, auth_plain

SECRET = "s3cret-Pa55"


def records(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


class TraceFileTest(unittest.TestCase):
    def run_sessions(self, *extra):
        lab = Lab(self)
        lab.add_user("alice", SECRET, "PLAIN")
        lab.deliver("alice", b"Subject: x\n\n.dot\nbody\n")
        trace = lab.dir / "trace.jsonl"
        server = lab.start(*extra, trace=trace)
        p = poplib.POP3("127.0.0.1", server.plain_port, timeout=30)
        p.user("alice")
        p.pass_(SECRET)
        p.retr(1)
        p.quit()
        r = Raw(server.plain_port)
        self.assertTrue(r.cmd("STLS").startswith(b"+OK"))
        r.sock = lab.client_context().wrap_socket(r.sock, server_hostname="localhost")
        self.assertTrue(auth_plain(r, "alice", SECRET).startswith(b"+OK"))
        r.cmd("QUIT")
        r.close()
        server.assert_stops_cleanly(self)
        return server, trace.read_text()

    def test_redacted_by_default(self):
        server, text = self.run_sessions()
        recs = records(text)
        self.assertEqual(recs[0]["type"], "header")
        self.assertEqual(recs[0]["format"], "pop3lab-trace")
        self.assertTrue(recs[0]["producer"].startswith("pop3-server"))
        self.assertNotIn(SECRET, text)
        self.assertNotIn(SECRET, server.log(), "a password in the log")
        sessions = {r["session"] for r in recs if r["type"] == "session_start"}
        self.assertEqual(len(sessions), 2)
        self.assertEqual(sessions, {r["session"] for r in recs if r["type"] == "session_end"})
        passes = [r for r in recs if r["type"] == "command" and r["verb"] == "PASS"]
        self.assertEqual(passes[0]["args"], ["<redacted>"])
        exposures = [(r["kind"], r["channel"]) for r in recs if r["type"] == "exposure"]
        # USER/PASS in clear on the plain channel; AUTH PLAIN after STLS: base64, but encrypted.
        self.assertIn(("cleartext", "plain"), exposures)
        self.assertIn(("base64", "tls"), exposures)
        self.assertIn("tls_established", {r["type"] for r in recs})
        # The app records of one direction, in order, are that direction's byte stream.
        first = sorted(sessions)[0]
        c2s = "".join(r["bytes"] for r in recs if r["type"] == "app" and r["session"] == first and r["dir"] == "c2s")
        self.assertEqual(c2s, "USER alice\r\nPASS " + "*" * len(SECRET) + "\r\nRETR 1\r\nQUIT\r\n")
        s2c = "".join(r["bytes"] for r in recs if r["type"] == "app" and r["session"] == first and r["dir"] == "s2c")
        self.assertIn("\r\n..dot\r\nbody\r\n.\r\n", s2c)

    def test_trace_file_is_private(self):
        # The trace holds every message retrieved (and, with --trace-expose-secrets, the
        # passwords): like the Maildir files it records (0600), it must not be readable by
        # other users.
        lab = Lab(self)
        lab.add_user("alice", SECRET, "PLAIN")
        trace = lab.dir / "new-trace.jsonl"
        server = lab.start("--trace-expose-secrets", trace=trace)
        server.assert_stops_cleanly(self)
        mode = os.stat(trace).st_mode & 0o777
        self.assertEqual(mode & 0o077, 0, "the trace file was created mode %o" % mode)

    def test_expose_secrets(self):
        server, text = self.run_sessions("--trace-expose-secrets")
        self.assertIn("PASS " + SECRET, text)
        self.assertNotIn(SECRET, server.log(), "a password in the log")


class TraceFeedTest(unittest.TestCase):
    def test_live_feed(self):
        lab = Lab(self)
        lab.add_user("alice", SECRET, "PLAIN")
        lab.deliver("alice", b"Subject: x\n\nbody\n")
        server = lab.start(feed=True)
        self.assertIsNotNone(server.feed_port)
        feed = socket.create_connection(("127.0.0.1", server.feed_port), timeout=30)
        self.addCleanup(feed.close)
        reader = feed.makefile("rb")
        header = json.loads(reader.readline())
        self.assertEqual(header["type"], "header")

        p = poplib.POP3("127.0.0.1", server.plain_port, timeout=30)
        p.user("alice")
        p.pass_(SECRET)
        p.stat()
        p.quit()
        got = []
        deadline = time.monotonic() + 20
        while not any(r["type"] == "session_end" for r in got):
            self.assertLess(time.monotonic(), deadline)
            got.append(json.loads(reader.readline()))
        self.assertEqual(got[0]["type"], "session_start")
        verbs = [r["verb"] for r in got if r["type"] == "command"]
        self.assertEqual(verbs, ["USER", "PASS", "STAT", "QUIT"])
        # The feed is for watching labs live: it shows what an eavesdropper would get.
        self.assertIn("PASS " + SECRET + "\r\n", [r["bytes"] for r in got if r["type"] == "app"])
        server.assert_stops_cleanly(self)

    def test_feed_only_on_loopback(self):
        lab = Lab(self)
        lab.add_user("alice", SECRET, "PLAIN")
        server = lab.start("--trace-feed", "0.0.0.0:0", wait=False)
        self.assertEqual(server.proc.wait(30), 2)
        self.assertIn("loopback", server.log())


if __name__ == "__main__":
    unittest.main()
