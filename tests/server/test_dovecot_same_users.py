"""One passwd-file serves Dovecot and pop3-server side by side.

The users file is written partly by `pop3-server passwd` and partly by `doveadm pw`, with
{PLAIN}, {SHA512-CRYPT} and {SCRAM-SHA-256} entries; a private Dovecot (started here, per
/work/shared/notes/dovecot-as-a-test-peer.md) and pop3-server read the very same file and
serve the very same Maildirs. Both accept every user through USER/PASS and AUTH PLAIN and
refuse wrong passwords; both serve each message with the same octets and (with Dovecot's
pop3_uidl_format = %f) the same UIDLs; a deletion by one is seen by the other; SCRAM-SHA-256
works against both with one client."""

import os
import poplib
import signal
import time
import unittest

import dovecotfixture
from dovecotfixture import Dovecot, doveadm_pw
from serverfixture import Lab, Raw, auth_plain, auth_scram_sha256, dot_stuff, wire

WHY_NOT = dovecotfixture.available()


def users_for(lab, with_crypt=True):
    """alice {PLAIN}, scott {SCRAM-SHA-256} and (with_crypt) sam {SHA512-CRYPT} by
    `pop3-server passwd`; dana {SHA512-CRYPT} and sue {SCRAM-SHA-256} by `doveadm pw`."""
    lab.add_user("alice", "alice-pw", "PLAIN")
    lab.add_user("scott", "scott pw, with spaces", "SCRAM-SHA-256")
    lab.add_user_line("sue:" + doveadm_pw("SCRAM-SHA-256", "sue-pw"), "sue", "sue-pw")
    if with_crypt:
        lab.add_user("sam", "sam-pw", "SHA512-CRYPT")
        lab.add_user_line("dana:" + doveadm_pw("SHA512-CRYPT", "dana-pw"), "dana", "dana-pw")
    for user in lab.passwords:
        lab.deliver(user, b"Subject: for %s\n\nHello %s.\n" % (user.encode(), user.encode()))


@unittest.skipIf(WHY_NOT, WHY_NOT)
class SameUsersFileTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.lab = Lab()
        cls.addClassCleanup(cls.lab.cleanup)
        users_for(cls.lab)
        cls.corpus = cls.lab.deliver_corpus("alice")
        # Both pass the same file (and the same mail, and the same certificate).
        cls.server = cls.lab.start(policy={"penalty_step_ms": 0})
        cls.dovecot = Dovecot(cls.lab, cls.lab.users, cls.lab.mail_root, cls.lab.cert,
                              cls.lab.dir / "pop3lab-key.pem")
        cls.addClassCleanup(cls.dovecot.stop)
        cls.dovecot.start()
        cls.ports = {"pop3-server": cls.server.plain_port, "dovecot": cls.dovecot.plain_port}

    @classmethod
    def tearDownClass(cls):
        cls.dovecot.stop()
        cls.server.stop_or_raise()

    def raw(self, port):
        r = Raw(port)
        self.addCleanup(r.close)
        return r

    def test_file_holds_every_scheme(self):
        text = self.lab.users.read_text()
        for scheme in ("{PLAIN}", "{SHA512-CRYPT}$6$", "{SCRAM-SHA-256}4096,"):
            self.assertIn(scheme, text)
        self.assertEqual(os.stat(self.lab.users).st_mode & 0o777, 0o600)

    def test_user_pass_on_both(self):
        for name, port in self.ports.items():
            for user, password in self.lab.passwords.items():
                with self.subTest(server=name, user=user):
                    p = poplib.POP3("127.0.0.1", port, timeout=30)
                    p.user(user)
                    self.assertTrue(p.pass_(password).startswith(b"+OK"))
                    self.assertGreaterEqual(p.stat()[0], 1)
                    p.quit()

    def test_auth_plain_on_both(self):
        for name, port in self.ports.items():
            for user, password in self.lab.passwords.items():
                with self.subTest(server=name, user=user):
                    r = self.raw(port)
                    reply = auth_plain(r, user, password)
                    self.assertTrue(reply.startswith(b"+OK"), reply)
                    r.cmd("QUIT")

    def test_wrong_passwords_refused_by_both(self):
        for name, port in self.ports.items():
            for user in ("sam", "scott", "alice"):
                with self.subTest(server=name, user=user):
                    r = self.raw(port)
                    self.assertTrue(r.cmd("USER " + user).startswith(b"+OK"))
                    self.assertTrue(r.cmd("PASS " + self.lab.passwords[user] + "x").startswith(b"-ERR"))
                    r.cmd("QUIT")

    def test_same_octets_and_uidls_from_both(self):
        listings = {}
        for name, port in self.ports.items():
            r = self.raw(port)
            self.assertTrue(r.login("alice", "alice-pw").startswith(b"+OK"))
            self.assertTrue(r.cmd("UIDL").startswith(b"+OK"))
            uidl = r.multiline()
            self.assertTrue(r.cmd("LIST").startswith(b"+OK"))
            listing = r.multiline()
            listings[name] = (uidl, listing)
            for n, (label, _, data) in enumerate(self.corpus, 2):  # message 1 is the hello
                self.assertTrue(r.cmd("RETR %d" % n).startswith(b"+OK"))
                self.assertEqual(r.multiline(), dot_stuff(wire(data)), "%s: RETR %d (%s)" % (name, n, label))
            r.cmd("QUIT")
        self.assertEqual(listings["pop3-server"][0], listings["dovecot"][0], "UIDLs differ")
        # LIST: pop3-server reports exactly the octets RETR sends. Dovecot 2.3 does too, except
        # for a message without a final line end: it sends the CRLF it adds but does not count it.
        sizes = {name: [int(l.split()[1]) for l in listing.splitlines()] for name, (_, listing) in listings.items()}
        self.assertEqual(sizes["pop3-server"][1:], [len(wire(m)) for _, _, m in self.corpus])
        for (label, _, data), dovecot_size in zip(self.corpus, sizes["dovecot"][1:]):
            short = 0 if data.endswith(b"\n") else 2
            self.assertEqual(dovecot_size, len(wire(data)) - short, label)

    def test_scram_sha256_against_dovecot(self):
        # pop3-server offers SCRAM only when every user's entry supports it (sam's and
        # dana's crypt hashes do not); Dovecot decides per user. See ScramBothTest.
        for user in ("alice", "scott", "sue"):
            r = self.raw(self.dovecot.plain_port)
            reply = auth_scram_sha256(r, user, self.lab.passwords[user])
            self.assertTrue(reply.startswith(b"+OK"), reply)
            r.cmd("QUIT")
        r = self.raw(self.server.plain_port)
        self.assertTrue(r.cmd("CAPA").startswith(b"+OK"))
        self.assertNotIn(b"SCRAM-SHA-256", r.multiline())


@unittest.skipIf(WHY_NOT, WHY_NOT)
class SharedMaildirTest(unittest.TestCase):
    def test_a_deletion_by_one_is_seen_by_the_other(self):
        lab = Lab(self)
        users_for(lab, with_crypt=False)
        lab.deliver_corpus("alice")
        server = lab.start()
        dovecot = Dovecot(lab, lab.users, lab.mail_root, lab.cert, lab.dir / "pop3lab-key.pem")
        self.addCleanup(dovecot.stop)
        dovecot.start()

        def uidls(port):
            r = Raw(port)
            self.assertTrue(r.login("alice", "alice-pw").startswith(b"+OK"))
            r.cmd("UIDL")
            names = [l.split()[1].decode() for l in r.multiline().splitlines()]
            r.cmd("QUIT")
            r.close()
            return names

        everything = uidls(dovecot.plain_port)
        self.assertEqual(everything, uidls(server.plain_port))
        # pop3-server deletes message 3; Dovecot no longer lists it.
        r = Raw(server.plain_port)
        r.login("alice", "alice-pw")
        self.assertTrue(r.cmd("DELE 3").startswith(b"+OK"))
        self.assertTrue(r.cmd("QUIT").startswith(b"+OK"))
        r.close()
        self.assertEqual(uidls(dovecot.plain_port), everything[:2] + everything[3:])
        # Dovecot deletes message 1 (the hello); pop3-server no longer lists it.
        r = Raw(dovecot.plain_port)
        r.login("alice", "alice-pw")
        self.assertTrue(r.cmd("DELE 1").startswith(b"+OK"))
        self.assertTrue(r.cmd("QUIT").startswith(b"+OK"))
        r.close()
        self.assertEqual(uidls(server.plain_port), everything[1:2] + everything[3:])
        dovecot.stop()
        server.assert_stops_cleanly(self)


@unittest.skipIf(WHY_NOT, WHY_NOT)
class ScramBothTest(unittest.TestCase):
    def test_scram_sha256_against_both_after_reload(self):
        lab = Lab(self)
        users_for(lab, with_crypt=False)
        lab.add_user("sam", "sam-pw", "SHA512-CRYPT")
        lab.deliver("sam", b"Subject: x\n\ny\n")
        server = lab.start()
        dovecot = Dovecot(lab, lab.users, lab.mail_root, lab.cert, lab.dir / "pop3lab-key.pem")
        self.addCleanup(dovecot.stop)
        dovecot.start()

        def sasl(port):
            # QUIT and wait for the server to close: no session stays open across the reload
            # (a session open during a SIGHUP reload is test_robustness.ReloadTest's business).
            r = Raw(port)
            self.assertTrue(r.cmd("CAPA").startswith(b"+OK"))
            caps = r.multiline()
            self.assertTrue(r.cmd("QUIT").startswith(b"+OK"))
            self.assertEqual(r.sock.recv(1), b"")
            r.close()
            return caps

        self.assertNotIn(b"SCRAM-SHA-256", sasl(server.plain_port))
        # Remove sam's crypt entry (by hand, as an admin would), and tell pop3-server to
        # reload with SIGHUP; Dovecot re-reads the file by itself.
        lines = [l for l in lab.users.read_text().splitlines(True) if not l.startswith("sam:")]
        lab.users.write_text("".join(lines))
        del lab.passwords["sam"]
        os.kill(server.pid, signal.SIGHUP)
        deadline = time.monotonic() + 10
        while server.log().count("event=users-loaded") < 2:
            self.assertLess(time.monotonic(), deadline, "SIGHUP did not reload the users file")
            time.sleep(0.05)
        self.assertIn(b"SCRAM-SHA-256", sasl(server.plain_port))

        for name, port in (("pop3-server", server.plain_port), ("dovecot", dovecot.plain_port)):
            for user in ("alice", "scott", "sue"):
                with self.subTest(server=name, user=user):
                    r = Raw(port)
                    reply = auth_scram_sha256(r, user, lab.passwords[user])
                    self.assertTrue(reply.startswith(b"+OK"), reply)
                    self.assertTrue(r.cmd("STAT").startswith(b"+OK"))
                    r.cmd("QUIT")
                    r.close()
                    r = Raw(port)
                    reply = auth_scram_sha256(r, user, "wrong")
                    self.assertTrue(reply.startswith(b"-ERR"), reply)
                    r.close()
        # sam is gone from both.
        for port in (server.plain_port, dovecot.plain_port):
            r = Raw(port)
            self.assertTrue(auth_plain(r, "sam", "sam-pw").startswith(b"-ERR"))
            r.close()
        dovecot.stop()
        server.assert_stops_cleanly(self)


if __name__ == "__main__":
    unittest.main()
