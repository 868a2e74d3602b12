"""curl against pop3-server: pop3:// and pop3s://, --ssl-reqd (STLS), LIST, RETR, a [1-N]
multi-fetch over one connection, the SASL mechanisms and APOP curl can use, -X commands,
DELE, and the exit code for a wrong password. Every message is compared byte for byte."""

import subprocess
import tempfile
import unittest
from pathlib import Path

from serverfixture import Lab, assert_same_bytes, server_log_count, wire

CURL = "/usr/bin/curl"
PW = "alice-pw"


class CurlTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.lab = Lab()
        cls.addClassCleanup(cls.lab.cleanup)
        cls.lab.add_user("alice", PW, "PLAIN")
        cls.lab.add_user("bob", "bob-pw", "PLAIN")
        cls.messages = cls.lab.deliver_corpus("alice")
        # A small per-address penalty: the wrong-password test fails three logins in a row.
        cls.server = cls.lab.start(policy={"penalty_step_ms": 50})
        cls.P = cls.server.plain_port
        cls.T = cls.server.tls_port

    @classmethod
    def tearDownClass(cls):
        cls.server.stop_or_raise()

    def curl(self, *args, user="alice", password=PW, check=True):
        cmd = [CURL, "--silent", "--show-error", "--noproxy", "*", "--max-time", "60",
               "--resolve", "localhost:%d:127.0.0.1" % self.P, "--resolve", "localhost:%d:127.0.0.1" % self.T,
               "-u", "%s:%s" % (user, password)] + list(args)
        r = subprocess.run(cmd, capture_output=True, timeout=90)
        if check and r.returncode != 0:
            self.fail("curl exited %d: %s\n%s" % (r.returncode, " ".join(args), r.stderr.decode(errors="replace")))
        return r

    def outdir(self):
        d = tempfile.mkdtemp(dir=self.lab.dir)
        return Path(d)

    def expected_list(self):
        return b"".join(b"%d %d\r\n" % (n, len(wire(m))) for n, (_, _, m) in enumerate(self.messages, 1))

    def test_list(self):
        r = self.curl("pop3://127.0.0.1:%d/" % self.P)
        self.assertEqual(r.stdout, self.expected_list())

    def test_retr_each_message_byte_for_byte(self):
        for n, (label, _, data) in enumerate(self.messages, 1):
            r = self.curl("pop3://127.0.0.1:%d/%d" % (self.P, n))
            assert_same_bytes(self, r.stdout, wire(data), "RETR %d (%s)" % (n, label))
        # With SASL offered curl picks the strongest mechanism it knows (not SCRAM).
        self.assertIn("mechanism=CRAM-MD5", self.server.log())

    def test_multi_fetch_over_one_connection(self):
        out = self.outdir()
        before = server_log_count(self.server, "event=connected")
        n = len(self.messages)
        self.curl("pop3://127.0.0.1:%d/[1-%d]" % (self.P, n), "-o", str(out / "msg_#1"))
        self.assertEqual(server_log_count(self.server, "event=connected") - before, 1)
        for i, (label, _, data) in enumerate(self.messages, 1):
            assert_same_bytes(self, (out / ("msg_%d" % i)).read_bytes(), wire(data), "message %d (%s)" % (i, label))

    def test_ssl_reqd_uses_stls_and_checks_localhost(self):
        out = self.outdir()
        n = len(self.messages)
        self.curl("--ssl-reqd", "--cacert", str(self.lab.cert), "pop3://localhost:%d/[1-%d]" % (self.P, n),
                  "-o", str(out / "msg_#1"))
        for i, (label, _, data) in enumerate(self.messages, 1):
            assert_same_bytes(self, (out / ("msg_%d" % i)).read_bytes(), wire(data), "message %d (%s)" % (i, label))
        r = self.curl("--ssl-reqd", "--cacert", str(self.lab.cert), "pop3://localhost:%d/" % self.P)
        self.assertEqual(r.stdout, self.expected_list())

    def test_ssl_reqd_without_trusting_the_certificate_fails(self):
        r = self.curl("--ssl-reqd", "pop3://localhost:%d/" % self.P, check=False)
        self.assertEqual(r.returncode, 60, r.stderr)  # CURLE_PEER_FAILED_VERIFICATION

    def test_pop3s_list_and_retr(self):
        r = self.curl("--cacert", str(self.lab.cert), "pop3s://localhost:%d/" % self.T)
        self.assertEqual(r.stdout, self.expected_list())
        for n, (label, _, data) in enumerate(self.messages, 1):
            r = self.curl("--cacert", str(self.lab.cert), "pop3s://localhost:%d/%d" % (self.T, n))
            assert_same_bytes(self, r.stdout, wire(data), "pop3s RETR %d (%s)" % (n, label))

    def test_pop3s_by_ip_address(self):
        # The self-signed certificate carries 127.0.0.1 as an IP SAN.
        r = self.curl("--cacert", str(self.lab.cert), "pop3s://127.0.0.1:%d/2" % self.T)
        assert_same_bytes(self, r.stdout, wire(self.messages[1][2]), "RETR 2")

    def test_every_mechanism_curl_can_use(self):
        for option, logged in (("AUTH=PLAIN", "mechanism=PLAIN"), ("AUTH=LOGIN", "mechanism=LOGIN"),
                               ("AUTH=CRAM-MD5", "mechanism=CRAM-MD5"), ("AUTH=+APOP", "mechanism=APOP")):
            before = server_log_count(self.server, logged)
            r = self.curl("--login-options", option, "pop3://127.0.0.1:%d/3" % self.P)
            assert_same_bytes(self, r.stdout, wire(self.messages[2][2]), option)
            self.assertGreater(server_log_count(self.server, logged), before, option)

    def test_uidl_and_top_with_x(self):
        r = self.curl("-X", "UIDL", "pop3://127.0.0.1:%d/" % self.P)
        expected = b"".join(b"%d %s\r\n" % (n, name.encode()) for n, (_, name, _) in enumerate(self.messages, 1))
        self.assertEqual(r.stdout, expected)
        r = self.curl("-X", "TOP 2 0", "pop3://127.0.0.1:%d/" % self.P)
        w = wire(self.messages[1][2])
        self.assertEqual(r.stdout, w[:w.index(b"\r\n\r\n") + 4])

    def test_wrong_password_exit_code(self):
        r = self.curl("pop3://127.0.0.1:%d/" % self.P, password="wrong", check=False)
        self.assertEqual(r.returncode, 67, r.stderr)  # CURLE_LOGIN_DENIED
        r = self.curl("--cacert", str(self.lab.cert), "pop3s://localhost:%d/" % self.T, password="wrong", check=False)
        self.assertEqual(r.returncode, 67, r.stderr)
        r = self.curl("pop3://127.0.0.1:%d/" % self.P, user="nobody", password="x", check=False)
        self.assertEqual(r.returncode, 67, r.stderr)

    def test_no_such_message(self):
        r = self.curl("pop3://127.0.0.1:%d/%d" % (self.P, len(self.messages) + 1), check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertEqual(r.stdout, b"")

    def test_dele(self):
        msgs = self.lab.deliver_corpus("bob")
        self.curl("-X", "DELE", "-I", "pop3://127.0.0.1:%d/3" % self.P, user="bob", password="bob-pw")
        left = self.lab.stored("bob")
        self.assertEqual(left, {name: data for n, (_, name, data) in enumerate(msgs, 1) if n != 3})


if __name__ == "__main__":
    unittest.main()
