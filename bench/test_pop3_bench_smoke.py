"""pop3-bench is exercised, never timed: each load runs briefly against a pop3-server
started here, and its JSON must be well formed with nonzero counts and no errors. Speed is
measured by bench/compare (docs/performance.md), not asserted here."""

import json
import os
import subprocess
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "server"))
from serverfixture import Lab  # noqa: E402


def bench_binary():
    path = os.environ.get("POP3_BENCH")
    if not path:
        raise unittest.SkipTest("set POP3_BENCH to the pop3-bench binary")
    return path


class Pop3BenchSmoke(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.lab = Lab()
        for i in range(2):
            cls.lab.add_user("bench%d" % i, "bench-pw")
            for n in range(3):
                cls.lab.deliver("bench%d" % i, b"Subject: %d\n\n.dot line\nbody\n" % n + b"x" * 70000)
        cls.server = cls.lab.start(quiet=True)

    @classmethod
    def tearDownClass(cls):
        try:
            cls.server.stop_or_raise()
        finally:
            cls.lab.cleanup()

    def bench(self, *args):
        out = self.lab.dir / "result.json"
        r = subprocess.run([bench_binary(), "--json", str(out)] + list(args),
                           capture_output=True, timeout=60)
        self.assertEqual(r.returncode, 0, (r.stdout + r.stderr).decode(errors="replace"))
        results = json.loads(out.read_text())
        self.assertEqual(len(results), 1)
        result = results[0]
        self.assertEqual(result["errors"]["count"], 0, result["errors"])
        self.assertEqual(set(result["metrics"]), set(result["units"]))
        return result

    def target(self, tls=False):
        port = self.server.tls_port if tls else self.server.plain_port
        args = ["--port", str(port), "--user", "bench%d", "--user-count", "2", "--password", "bench-pw"]
        return args + (["--tls", "--cafile", str(self.lab.cert)] if tls else [])

    def test_logins_count_whole_sessions_in_plaintext_and_tls(self):
        for tls in (False, True):
            r = self.bench("logins", *self.target(tls), "--clients", "2", "--seconds", "0.3")
            self.assertEqual(r["load"], "logins")
            self.assertGreater(r["metrics"]["logins"], 0)
            self.assertGreater(r["metrics"]["latency_p50"], 0)

    def test_retr_counts_the_octets_of_whole_messages(self):
        r = self.bench("retr", *self.target(), "--message", "1", "--seconds", "0.3")
        self.assertGreater(r["metrics"]["retrs"], 0)
        # Each RETR body is the stuffed message plus ".\r\n": a multiple of one body's size.
        self.assertEqual(r["metrics"]["octets"] % r["metrics"]["retrs"], 0)

    def test_fetch_retrieves_every_message_pipelined(self):
        r = self.bench("fetch", *self.target(), "--window", "2")
        self.assertEqual(r["metrics"]["messages"], 3)

    def test_idle_sessions_stay_open_and_the_server_memory_is_read(self):
        r = self.bench("idle", *self.target(), "--sessions", "20", "--hold", "0.2",
                       "--pid", str(self.server.pid))
        self.assertEqual(r["metrics"]["opened"], 20)
        self.assertEqual(r["metrics"]["alive_after_hold"], 20)
        self.assertGreater(r["metrics"]["rss_after_mib"], 0)

    def test_tcp_measures_loopback_bandwidth(self):
        r = self.bench("tcp", "--seconds", "0.2")
        self.assertGreater(r["metrics"]["octets"], 0)


if __name__ == "__main__":
    unittest.main()
