"""mpop against pop3-server: fetching everything to a Maildir over STARTTLS and over
implicit TLS, with pipelining, --keep=on and --only-new (UIDLs stable across sessions),
every authentication method mpop has that the server offers (SCRAM-SHA-256 through GNU SASL
included), deleting after the fetch, and a wrong password.

What mpop changes (mpop 1.4.18, checked here): it stores LF line ends, and unless
--received-header=off it prepends one Received: header (three lines, folded with a tab).
Everything else arrives byte for byte: each file equals the message's wire form with CRLF
turned into LF (and the Received: header removed)."""

import os
import subprocess
import unittest

from serverfixture import Lab, assert_same_bytes, lf_form, message_id, server_log_count, strip_received

MPOP = "/usr/bin/mpop"
PW = "alice-pw"


class MpopTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.lab = Lab()
        cls.addClassCleanup(cls.lab.cleanup)
        for user in ("alice", "bob", "carol"):
            cls.lab.add_user(user, user + "-pw", "PLAIN")
        cls.messages = cls.lab.deliver_corpus("alice")
        cls.server = cls.lab.start(policy={"penalty_step_ms": 50})
        cls.runs = 0

    @classmethod
    def tearDownClass(cls):
        cls.server.stop_or_raise()

    def setup_account(self, user="alice", password=None, **settings):
        """Writes an mpop config file (mode 0600, as mpop demands) and an empty target
        Maildir; returns (config path, Maildir path)."""
        type(self).runs += 1
        base = self.lab.dir / ("mpop-%d" % self.runs)
        maildir = base / "Maildir"
        for sub in ("tmp", "new", "cur"):
            (maildir / sub).mkdir(parents=True)
        conf = {
            "host": "127.0.0.1",
            "port": str(self.server.plain_port),
            "user": user,
            "password": password or (user + "-pw"),
            "tls": "on",
            "tls_starttls": "on",
            "tls_trust_file": str(self.lab.cert),
            "delivery": "maildir " + str(maildir),
            "uidls_file": str(base / "uidls"),
            "keep": "on",
            "timeout": "60",
        }
        conf.update(settings)
        path = base / "mpoprc"
        path.write_text("account default\n" + "".join("%s %s\n" % kv for kv in conf.items()))
        os.chmod(path, 0o600)
        return path, maildir

    def mpop(self, conf, *args, check=True):
        env = dict(os.environ, HOME=str(conf.parent))
        r = subprocess.run([MPOP, "-C", str(conf)] + list(args), capture_output=True, timeout=120, env=env)
        if check and r.returncode != 0:
            self.fail("mpop exited %d: %s" % (r.returncode, (r.stdout + r.stderr).decode(errors="replace")))
        return r

    def delivered(self, maildir):
        files = [p for sub in ("new", "cur") for p in (maildir / sub).iterdir()]
        self.assertEqual(list((maildir / "tmp").iterdir()), [])
        return [p.read_bytes() for p in files]

    def check_delivered(self, maildir, received_header, messages=None):
        messages = self.messages if messages is None else messages
        got = {}
        for data in self.delivered(maildir):
            if received_header:
                header, data = strip_received(data)
                self.assertEqual(len(header), 3, header)
                self.assertIn(b"(mpop-", header[1])
            got[message_id(data)] = data
        expected = {message_id(m): lf_form(m) for _, _, m in messages}
        self.assertEqual(sorted(got), sorted(expected))
        for key in expected:
            assert_same_bytes(self, got[key], expected[key], "message %s" % key.decode())

    def test_starttls_with_pipelining_keep_and_only_new(self):
        conf, maildir = self.setup_account()
        r = self.mpop(conf, "--debug")
        out = r.stdout.decode(errors="replace")
        # (--debug prints the whole session: never put `out` in a failure message.)
        self.assertTrue("--> STLS" in out, "mpop did not use STLS")
        self.assertTrue("<-- PIPELINING" in out, "the server did not advertise PIPELINING")
        # Pipelining: mpop sends every RETR before the reply to the first one arrives.
        n = len(self.messages)
        sent = "".join("--> RETR %d\r\n" % i for i in range(1, n + 1))
        self.assertTrue(sent + "<-- +OK" in out, "mpop did not pipeline the RETRs")
        self.check_delivered(maildir, received_header=True)
        # --keep=on left everything on the server.
        self.assertEqual(len(self.lab.stored("alice")), len(self.messages))
        # --only-new (the default) with the UIDLs file: a second run fetches nothing.
        self.mpop(conf, "-q")
        self.assertEqual(len(self.delivered(maildir)), len(self.messages))

    def test_implicit_tls_without_received_header(self):
        conf, maildir = self.setup_account(port=str(self.server.tls_port), tls_starttls="off")
        r = self.mpop(conf, "--received-header=off", "--debug")
        self.assertFalse("--> STLS" in r.stdout.decode(errors="replace"), "STLS on the implicit-TLS port")
        self.check_delivered(maildir, received_header=False)

    def test_tls_host_name_is_checked(self):
        # 127.0.0.1 is in the certificate; another name is not.
        conf, maildir = self.setup_account(port=str(self.server.tls_port), tls_starttls="off",
                                           tls_host_override="mail.example.org")
        r = self.mpop(conf, "-q", check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertEqual(self.delivered(maildir), [])
        conf, maildir = self.setup_account(port=str(self.server.tls_port), tls_starttls="off",
                                           tls_host_override="localhost")
        self.mpop(conf, "-q", "--received-header=off")
        self.check_delivered(maildir, received_header=False)

    def test_every_authentication_method(self):
        for method, logged in (("user", "mechanism=USER/PASS"), ("apop", "mechanism=APOP"),
                               ("plain", "mechanism=PLAIN"), ("login", "mechanism=LOGIN"),
                               ("cram-md5", "mechanism=CRAM-MD5"), ("scram-sha-256", "mechanism=SCRAM-SHA-256")):
            with self.subTest(method=method):
                conf, maildir = self.setup_account(port=str(self.server.tls_port), tls_starttls="off")
                before = server_log_count(self.server, logged)
                self.mpop(conf, "-q", "--auth=" + method, "--received-header=off")
                self.assertGreater(server_log_count(self.server, logged), before)
                self.check_delivered(maildir, received_header=False)

    def test_fetch_and_delete(self):
        msgs = self.lab.deliver_corpus("bob")
        conf, maildir = self.setup_account(user="bob", keep="off")
        self.mpop(conf, "-q")
        self.check_delivered(maildir, received_header=True, messages=msgs)
        self.assertEqual(self.lab.stored("bob"), {})

    def test_wrong_password(self):
        self.lab.deliver_corpus("carol")
        conf, maildir = self.setup_account(user="carol", password="wrong", keep="off")
        r = self.mpop(conf, "-q", check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertRegex((r.stdout + r.stderr).decode(errors="replace"), r"(?i)auth")
        self.assertEqual(self.delivered(maildir), [])
        self.assertEqual(len(self.lab.stored("carol")), 11)


if __name__ == "__main__":
    unittest.main()
