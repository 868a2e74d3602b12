"""pop3-viz's relay and live modes with real servers and a real client.

The real program runs in a private Xvfb (with_xvfb.sh). Relay: it listens on a loopback
port and forwards to pop3-server or to a private Dovecot; Python's poplib logs in through
it (plaintext, then STLS). Live: it follows pop3-server's --trace-feed while poplib talks
to the server directly. Each run ends with SIGTERM, which pop3-viz takes as "close the
window": it writes what it showed (--save-trace) and the wire as a pcap (--export-pcap),
which this test reads back.

Environment: POP3_VIZ, POP3_SERVER. Python 3 standard library; Debian's /usr/bin/python3.
"""

import json
import os
import poplib
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "server"))

import dovecotfixture  # noqa: E402
from dovecotfixture import Dovecot, free_port  # noqa: E402
from serverfixture import Lab, die_with_parent  # noqa: E402

WITH_XVFB = HERE / "with_xvfb.sh"


def viz_binary():
    path = os.environ.get("POP3_VIZ")
    if not path:
        raise unittest.SkipTest("set POP3_VIZ to the pop3-viz binary")
    return path


class Viz:
    """pop3-viz in its own Xvfb, until stop()."""

    def __init__(self, testcase, *args):
        if not shutil.which("Xvfb"):
            raise unittest.SkipTest("Xvfb is not installed")
        self.dir = Path(testcase.lab.dir)
        self.trace = self.dir / ("viz-%d.jsonl" % time.monotonic_ns())
        self.pcap = self.trace.with_suffix(".pcap")
        self.log_path = self.trace.with_suffix(".log")
        env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0")  # Mesa's, at exit
        with open(self.log_path, "wb") as log:
            # with_xvfb.sh passes SIGTERM on by ending: run pop3-viz as its child and signal
            # pop3-viz itself (found by its command line).
            self.proc = subprocess.Popen(
                [str(WITH_XVFB), viz_binary(), "--no-settings", "--save-trace", str(self.trace),
                 "--export-pcap", str(self.pcap), *args],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
                preexec_fn=die_with_parent())
        testcase.addCleanup(self.kill)

    def log(self):
        return self.log_path.read_text(errors="replace")

    def viz_pid(self):
        out = subprocess.run(["pgrep", "-f", "--", "--save-trace " + str(self.trace)], capture_output=True,
                             text=True).stdout.split()
        pids = [int(p) for p in out if int(p) != self.proc.pid]
        return pids[-1] if pids else None

    def stop(self):
        """SIGTERM to pop3-viz; waits for it and returns the records it saved."""
        deadline = time.monotonic() + 20
        pid = None
        while pid is None and time.monotonic() < deadline:
            pid = self.viz_pid()
            if pid is None:
                time.sleep(0.1)
        if pid is None:
            raise AssertionError("pop3-viz is not running:\n" + self.log())
        os.kill(pid, signal.SIGTERM)
        self.proc.wait(timeout=30)
        if not self.trace.exists():
            raise AssertionError("pop3-viz saved no trace:\n" + self.log())
        lines = self.trace.read_text().splitlines()
        return [json.loads(line) for line in lines[1:]]

    def kill(self):
        if self.proc.poll() is None:
            pid = self.viz_pid()
            if pid:
                os.kill(pid, signal.SIGKILL)
            self.proc.kill()
            self.proc.wait()


def wait_for_port(port, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("nothing listens on %d" % port)


def wait_for_subscriber(port, timeout=30.0):
    """Until a connection to the feed port on this machine is established (/proc/net/tcp:
    local port `port`, state 01): pop3-viz has subscribed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with open("/proc/net/tcp") as f:
            for line in f.readlines()[1:]:
                fields = line.split()
                if int(fields[1].split(":")[1], 16) == port and fields[3] == "01":
                    return
        time.sleep(0.1)
    raise AssertionError("nobody subscribed to the feed on port %d" % port)


def of_kind(records, kind, session_prefix=None):
    return [r for r in records if r["type"] == kind and
            (session_prefix is None or r["session"].startswith(session_prefix))]


def byte_string(value):
    """A trace byte string (docs/trace-format.md): text, or {"hex": ...} for the rest."""
    return bytes.fromhex(value["hex"]).decode("latin-1") if isinstance(value, dict) else value


def wire_text(records, direction):
    return "".join(byte_string(r["bytes"]) for r in of_kind(records, "wire") if r["dir"] == direction)


class RelayAndLive(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.lab = Lab()
        cls.addClassCleanup(cls.lab.cleanup)
        cls.lab.add_user("alice", "wonderland", "PLAIN")
        cls.lab.deliver("alice", b"Subject: one\n\nThe first message.\n")
        cls.lab.deliver("alice", b"Subject: two\n\n.a line with a dot\n")
        cls.server = cls.lab.start(feed=True)

    def login_through(self, port, stls=False):
        p = poplib.POP3("127.0.0.1", port, timeout=30)
        if stls:
            ctx = ssl.create_default_context(cafile=str(self.lab.cert))
            ctx.check_hostname = False
            p.stls(ctx)
        p.user("alice")
        p.pass_("wonderland")
        count, _ = p.stat()
        body = b"\n".join(p.retr(2)[1])
        p.quit()
        return count, body

    def relay(self, upstream_port):
        listen = free_port()
        viz = Viz(self, "--relay", "127.0.0.1:%d" % listen, "--upstream", "127.0.0.1:%d" % upstream_port)
        wait_for_port(listen)
        return viz, listen

    def check_plain_relay(self, upstream_port):
        viz, listen = self.relay(upstream_port)
        count, body = self.login_through(listen)
        self.assertEqual(count, 2)
        self.assertIn(b".a line with a dot", body)  # poplib undid the dot-stuffing the relay passed on
        records = viz.stop()
        c2s = wire_text(records, "c2s")
        self.assertIn("USER alice\r\nPASS wonderland\r\nSTAT\r\nRETR 2\r\nQUIT\r\n", c2s)
        self.assertIn("\r\n..a line with a dot\r\n", wire_text(records, "s2c"))  # stuffed on the wire
        exposures = of_kind(records, "exposure", "link")
        self.assertTrue(any(e["kind"] == "cleartext" and e["channel"] == "plain" for e in exposures),
                        exposures)
        self.assertTrue(viz.pcap.stat().st_size > 0)
        return records

    def test_relay_to_pop3_server_shows_the_plaintext_login(self):
        self.check_plain_relay(self.server.plain_port)

    def test_relay_after_stls_forwards_only_ciphertext(self):
        viz, listen = self.relay(self.server.plain_port)
        count, _ = self.login_through(listen, stls=True)
        self.assertEqual(count, 2)
        records = viz.stop()
        c2s = wire_text(records, "c2s")
        self.assertTrue(c2s.startswith("CAPA\r\nSTLS\r\n"), c2s[:40])  # poplib asks CAPA first
        self.assertNotIn("PASS", c2s)
        self.assertNotIn("wonderland", json.dumps(records))
        self.assertTrue(of_kind(records, "wire") and
                        any(r["channel"] == "tls" for r in of_kind(records, "wire")))

    @unittest.skipIf(dovecotfixture.available(), dovecotfixture.available())
    def test_relay_to_dovecot_shows_the_plaintext_login(self):
        dovecot = Dovecot(self.lab, self.lab.users, self.lab.mail_root, self.lab.cert,
                          self.lab.dir / "pop3lab-key.pem")
        self.addCleanup(dovecot.stop)
        dovecot.start()
        records = self.check_plain_relay(dovecot.plain_port)
        greeting = [r for r in of_kind(records, "reply", "client") if r.get("greeting")]
        self.assertTrue(greeting and "Dovecot" in greeting[0]["text"], greeting)

    def test_live_feed_of_pop3_server_shows_real_clients(self):
        viz = Viz(self, "--live", "127.0.0.1:%d" % self.server.feed_port)
        wait_for_subscriber(self.server.feed_port)
        count, _ = self.login_through(self.server.plain_port)
        self.assertEqual(count, 2)
        time.sleep(1.0)  # the feed delivers the session's records
        records = viz.stop()
        commands = [r for r in of_kind(records, "command")]
        self.assertEqual([c["verb"] for c in commands][:5], ["USER", "PASS", "STAT", "RETR", "QUIT"])
        # The feed carries the secrets, on loopback only (docs/server.md): what an
        # eavesdropper on the wire would have read, which is what the labs show.
        self.assertEqual(commands[1]["args"], ["wonderland"])
        self.assertTrue(any(e["kind"] == "cleartext" for e in of_kind(records, "exposure")))
        sessions = {r["session"] for r in of_kind(records, "session_start")}
        self.assertEqual(len(sessions), 1)


if __name__ == "__main__":
    unittest.main()
