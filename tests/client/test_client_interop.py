"""pop3-client against real servers: a private Dovecot (the reference) and pop3-server,
side by side on the same users file, Maildir and certificate. Plaintext, STARTTLS and
implicit TLS; USER/PASS, APOP, PLAIN, LOGIN, CRAM-MD5 and SCRAM-SHA-256; a fetch of a few
thousand messages compared byte for byte with what was delivered; keep + only-new twice
fetches nothing the second time; the documented exit codes for the usual failures."""

import hashlib
import os
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "server"))

from dovecotfixture import Dovecot, available  # noqa: E402
from serverfixture import Lab  # noqa: E402

CLIENT = os.environ.get("POP3_CLIENT", "pop3-client")
WHY_NOT = available()
BULK = int(os.environ.get("POP3LAB_INTEROP_MESSAGES", "2500"))
MECHANISMS = ["USER", "APOP", "PLAIN", "LOGIN", "CRAM-MD5", "SCRAM-SHA-256"]


def message(n):
    """A message as a delivery agent stores it (LF line ends, a final newline), with the
    corners that break careless code: dot lines, 8-bit text, sizes that vary."""
    body = "".join("line %d of message %d\n" % (i, n) for i in range(n % 17))
    dots = ".\n..\n.dot at the start\n" if n % 5 == 0 else ""
    eight = "Grüße, Zoë — naïve café\n" if n % 7 == 0 else ""
    return ("From: sender%d@interop.test\nTo: bulk@interop.test\nSubject: message %d\n"
            "Message-ID: <%d@interop.test>\n\n%s%s%s" % (n, n, n, dots, eight, body)).encode()


def run_client(*args, password="bulk-pw", timeout=300):
    env = dict(os.environ, POP3_PASSWORD=password)
    return subprocess.run([CLIENT] + [str(a) for a in args], env=env, capture_output=True, timeout=timeout)


def maildir_contents(path):
    out = []
    for sub in ("new", "cur"):
        d = Path(path) / sub
        if d.is_dir():
            out += [f.read_bytes() for f in sorted(d.iterdir()) if f.is_file()]
    return out


@unittest.skipIf(WHY_NOT, WHY_NOT)
class AgainstBothServers(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.lab = Lab()
        cls.addClassCleanup(cls.lab.cleanup)
        cls.lab.add_user("bulk", "bulk-pw", "PLAIN")
        cls.lab.add_user("small", "small-pw", "PLAIN")
        cls.delivered = [message(n) for n in range(1, BULK + 1)]
        for data in cls.delivered:
            cls.lab.deliver("bulk", data)
        cls.server = cls.lab.start(policy={"penalty_step_ms": 0}, quiet=True)
        cls.dovecot = Dovecot(cls.lab, cls.lab.users, cls.lab.mail_root, cls.lab.cert,
                              cls.lab.dir / "pop3lab-key.pem")
        cls.addClassCleanup(cls.dovecot.stop)
        cls.dovecot.start()
        cls.servers = {
            "pop3-server": (cls.server.plain_port, cls.server.tls_port),
            "dovecot": (cls.dovecot.plain_port, cls.dovecot.tls_port),
        }

    @classmethod
    def tearDownClass(cls):
        cls.dovecot.stop()
        cls.server.stop_or_raise()

    def url(self, server, tls, user="bulk"):
        plain, secure = self.servers[server]
        if tls == "implicit":
            return "pop3s://%s@localhost:%d" % (user, secure)
        return "pop3://%s@localhost:%d" % (user, plain)

    def check(self, r, code=0, what=""):
        self.assertEqual(r.returncode, code, "%s: exit %d\nstdout: %s\nstderr: %s" % (
            what, r.returncode, r.stdout.decode(errors="replace")[-2000:], r.stderr.decode(errors="replace")[-2000:]))

    def test_list_over_plaintext_starttls_and_implicit_tls(self):
        for server in self.servers:
            for tls in ("none", "starttls", "implicit"):
                with self.subTest(server=server, tls=tls):
                    r = run_client("list", self.url(server, tls), "--tls=" + tls, "--cafile", self.lab.cert)
                    self.check(r, 0, "%s %s" % (server, tls))
                    lines = r.stdout.decode().splitlines()
                    self.assertEqual(len(lines), BULK)
                    self.assertEqual(lines[0].split()[0], "1")

    def test_every_mechanism_the_server_offers_logs_in(self):
        for server in self.servers:
            for mech in MECHANISMS:
                with self.subTest(server=server, mechanism=mech):
                    r = run_client("uidl", self.url(server, "starttls"), "--cafile", self.lab.cert,
                                   "--auth=" + mech, "-v")
                    self.check(r, 0, "%s %s" % (server, mech))
                    self.assertEqual(len(r.stdout.decode().splitlines()), BULK)
                    self.assertIn(b"login with " + mech.encode(), r.stderr)

    def test_the_strongest_mechanism_is_chosen_and_explained(self):
        for server in self.servers:
            with self.subTest(server=server):
                r = run_client("list", self.url(server, "starttls"), "--cafile", self.lab.cert, "-v")
                self.check(r)
                self.assertIn(b"login with SCRAM-SHA-256", r.stderr)

    def test_a_wrong_password_exits_15_and_an_untrusted_certificate_13(self):
        for server in self.servers:
            with self.subTest(server=server):
                r = run_client("list", self.url(server, "starttls"), "--cafile", self.lab.cert, "--auth=USER",
                               password="nope")
                self.check(r, 15, "wrong password")
                r = run_client("list", self.url(server, "implicit"))
                self.check(r, 13, "no --cafile")
                r = run_client("list", self.url(server, "none"), "--tls=implicit", "--cafile", self.lab.cert)
                self.assertIn(r.returncode, (11, 12), "TLS spoken to the plaintext port")

    def test_nothing_listening_exits_10(self):
        import socket
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        r = run_client("list", "pop3://bulk@127.0.0.1:%d" % port, "--tls=none")
        self.check(r, 10, "refused")

    def test_fetch_of_thousands_is_byte_for_byte_and_only_new_fetches_nothing_twice(self):
        expected = sorted(hashlib.sha256(d).hexdigest() for d in self.delivered)
        for server in self.servers:
            with self.subTest(server=server):
                work = Path(tempfile.mkdtemp(dir=self.lab.dir))
                args = ["fetch", self.url(server, "starttls"), "--cafile", self.lab.cert,
                        "--maildir", work / "Maildir", "--keep", "--only-new", "--uidl-store", work / "uidls"]
                start = time.monotonic()
                r = run_client(*args)
                took = time.monotonic() - start
                self.check(r, 0, "first fetch from %s" % server)
                self.assertIn(b"%d fetched" % BULK, r.stdout)
                got = maildir_contents(work / "Maildir")
                self.assertEqual(len(got), BULK)
                # Stored as delivery agents store mail (LF): identical to what was delivered.
                self.assertEqual(sorted(hashlib.sha256(d).hexdigest() for d in got), expected)
                r = run_client(*args)
                self.check(r, 0, "second fetch from %s" % server)
                self.assertIn(b"0 fetched", r.stdout)
                self.assertIn(b"%d already fetched" % BULK, r.stdout)
                self.assertEqual(len(maildir_contents(work / "Maildir")), BULK)
                print("\n  %s: %d messages fetched in %.1f s" % (server, BULK, took), file=sys.stderr)

    def test_fetch_to_mbox_with_delete_empties_the_maildrop(self):
        for i, server in enumerate(self.servers):
            with self.subTest(server=server):
                for n in range(1, 6):
                    self.lab.deliver("small", message(10000 * (i + 1) + n))
                if server == "dovecot":
                    self.dovecot.chown_mail()
                work = Path(tempfile.mkdtemp(dir=self.lab.dir))
                r = run_client("fetch", self.url(server, "implicit", "small"), "--cafile", self.lab.cert,
                               "--mbox", work / "mbox", "--delete", "--uidl-store", work / "uidls",
                               password="small-pw")
                self.check(r, 0, "mbox fetch from %s" % server)
                self.assertIn(b"5 fetched", r.stdout)
                self.assertIn(b"5 deleted", r.stdout)
                mbox = (work / "mbox").read_bytes()
                self.assertEqual(mbox.count(b"\nFrom MAILER-DAEMON ") + mbox.startswith(b"From MAILER-DAEMON "), 5)
                r = run_client("list", self.url(server, "starttls", "small"), "--cafile", self.lab.cert,
                               password="small-pw")
                self.check(r, 0)
                self.assertEqual(r.stdout, b"")


if __name__ == "__main__":
    unittest.main()
