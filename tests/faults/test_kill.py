"""SIGKILL in the middle of `pop3-client fetch --delete`, end to end.

test_robustness.KillDuringUpdateTest kills the server right after a raw client's QUIT, at
fixed pauses, and checks the maildrop. What it lacks, and this adds: the real client and
its UIDL store in the loop, a larger maildrop, kills at random moments of the whole fetch
and at the moment the server logs the client's QUIT (inside UPDATE), and the client killed
instead of the server. After every kill, each message that was not deleted by a completed
QUIT is on the server byte for byte, only messages the client had safely stored may be
gone (each whole or gone), the client's store holds no partial file and nothing twice; and
a last run with nothing killed leaves every message in the client's store exactly once and
the maildrop empty."""

import os
import random
import shutil
import signal
import sys
import tempfile
import time
import unittest
from pathlib import Path

from cutproxy import CutProxy
from faultfixture import (Lab, assert_no_sanitizer_report, check_client_store, check_maildrop, client_store,
                          deliver_many, describe, lf_form, run_client, sanitizer_report, start_client)

PASSWORD = "kill-pw"


def client_root():
    """Where the client's stores go: /dev/shm when it is there, since the client fsyncs four
    times a message and a busy disk makes that slow. The server's maildrops stay on disk,
    where UPDATE's unlinks take long enough for a kill to land among them."""
    shm = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    return Path(tempfile.mkdtemp(prefix="pop3lab-faults-client-", dir=shm))


class KillTest(unittest.TestCase):
    COUNT = 400

    def setUp(self):
        self.lab = Lab(self)
        self.clients = client_root()
        self.addCleanup(shutil.rmtree, self.clients, True)
        self.rng = random.Random(int(os.environ.get("POP3LAB_FAULTS_SEED", "1939")))

    def prepare(self, user):
        """A user with COUNT messages (a few of 100 KiB) and an empty client store."""
        self.user = user
        self.lab.add_user_line("%s:{PLAIN}%s" % (user, PASSWORD), user, PASSWORD)
        self.originals = deliver_many(self.lab, user, user, self.COUNT - 20, 0)
        self.originals.update(deliver_many(self.lab, user, user + "big", 20, 100 * 1024))
        self.by_content = {lf_form(d): name for name, d in self.originals.items()}
        self.work = self.clients / user

    def args(self, port):
        return ("fetch", "pop3://%s@localhost:%d" % (self.user, port), "--cafile", self.lab.cert, "--auth=USER",
                "--delete", "--maildir", self.work / "Maildir", "--uidl-store", self.work / "uidls",
                "--timeout", "20")

    def stored_by_client(self, client_killed=False):
        """UIDLs of the messages in the client's store; fails on partial files and duplicates.
        A client killed mid-delivery leaves its half-written file in tmp/ (Maildir's rule:
        never seen by readers); the next run removes it."""
        files, tmp = client_store(self.work / "Maildir")
        if client_killed:
            # The killed run's files of the pipelined batch it had not published yet (at
            # most 128, one of them partial), and empty ones of earlier kills (see
            # check_client_store); the next run removes them.
            tmp = [n for n in tmp if (self.work / "Maildir" / "tmp" / n).stat().st_size != 0]
        self.assertLessEqual(len(tmp), 128 if client_killed else 0, "partial files in the client's tmp/: %s" % tmp)
        names = []
        for _, data in files:
            self.assertIn(data, self.by_content, "the client stored something that is not a whole message")
            names.append(self.by_content[data])
        self.assertEqual(len(names), len(set(names)), "a message is twice in the client's store")
        return set(names)

    def check_after_kill(self, client_killed=False):
        stored = self.stored_by_client(client_killed)
        gone = check_maildrop(self, self.lab, self.user, self.originals, maybe_gone=stored)
        return stored, gone

    def last_run(self, server, client_killed=False):
        r = run_client(*self.args(server.plain_port), password=PASSWORD)
        self.assertEqual(r.returncode, 0, describe(r))
        check_client_store(self, self.work / "Maildir", self.originals.values(), empty_tmp_files_allowed=client_killed)
        check_maildrop(self, self.lab, self.user, self.originals, gone=self.originals)
        server.assert_stops_cleanly(self)
        assert_no_sanitizer_report(self, server)

    def full_run_seconds(self, *extra):
        """How long an undisturbed fetch of COUNT messages takes here (sanitizers make it
        ten times slower), so that kills can be spread over a whole run."""
        self.prepare("calibration" + "".join(e.strip("-") for e in extra))
        server = self.lab.start(quiet=True)
        start = time.monotonic()
        r = run_client(*self.args(server.plain_port), *extra, password=PASSWORD)
        took = time.monotonic() - start
        self.assertEqual(r.returncode, 0, describe(r))
        server.assert_stops_cleanly(self)
        return took

    def test_server_killed_at_random_moments_and_inside_update_loses_and_duplicates_nothing(self):
        full = self.full_run_seconds("--tls=none")
        rounds = []
        for round_ in range(8):
            self.prepare("k%d" % round_)
            server = self.lab.start()
            at_quit = round_ % 2 == 1
            pause = self.rng.choice([0, 0.0001, 0.0002, 0.0004, 0.0008, 0.002]) if at_quit else self.rng.uniform(0.1, 0.9) * full

            def kill():
                if at_quit:
                    time.sleep(pause)
                os.kill(server.pid, signal.SIGKILL)

            # In plaintext through a proxy that sees the client's QUIT go by: with at_quit the
            # server is killed `pause` seconds after it was sent, inside UPDATE or about to be.
            proxy = CutProxy(server.plain_port, on_quit=kill if at_quit else None)
            self.addCleanup(proxy.close)
            client = start_client(*self.args(proxy.port), "--tls=none", password=PASSWORD)
            start = time.monotonic()
            if not at_quit:
                time.sleep(pause)
                kill()
            try:
                client.communicate(timeout=60)
            finally:
                if server.proc.poll() is None:
                    kill()
            server.proc.wait(10)
            proxy.close()
            killed_after = time.monotonic() - start
            self.assertIsNone(sanitizer_report(server), server.diagnosis())
            stored, gone = self.check_after_kill()
            rounds.append("%s: client exit %d after %.2f s, %d stored, %d deleted"
                          % ("%.1f ms after QUIT" % (pause * 1000) if at_quit else "at %.2f s" % pause,
                             client.returncode, killed_after, len(stored), len(gone)))
            self.last_run(self.lab.start(quiet=True))
        sys.stderr.write("\n  SIGKILL of the server during fetch --delete of %d messages (%.2f s undisturbed), then a "
                         "full run:\n    %s\n" % (self.COUNT, full, "\n    ".join(rounds)))

    def test_client_killed_at_random_moments_loses_and_duplicates_nothing(self):
        full = self.full_run_seconds()
        self.prepare("c")
        server = self.lab.start(quiet=True)
        rounds = []
        for round_ in range(8):
            client = start_client(*self.args(server.plain_port), password=PASSWORD)
            time.sleep(self.rng.uniform(0.1, 0.9) * full)
            client.send_signal(signal.SIGKILL)
            client.communicate(timeout=60)
            stored, gone = self.check_after_kill(client_killed=True)
            rounds.append(len(stored))
            # The server saw the connection drop, not a QUIT: nothing deleted, unless the
            # client had sent its QUIT (after a DELE for everything it stored) before the kill.
            self.assertIn(gone, (set(), stored), "the server deleted mail without a QUIT")
            if gone:
                break
        self.last_run(server, client_killed=True)
        sys.stderr.write("\n  SIGKILL of pop3-client during fetch --delete of %d messages (%.2f s undisturbed): %s "
                         "stored before each kill, then all, once each\n" % (self.COUNT, full, rounds))


if __name__ == "__main__":
    unittest.main()
