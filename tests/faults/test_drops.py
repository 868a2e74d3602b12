"""Connections that end at the worst moment.

On the server's side (a raw client that vanishes): mid-RETR at many points of a 1 MiB
message, with FIN or RST, over plaintext and TLS, with DELE marks pending: nothing is
deleted. Right after QUIT, before reading its reply: the server received QUIT, so it runs
UPDATE (with FIN, always; with RST, if the QUIT was read before the reset), and each marked
message is whole or gone, never partial; unmarked ones are untouched. (test_robustness
covers one RST mid-RETR and SIGKILL during UPDATE.)

On the client's side (a proxy that cuts the connection, tests/faults/cutproxy.py):
`pop3-client fetch --delete` cut mid-RETR exits 18 with no partial file and nothing deleted;
cut after QUIT left it, nothing is lost; either way the next run leaves every message in
the client's store exactly once, byte for byte."""

import socket
import struct
import sys
import time
import unittest

from cutproxy import CutProxy
from faultfixture import (Lab, Raw, assert_no_sanitizer_report, check_client_store, check_maildrop,
                          deliver_many, describe, dot_stuff, run_client, wire)

MIB = 1024 * 1024


def login_when_free(port, user, password, context=None, timeout=10.0):
    """Logs in, retrying while the server has not yet noticed the previous connection is gone
    ([IN-USE])."""
    deadline = time.monotonic() + timeout
    while True:
        r = Raw(port, context)
        reply = r.login(user, password)
        if reply.startswith(b"+OK"):
            return r
        r.close()
        if not reply.startswith(b"-ERR [IN-USE]") or time.monotonic() > deadline:
            raise AssertionError("login as %s: %r" % (user, reply))
        time.sleep(0.02)


def vanish(r, reset):
    if reset:
        r.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    r.close()


class ServerSideDropsTest(unittest.TestCase):
    ROUNDS = 24

    def setUp(self):
        self.lab = Lab(self)
        self.lab.add_user("alice", "alice-pw", "PLAIN")
        for round_ in range(self.ROUNDS):
            self.lab.add_user_line("q%d:{PLAIN}pw" % round_, "q%d" % round_, "pw")
        self.server = self.lab.start(quiet=True)

    def tearDown(self):
        self.server.assert_stops_cleanly(self)
        assert_no_sanitizer_report(self, self.server)

    def test_drop_mid_retr_at_any_point_deletes_nothing(self):
        originals = deliver_many(self.lab, "alice", "big", 3, MIB)
        originals.update(deliver_many(self.lab, "alice", "small", 6))
        size = len(dot_stuff(wire(originals[sorted(originals)[1]])))
        points = [0, 1, 1000, 64 * 1024 + 3, size // 2, size - 1]
        rounds = 0
        for tls in (False, True):
            context = self.lab.client_context() if tls else None
            port = self.server.tls_port if tls else self.server.plain_port
            for reset in (False, True):
                for point in points:
                    with self.subTest(tls=tls, reset=reset, after_octets=point):
                        r = login_when_free(port, "alice", "alice-pw", context)
                        for n in (1, 3, 4, 5, 6, 7, 8, 9):
                            self.assertTrue(r.cmd("DELE %d" % n).startswith(b"+OK"))
                        self.assertTrue(r.cmd("RETR 2").startswith(b"+OK"))
                        while len(r.buf) < point:
                            r._fill()
                        vanish(r, reset)
                        rounds += 1
                        check = login_when_free(port, "alice", "alice-pw", context)
                        self.assertEqual(check.cmd("STAT").split()[1], str(len(originals)).encode())
                        check.cmd("QUIT")
                        check.close()
                        check_maildrop(self, self.lab, "alice", originals)
        sys.stderr.write("\n  %d drops mid-RETR (plaintext/TLS, FIN/RST, at %s octets of %d): nothing deleted\n"
                         % (rounds, points, size))

    def test_drop_right_after_quit_completes_update_all_or_nothing(self):
        outcomes = {False: [], True: []}
        for round_ in range(self.ROUNDS):
            reset = round_ % 2 == 1
            user = "q%d" % round_
            originals = deliver_many(self.lab, user, user, 40, 2000 if round_ % 3 else 64 * 1024)
            names = sorted(originals)
            marked = {names[i] for i in range(len(names)) if (i * 7 + round_) % 3 == 0}
            r = Raw(self.server.plain_port)
            self.assertTrue(r.login(user, "pw").startswith(b"+OK"))
            r.send(b"".join(b"DELE %d\r\n" % (names.index(m) + 1) for m in sorted(marked)))
            for _ in marked:
                self.assertTrue(r.line().startswith(b"+OK"))
            r.send(b"QUIT\r\n")
            vanish(r, reset)
            # The server is done with the session once the maildrop is free again.
            login_when_free(self.server.plain_port, user, "pw").close()
            gone = check_maildrop(self, self.lab, user, originals, maybe_gone=marked)
            self.assertIn(gone, (set(), marked), "UPDATE was partial: %d of %d marked messages deleted"
                          % (len(gone), len(marked)))
            if not reset:
                self.assertEqual(gone, marked, "the server received QUIT and EOF but did not run UPDATE")
            outcomes[reset].append(len(gone) == len(marked))
        sys.stderr.write("\n  QUIT then vanish: UPDATE ran in %d/%d rounds after FIN, %d/%d after RST\n"
                         % (sum(outcomes[False]), len(outcomes[False]), sum(outcomes[True]), len(outcomes[True])))


class ClientSideCutsTest(unittest.TestCase):
    COUNT = 12

    def setUp(self):
        self.lab = Lab(self)
        self.lab.add_user("bob", "bob-pw", "PLAIN")
        self.originals = deliver_many(self.lab, "bob", "cut", self.COUNT, 200 * 1024)
        self.server = self.lab.start(quiet=True)
        self.work = self.lab.dir / "client"

    def tearDown(self):
        self.server.assert_stops_cleanly(self)
        assert_no_sanitizer_report(self, self.server)

    def fetch(self, port, tls="starttls"):
        return run_client("fetch", "pop3://bob@localhost:%d" % port, "--tls=" + tls, "--cafile", self.lab.cert,
                          "--auth=USER", "--delete", "--maildir", self.work / "Maildir",
                          "--uidl-store", self.work / "uidls", "--timeout", "20", password="bob-pw")

    def test_cut_mid_retr_stores_no_partial_message_and_deletes_nothing(self):
        # Octets from the server before the cut, counted from the greeting: each run gets
        # further, and each cut falls before what is left would be complete.
        cuts = [3000, 250 * 1024 + 1, 700 * 1024, 1000 * 1024 + 1]
        for cut in cuts:
            with self.subTest(cut_after=cut):
                proxy = CutProxy(self.server.plain_port, cut_after=cut, reset=cut % 2 == 1)
                self.addCleanup(proxy.close)
                r = self.fetch(proxy.port)
                proxy.close()
                self.assertEqual(r.returncode, 18, describe(r))
                self.assertEqual(proxy.cuts, 1)
                check_maildrop(self, self.lab, "bob", self.originals)
                files = list((self.work / "Maildir" / "new").iterdir())
                self.assertLess(len(files), self.COUNT)
                self.assertEqual(list((self.work / "Maildir" / "tmp").iterdir()), [])
        r = self.fetch(self.server.plain_port)
        self.assertEqual(r.returncode, 0, describe(r))
        self.assertIn(b"%d deleted" % self.COUNT, r.stdout)
        check_client_store(self, self.work / "Maildir", self.originals.values())
        check_maildrop(self, self.lab, "bob", self.originals, gone=self.originals)

    def test_cut_after_quit_loses_and_duplicates_nothing(self):
        proxy = CutProxy(self.server.plain_port, cut_after_quit=True)
        self.addCleanup(proxy.close)
        r = self.fetch(proxy.port, tls="none")
        proxy.close()
        self.assertEqual(proxy.cuts, 1)
        # The client cannot know whether UPDATE ran: it must say so, not claim success.
        self.assertNotEqual(r.returncode, 0, describe(r))
        sys.stderr.write("\n  cut after QUIT: pop3-client exits %d: %s\n"
                         % (r.returncode, r.stderr.decode(errors="replace").strip().splitlines()[-1]))
        check_client_store(self, self.work / "Maildir", self.originals.values())
        # The server read QUIT and then EOF: it ran UPDATE.
        login_when_free(self.server.plain_port, "bob", "bob-pw").close()
        check_maildrop(self, self.lab, "bob", self.originals, gone=self.originals)
        # New mail arrives; the next run fetches only that, and nothing twice.
        more = deliver_many(self.lab, "bob", "later", 3)
        r = self.fetch(self.server.plain_port)
        self.assertEqual(r.returncode, 0, describe(r))
        self.assertIn(b"3 fetched", r.stdout)
        check_client_store(self, self.work / "Maildir", list(self.originals.values()) + list(more.values()))


if __name__ == "__main__":
    unittest.main()
