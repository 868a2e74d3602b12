"""fetchmail against pop3-server: plaintext (TLS off with sslproto ''), STLS and implicit TLS
with the certificate checked (sslcertck, sslcertfile, sslcommonname localhost), keep and
fetchall, deleting after the fetch, and a wrong password.

fetchmail has no Maildir writer: each message goes to an MDA (a tiny script that writes
it to a file). For an MDA fetchmail prepends one Received: header (folded over three
lines) and turns CRLF into LF; otherwise each file is the message byte for byte."""

import os
import subprocess
import unittest

from serverfixture import Lab, assert_same_bytes, lf_form, message_id, strip_received

FETCHMAIL = "/usr/bin/fetchmail"


class FetchmailTest(unittest.TestCase):
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

    def fetch(self, options, user="alice", password=None, port=None, keep=True, check=True):
        """Runs fetchmail once with an rcfile (mode 0600, the only place it takes a password
        from); returns (completed process, list of delivered files' bytes)."""
        type(self).runs += 1
        base = self.lab.dir / ("fetchmail-%d" % self.runs)
        out = base / "out"
        out.mkdir(parents=True)
        mda = base / "save"
        mda.write_text('#!/bin/sh\nexec cat > "$(mktemp %s/msg.XXXXXXXX)"\n' % out)
        os.chmod(mda, 0o755)
        rc = base / "fetchmailrc"
        rc.write_text(
            "set no bouncemail\n"
            "poll 127.0.0.1 service %d proto POP3 auth password timeout 60\n"
            '  user "%s" there with password "%s" is "root" here\n'
            "  %s fetchall no rewrite\n"
            "  %s\n"
            '  mda "%s"\n' % (port or self.server.plain_port, user, password or (user + "-pw"),
                              "keep" if keep else "no keep", options, mda))
        os.chmod(rc, 0o600)
        env = dict(os.environ, HOME=str(base), FETCHMAILHOME=str(base))
        r = subprocess.run([FETCHMAIL, "-f", str(rc), "--nodetach", "--nosyslog", "-v",
                            "--pidfile", str(base / "fetchmail.pid"), "--idfile", str(base / "fetchids")],
                           capture_output=True, timeout=120, env=env)
        if check and r.returncode != 0:
            self.fail("fetchmail exited %d:\n%s" % (r.returncode, (r.stdout + r.stderr).decode(errors="replace")[-3000:]))
        return r, [p.read_bytes() for p in sorted(out.iterdir())]

    def check_delivered(self, files, messages=None):
        messages = self.messages if messages is None else messages
        got = {}
        for data in files:
            header, data = strip_received(data)
            self.assertIn(b"(fetchmail-", b"\n".join(header))
            got[message_id(data)] = data
        expected = {message_id(m): lf_form(m) for _, _, m in messages}
        self.assertEqual(sorted(got), sorted(expected))
        for key in expected:
            assert_same_bytes(self, got[key], expected[key], "message %s" % key.decode())

    def test_plaintext(self):
        r, files = self.fetch("sslproto ''")
        log = (r.stdout + r.stderr).decode(errors="replace")
        self.assertNotIn("POP3> STLS", log)
        self.assertIn("POP3> USER alice", log)
        self.check_delivered(files)
        self.assertEqual(len(self.lab.stored("alice")), len(self.messages))

    def test_stls_with_certificate_check(self):
        r, files = self.fetch("sslproto 'TLS1.2+' sslcertck sslcertfile \"%s\" sslcommonname localhost" % self.lab.cert)
        log = (r.stdout + r.stderr).decode(errors="replace")
        self.assertIn("POP3> STLS", log)
        self.check_delivered(files)

    def test_implicit_tls_with_certificate_check(self):
        r, files = self.fetch("ssl sslcertck sslcertfile \"%s\" sslcommonname localhost" % self.lab.cert,
                              port=self.server.tls_port)
        self.assertNotIn("POP3> STLS", (r.stdout + r.stderr).decode(errors="replace"))
        self.check_delivered(files)

    def test_wrong_common_name_is_refused(self):
        r, files = self.fetch("ssl sslcertck sslcertfile \"%s\" sslcommonname mail.example.org" % self.lab.cert,
                              port=self.server.tls_port, check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertEqual(files, [])

    def test_fetch_and_delete(self):
        msgs = self.lab.deliver_corpus("bob")
        r, files = self.fetch("sslproto ''", user="bob", keep=False)
        self.check_delivered(files, msgs)
        self.assertEqual(self.lab.stored("bob"), {})

    def test_wrong_password(self):
        self.lab.deliver_corpus("carol")
        r, files = self.fetch("sslproto ''", user="carol", password="wrong", keep=False, check=False)
        self.assertEqual(r.returncode, 3, (r.stdout + r.stderr).decode(errors="replace")[-2000:])  # PS_AUTHFAIL
        self.assertEqual(files, [])
        self.assertEqual(len(self.lab.stored("carol")), 11)


if __name__ == "__main__":
    unittest.main()
