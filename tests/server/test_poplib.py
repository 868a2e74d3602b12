"""Python's poplib against pop3-server: POP3, POP3_SSL, STLS, APOP, CAPA, UIDL, TOP, RETR,
DELE + QUIT. Every message is compared byte for byte with what was delivered."""

import poplib
import socket
import ssl
import unittest

from serverfixture import Lab, Raw, dot_stuff, wire

ALICE_PW = "alice-pw"


class LocalPOP3(poplib.POP3):
    """poplib.POP3 that connects to 127.0.0.1 whatever host name it checks the certificate
    against (so STLS checks "localhost" without ever trying ::1)."""

    def _create_socket(self, timeout):
        return socket.create_connection(("127.0.0.1", self.port), timeout)


class LocalPOP3_SSL(poplib.POP3_SSL):
    def _create_socket(self, timeout):
        sock = socket.create_connection(("127.0.0.1", self.port), timeout)
        return self.context.wrap_socket(sock, server_hostname=self.host)


def safe_close(p):
    try:
        p.close()
    except OSError:
        pass


def joined(lines):
    """poplib's lines (un-stuffed, CRLF removed) back to the wire form of the message."""
    return b"".join(line + b"\r\n" for line in lines)


class PoplibTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.lab = Lab()
        cls.addClassCleanup(cls.lab.cleanup)
        cls.lab.add_user("alice", ALICE_PW, "PLAIN")
        cls.lab.add_user("bob", "bob-pw", "PLAIN")
        cls.lab.add_user("carol", "carol-pw", "PLAIN")
        cls.messages = cls.lab.deliver_corpus("alice")
        cls.server = cls.lab.start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop_or_raise()

    def plain(self, host="127.0.0.1"):
        p = LocalPOP3(host, self.server.plain_port, timeout=30)
        self.addCleanup(safe_close, p)
        return p

    def login_alice(self):
        p = self.plain()
        p.user("alice")
        p.pass_(ALICE_PW)
        return p

    def check_all_messages(self, p):
        count, size = p.stat()
        self.assertEqual(count, len(self.messages))
        self.assertEqual(size, sum(len(wire(m)) for _, _, m in self.messages))
        for n, (label, _, data) in enumerate(self.messages, 1):
            resp, lines, octets = p.retr(n)
            self.assertTrue(resp.startswith(b"+OK"), resp)
            self.assertEqual(joined(lines), wire(data), "message %d (%s)" % (n, label))

    # --- capabilities ---------------------------------------------------------------------

    def test_capa_plaintext_port(self):
        p = self.plain()
        capa = p.capa()
        for name in ("USER", "TOP", "UIDL", "PIPELINING", "RESP-CODES", "AUTH-RESP-CODE", "STLS", "SASL"):
            self.assertIn(name, capa)
        # Every user stores a plaintext password: every SASL mechanism and APOP can be offered.
        for mech in ("PLAIN", "LOGIN", "CRAM-MD5", "SCRAM-SHA-256"):
            self.assertIn(mech, capa["SASL"])
        self.assertRegex(p.getwelcome(), rb"^\+OK .*<[0-9a-f]+\.[0-9a-f]+@localhost>$")
        p.quit()

    def test_capa_tls_port_has_no_stls(self):
        p = LocalPOP3_SSL("localhost", self.server.tls_port, context=self.lab.client_context(), timeout=30)
        self.addCleanup(p.close)
        capa = p.capa()
        self.assertNotIn("STLS", capa)
        self.assertIn("USER", capa)
        p.quit()

    # --- reading --------------------------------------------------------------------------

    def test_user_pass_retr_every_message_byte_for_byte(self):
        p = self.login_alice()
        self.check_all_messages(p)
        p.quit()

    def test_list_sizes_are_wire_octets(self):
        p = self.login_alice()
        resp, listing, _ = p.list()
        sizes = [int(l.split()[1]) for l in listing]
        self.assertEqual(sizes, [len(wire(m)) for _, _, m in self.messages])
        for n, (_, _, data) in enumerate(self.messages, 1):
            self.assertEqual(p.list(n), b"+OK %d %d" % (n, len(wire(data))))
        p.quit()

    def test_raw_wire_bytes_are_dot_stuffed_exactly(self):
        # Below poplib: the exact octets of every RETR body, dot-stuffing included.
        r = Raw(self.server.plain_port)
        self.addCleanup(r.close)
        self.assertTrue(r.login("alice", ALICE_PW).startswith(b"+OK"))
        for n, (label, _, data) in enumerate(self.messages, 1):
            status = r.cmd("RETR %d" % n)
            self.assertTrue(status.startswith(b"+OK"), status)
            self.assertEqual(r.multiline(), dot_stuff(wire(data)), "message %d (%s)" % (n, label))
        self.assertTrue(r.cmd("QUIT").startswith(b"+OK"))

    def test_uidl(self):
        p = self.login_alice()
        resp, listing, _ = p.uidl()
        uidls = [l.split()[1].decode() for l in listing]
        # The UIDL of a Maildir message is its unique name (docs/maildir.md).
        self.assertEqual(uidls, [name for _, name, _ in self.messages])
        self.assertEqual(p.uidl(3), ("+OK 3 " + self.messages[2][1]).encode())
        p.quit()
        # Stable across sessions.
        p = self.login_alice()
        self.assertEqual([l.split()[1].decode() for l in p.uidl()[1]], uidls)
        p.quit()

    def test_top(self):
        p = self.login_alice()
        for n, (label, _, data) in enumerate(self.messages, 1):
            lines = wire(data).split(b"\r\n")[:-1]
            blank = lines.index(b"")
            for k in (0, 1, 3):
                resp, got, _ = p.top(n, k)
                self.assertTrue(resp.startswith(b"+OK"))
                self.assertEqual(got, lines[:blank + 1 + k], "TOP %d %d (%s)" % (n, k, label))
        p.quit()

    def test_apop(self):
        p = self.plain()
        resp = p.apop("alice", ALICE_PW)
        self.assertTrue(resp.startswith(b"+OK"), resp)
        self.check_all_messages(p)
        p.quit()

    def test_apop_wrong_password(self):
        p = self.plain()
        with self.assertRaises(poplib.error_proto) as cm:
            p.apop("alice", "not-the-password")
        self.assertTrue(str(cm.exception).startswith("b'-ERR"), cm.exception)
        p.quit()

    def test_wrong_password(self):
        p = self.plain()
        p.user("alice")
        with self.assertRaises(poplib.error_proto) as cm:
            p.pass_("not-the-password")
        self.assertIn("-ERR", str(cm.exception))
        p.quit()

    # --- TLS ------------------------------------------------------------------------------

    def test_stls_checks_localhost_and_serves_everything(self):
        p = self.plain(host="localhost")
        self.assertIn("STLS", p.capa())
        ctx = self.lab.client_context()
        self.assertTrue(ctx.check_hostname)
        self.assertEqual(ctx.verify_mode, ssl.CERT_REQUIRED)
        p.stls(ctx)
        self.assertIsInstance(p.sock, ssl.SSLSocket)
        capa = p.capa()
        self.assertNotIn("STLS", capa)
        p.user("alice")
        p.pass_(ALICE_PW)
        self.check_all_messages(p)
        p.quit()

    def test_stls_refuses_a_name_not_in_the_certificate(self):
        p = self.plain(host="mail.example.org")
        with self.assertRaises(ssl.SSLCertVerificationError):
            p.stls(self.lab.client_context())

    def test_stls_with_the_ip_address_san(self):
        p = self.plain(host="127.0.0.1")
        p.stls(self.lab.client_context())
        p.user("alice")
        p.pass_(ALICE_PW)
        self.assertEqual(p.stat()[0], len(self.messages))
        p.quit()

    def test_pop3_ssl(self):
        p = LocalPOP3_SSL("localhost", self.server.tls_port, context=self.lab.client_context(), timeout=30)
        self.addCleanup(p.close)
        p.user("alice")
        p.pass_(ALICE_PW)
        self.check_all_messages(p)
        p.quit()

    def test_pop3_ssl_apop(self):
        p = LocalPOP3_SSL("localhost", self.server.tls_port, context=self.lab.client_context(), timeout=30)
        self.addCleanup(p.close)
        p.apop("alice", ALICE_PW)
        self.assertEqual(p.stat()[0], len(self.messages))
        p.quit()

    # --- deleting -------------------------------------------------------------------------

    def test_dele_quit_deletes_exactly_those(self):
        msgs = self.lab.deliver_corpus("bob")
        before = self.lab.stored("bob")
        p = self.plain()
        p.user("bob")
        p.pass_("bob-pw")
        doomed = {2, 4, 7}
        for n in sorted(doomed):
            self.assertTrue(p.dele(n).startswith(b"+OK"))
        # A deleted message is gone for this session; the numbers of the others do not change.
        with self.assertRaises(poplib.error_proto):
            p.retr(2)
        self.assertEqual(joined(p.retr(3)[1]), wire(msgs[2][2]))
        self.assertEqual(p.stat()[0], len(msgs) - len(doomed))
        # Nothing is deleted before QUIT.
        self.assertEqual(set(self.lab.stored("bob")), set(before))
        resp = p.quit()
        self.assertTrue(resp.startswith(b"+OK"), resp)
        after = self.lab.stored("bob")
        kept = {name: data for n, (_, name, data) in enumerate(msgs, 1) if n not in doomed}
        self.assertEqual(after, kept)
        # A new session sees the survivors, byte for byte, under their old UIDLs.
        p = self.plain()
        p.user("bob")
        p.pass_("bob-pw")
        resp, listing, _ = p.uidl()
        survivors = [(name, data) for n, (_, name, data) in enumerate(msgs, 1) if n not in doomed]
        self.assertEqual([l.split()[1].decode() for l in listing], [name for name, _ in survivors])
        for n, (_, data) in enumerate(survivors, 1):
            self.assertEqual(joined(p.retr(n)[1]), wire(data))
        p.quit()

    def test_rset_undeletes(self):
        msgs = self.lab.deliver_corpus("carol")
        p = self.plain()
        p.user("carol")
        p.pass_("carol-pw")
        p.dele(1)
        p.dele(5)
        p.rset()
        self.assertEqual(p.stat()[0], len(msgs))
        p.quit()
        self.assertEqual(len(self.lab.stored("carol")), len(msgs))


class TlsOnlyPolicyTest(unittest.TestCase):
    """--plaintext-auth tls-only: no password crosses the wire in clear."""

    def setUp(self):
        self.lab = Lab(self)
        self.lab.add_user("alice", ALICE_PW, "PLAIN")
        self.lab.deliver("alice", b"Subject: x\n\nbody\n")
        self.server = self.lab.start(plaintext="tls-only")

    def tearDown(self):
        self.server.assert_stops_cleanly(self)

    def test_user_pass_refused_before_stls_accepted_after(self):
        p = LocalPOP3("localhost", self.server.plain_port, timeout=30)
        self.addCleanup(p.close)
        capa = p.capa()
        self.assertIn("STLS", capa)
        self.assertNotIn("PLAIN", capa.get("SASL", []))
        with self.assertRaises(poplib.error_proto) as cm:
            p.user("alice")
        self.assertIn("-ERR", str(cm.exception))
        p.stls(self.lab.client_context())
        capa = p.capa()
        self.assertIn("USER", capa)
        self.assertIn("PLAIN", capa["SASL"])
        p.user("alice")
        p.pass_(ALICE_PW)
        self.assertEqual(p.stat()[0], 1)
        p.quit()

    def test_apop_allowed_in_plaintext(self):
        # APOP sends a digest, not the password.
        p = LocalPOP3("localhost", self.server.plain_port, timeout=30)
        self.addCleanup(p.close)
        p.apop("alice", ALICE_PW)
        self.assertEqual(p.stat()[0], 1)
        p.quit()


if __name__ == "__main__":
    unittest.main()
