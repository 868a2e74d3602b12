"""What must hold when things go wrong: dropped connections delete nothing, a second login
gets [IN-USE], failed logins are delayed (and the per-address penalty grows), a locked-out
account stays out, SIGKILL during UPDATE loses no undeleted message and leaves no partial
file, SIGTERM stops the server cleanly (exit 0) even with sessions open or stalled, the
autologout never reaches UPDATE, and the connection limit answers [SYS/TEMP]."""

import base64
import hashlib
import os
import signal
import socket
import struct
import sys
import time
import unittest

from serverfixture import Lab, Raw, dot_stuff, wire


def connect_when_free(port, user, password, timeout=10.0):
    """Logs in, retrying while the maildrop is still [IN-USE] (the server releases the lock
    when it notices the old connection is gone)."""
    deadline = time.monotonic() + timeout
    while True:
        r = Raw(port)
        reply = r.login(user, password)
        if reply.startswith(b"+OK"):
            return r
        r.close()
        if not reply.startswith(b"-ERR [IN-USE]") or time.monotonic() > deadline:
            raise AssertionError("login as %s: %r" % (user, reply))
        time.sleep(0.05)


def timed(r, command):
    start = time.monotonic()
    reply = r.cmd(command)
    return reply, time.monotonic() - start


class DroppedConnectionTest(unittest.TestCase):
    def setUp(self):
        self.lab = Lab(self)
        self.users = ["u%d" % i for i in range(5)]
        for u in self.users:
            self.lab.add_user(u, u + "-pw", "PLAIN")
        self.server = self.lab.start()

    def tearDown(self):
        self.server.assert_stops_cleanly(self)

    def dele_then(self, user, how):
        self.lab.deliver_corpus(user)
        before = self.lab.stored(user)
        r = Raw(self.server.plain_port)
        self.assertTrue(r.login(user, user + "-pw").startswith(b"+OK"))
        for n in (1, 2, 3, 4, 5, 6, 8, 9):  # not 7, the 2 MB message
            self.assertTrue(r.cmd("DELE %d" % n).startswith(b"+OK"))
        how(r)
        r.close()
        # The server notices, releases the lock, and has deleted nothing.
        r2 = connect_when_free(self.server.plain_port, user, user + "-pw")
        self.assertEqual(r2.cmd("STAT").split()[1], str(len(before)).encode())
        self.assertTrue(r2.cmd("QUIT").startswith(b"+OK"))
        r2.close()
        self.assertEqual(self.lab.stored(user), before)

    def test_close_after_dele(self):
        self.dele_then("u0", lambda r: r.sock.shutdown(socket.SHUT_RDWR))

    def test_reset_after_dele(self):
        def rst(r):
            r.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.dele_then("u1", rst)

    def test_half_a_quit(self):
        self.dele_then("u2", lambda r: r.send(b"QUI"))

    def test_quit_without_crlf(self):
        self.dele_then("u3", lambda r: r.send(b"QUIT"))

    def test_drop_in_the_middle_of_a_large_retr(self):
        def drop(r):
            r.send(b"RETR 7\r\n")
            got = 0
            while got < 100000:
                got += len(r.sock.recv(65536))
            r.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.dele_then("u4", drop)


class InUseTest(unittest.TestCase):
    def setUp(self):
        self.lab = Lab(self)
        self.lab.add_user("alice", "alice-pw", "PLAIN")
        self.lab.deliver_corpus("alice")
        self.server = self.lab.start()

    def tearDown(self):
        self.server.assert_stops_cleanly(self)

    def test_second_login_gets_in_use(self):
        first = Raw(self.server.plain_port)
        self.addCleanup(first.close)
        self.assertTrue(first.login("alice", "alice-pw").startswith(b"+OK"))
        self.assertTrue(first.cmd("DELE 1").startswith(b"+OK"))

        second = Raw(self.server.plain_port)
        self.addCleanup(second.close)
        reply = second.login("alice", "alice-pw")
        self.assertTrue(reply.startswith(b"-ERR [IN-USE]"), reply)
        # The same through APOP, SASL PLAIN, and over TLS.
        third = Raw(self.server.plain_port)
        self.addCleanup(third.close)
        ts = third.greeting[third.greeting.index(b"<"):].decode()
        digest = hashlib.md5((ts + "alice-pw").encode()).hexdigest()
        reply = third.cmd("APOP alice " + digest)
        self.assertTrue(reply.startswith(b"-ERR [IN-USE]"), reply)
        plain = base64.b64encode(b"\0alice\0alice-pw").decode()
        reply = third.cmd("AUTH PLAIN " + plain)
        self.assertTrue(reply.startswith(b"-ERR [IN-USE]"), reply)
        tls = Raw(self.server.tls_port, self.lab.client_context())
        self.addCleanup(tls.close)
        reply = tls.login("alice", "alice-pw")
        self.assertTrue(reply.startswith(b"-ERR [IN-USE]"), reply)

        # The first session is unharmed; once it quits, the next login works.
        self.assertTrue(first.cmd("QUIT").startswith(b"+OK"))
        r = connect_when_free(self.server.plain_port, "alice", "alice-pw")
        self.assertEqual(r.cmd("STAT").split()[1], b"10")
        r.cmd("QUIT")
        r.close()

    def test_in_use_is_not_a_failed_login(self):
        # A mail client polling while another session is open must not lock the user out.
        first = Raw(self.server.plain_port)
        self.addCleanup(first.close)
        self.assertTrue(first.login("alice", "alice-pw").startswith(b"+OK"))
        for _ in range(12):  # more than the default lockout (10)
            r = Raw(self.server.plain_port)
            self.assertTrue(r.login("alice", "alice-pw").startswith(b"-ERR [IN-USE]"))
            r.close()
        first.cmd("QUIT")
        r = connect_when_free(self.server.plain_port, "alice", "alice-pw")
        r.cmd("QUIT")
        r.close()


class FailedLoginDelayTest(unittest.TestCase):
    DELAY = 0.3
    STEP = 0.2

    def setUp(self):
        self.lab = Lab(self)
        for u in ("alice", "bob"):
            self.lab.add_user(u, u + "-pw", "PLAIN")
        self.lab.deliver("alice", b"Subject: x\n\nbody\n")
        self.lab.deliver("bob", b"Subject: x\n\nbody\n")
        self.server = self.lab.start(delay_ms=int(self.DELAY * 1000),
                                     policy={"penalty_step_ms": int(self.STEP * 1000), "penalty_max_ms": 1000})

    def tearDown(self):
        self.server.assert_stops_cleanly(self)

    def attempt(self, user, password):
        r = Raw(self.server.plain_port)
        self.addCleanup(r.close)
        self.assertTrue(r.cmd("USER " + user).startswith(b"+OK"))
        reply, seconds = timed(r, "PASS " + password)
        r.cmd("QUIT")
        return reply, seconds

    def test_delays(self):
        tolerance = 0.02
        reply, t = self.attempt("alice", "alice-pw")
        self.assertTrue(reply.startswith(b"+OK"))
        self.assertLess(t, self.DELAY, "a correct login is not delayed")

        reply, t1 = self.attempt("alice", "wrong")
        self.assertTrue(reply.startswith(b"-ERR"))
        self.assertGreaterEqual(t1, self.DELAY - tolerance)
        # The second failure from this address waits one penalty step more ...
        reply, t2 = self.attempt("bob", "wrong")
        self.assertGreaterEqual(t2, self.DELAY + self.STEP - tolerance)
        # ... an unknown user gets the same treatment, and the same words ...
        reply3, t3 = self.attempt("nobody", "wrong")
        self.assertGreaterEqual(t3, self.DELAY + 2 * self.STEP - tolerance)
        self.assertEqual(reply3.split(b"]")[0], reply.split(b"]")[0])
        # ... and a correct login is still answered at once and clears the penalty.
        reply, t = self.attempt("alice", "alice-pw")
        self.assertTrue(reply.startswith(b"+OK"))
        self.assertLess(t, self.DELAY)
        reply, t = self.attempt("bob", "wrong")
        self.assertGreaterEqual(t, self.DELAY - tolerance)
        self.assertLess(t, self.DELAY + self.STEP)
        sys.stderr.write("\n  failed-login delays: %.3f %.3f %.3f %.3f s (configured %.1f + %.1f per failure)\n"
                         % (t1, t2, t3, t, self.DELAY, self.STEP))

    def test_apop_and_sasl_failures_are_delayed_too(self):
        r = Raw(self.server.plain_port)
        self.addCleanup(r.close)
        reply, t = timed(r, "APOP alice 0123456789abcdef0123456789abcdef")
        self.assertTrue(reply.startswith(b"-ERR"))
        self.assertGreaterEqual(t, self.DELAY - 0.02)
        reply, t = timed(r, "AUTH PLAIN " + base64.b64encode(b"\0bob\0wrong").decode())
        self.assertTrue(reply.startswith(b"-ERR"))
        self.assertGreaterEqual(t, self.DELAY - 0.02)

    def test_commands_behind_a_failed_login_wait(self):
        # Pipelined commands after the failed PASS are answered in order, after the delay.
        r = Raw(self.server.plain_port)
        self.addCleanup(r.close)
        start = time.monotonic()
        r.send(b"USER alice\r\nPASS wrong\r\nUSER alice\r\nPASS alice-pw\r\nSTAT\r\n")
        replies = [r.line() for _ in range(5)]
        elapsed = time.monotonic() - start
        self.assertEqual([x[:3] for x in replies], [b"+OK", b"-ER", b"+OK", b"+OK", b"+OK"])
        self.assertGreaterEqual(elapsed, self.DELAY - 0.02)


class LockoutTest(unittest.TestCase):
    def setUp(self):
        self.lab = Lab(self)
        for u in ("alice", "bob"):
            self.lab.add_user(u, u + "-pw", "PLAIN")
            self.lab.deliver(u, b"Subject: x\n\nbody\n")
        self.server = self.lab.start(delay_ms=50, lockout_after=3,
                                     policy={"penalty_step_ms": 0, "lockout_seconds": 3})

    def tearDown(self):
        self.server.assert_stops_cleanly(self)

    def login(self, user, password):
        r = Raw(self.server.plain_port)
        self.addCleanup(r.close)
        reply = r.login(user, password)
        r.cmd("QUIT")
        return reply

    def test_locked_out_account_stays_out(self):
        for _ in range(3):
            self.assertTrue(self.login("alice", "wrong").startswith(b"-ERR [AUTH]"))
        locked_at = time.monotonic()
        # Now even the right password is refused, by every mechanism, on every port,
        # on new connections, and a wrong one gets the very same answer.
        self.assertTrue(self.login("alice", "alice-pw").startswith(b"-ERR [LOGIN-DELAY]"))
        self.assertTrue(self.login("alice", "wrong").startswith(b"-ERR [LOGIN-DELAY]"))
        r = Raw(self.server.plain_port)
        self.addCleanup(r.close)
        ts = r.greeting[r.greeting.index(b"<"):].decode()
        reply = r.cmd("APOP alice " + hashlib.md5((ts + "alice-pw").encode()).hexdigest())
        self.assertTrue(reply.startswith(b"-ERR [LOGIN-DELAY]"), reply)
        reply = r.cmd("AUTH PLAIN " + base64.b64encode(b"\0alice\0alice-pw").decode())
        self.assertTrue(reply.startswith(b"-ERR [LOGIN-DELAY]"), reply)
        tls = Raw(self.server.tls_port, self.lab.client_context())
        self.addCleanup(tls.close)
        self.assertTrue(tls.login("alice", "alice-pw").startswith(b"-ERR [LOGIN-DELAY]"))
        for _ in range(3):
            self.assertTrue(self.login("alice", "alice-pw").startswith(b"-ERR [LOGIN-DELAY]"))
        # Other users are not affected.
        self.assertTrue(self.login("bob", "bob-pw").startswith(b"+OK"))
        # The lock lasts lockout_seconds (3 s here), then the right password works again.
        time.sleep(max(0.0, locked_at + 3.2 - time.monotonic()))
        self.assertTrue(self.login("alice", "alice-pw").startswith(b"+OK"))

    def test_failures_must_be_in_a_row(self):
        self.assertTrue(self.login("bob", "wrong").startswith(b"-ERR"))
        self.assertTrue(self.login("bob", "wrong").startswith(b"-ERR"))
        self.assertTrue(self.login("bob", "bob-pw").startswith(b"+OK"))
        self.assertTrue(self.login("bob", "wrong").startswith(b"-ERR [AUTH]"))
        self.assertTrue(self.login("bob", "wrong").startswith(b"-ERR [AUTH]"))
        self.assertTrue(self.login("bob", "bob-pw").startswith(b"+OK"))


class KillDuringUpdateTest(unittest.TestCase):
    COUNT = 300

    def test_sigkill_during_update(self):
        lab = Lab(self)
        timings = [0.0, 0.0, 0.0005, 0.001, 0.002, 0.004, 0.008, 0.05]
        outcomes = []
        for round_, pause in enumerate(timings):
            user = "k%d" % round_
            lab.add_user(user, "pw", "PLAIN")
            msgs = []
            for i in range(self.COUNT):
                body = (b"line %d of message %d\n" % (j, i) for j in range(1 + (i * 7) % 40))
                data = b"Subject: m%d\nMessage-ID: <k%d.%d@test>\n\n" % (i, round_, i) + b"".join(body)
                if i % 10 == 3:
                    data += b".\n..\n" + b"x" * (i * 50) + b"\n"
                msgs.append((lab.deliver(user, data), data))
            server = lab.start(quiet=True)
            r = Raw(server.plain_port)
            self.assertTrue(r.login(user, "pw").startswith(b"+OK"))
            marked = {name for n, (name, _) in enumerate(msgs, 1) if n % 2 == 1}
            r.send(b"".join(b"DELE %d\r\n" % n for n in range(1, self.COUNT + 1, 2)))
            for _ in range(len(marked)):
                self.assertTrue(r.line().startswith(b"+OK"))
            r.send(b"QUIT\r\n")
            if pause:
                time.sleep(pause)
            os.kill(server.pid, signal.SIGKILL)
            server.proc.wait(10)
            r.close()

            stored = lab.stored(user)
            for name, data in msgs:
                if name in marked:
                    if name in stored:
                        self.assertEqual(stored[name], data, "marked message %s is not whole" % name)
                else:
                    self.assertIn(name, stored, "unmarked message %s lost" % name)
                    self.assertEqual(stored[name], data, "unmarked message %s changed" % name)
            self.assertEqual(set(stored) - {n for n, _ in msgs}, set())
            self.assertEqual(list((lab.maildir(user) / "tmp").iterdir()), [])
            deleted = len(marked) - len(set(stored) & marked)
            outcomes.append(deleted)

            # A new server serves what is left, byte for byte; the dead one's lock is gone.
            server = lab.start(quiet=True)
            r = Raw(server.plain_port)
            self.assertTrue(r.login(user, "pw").startswith(b"+OK"))
            left = [(name, data) for name, data in msgs if name in stored]
            self.assertEqual(r.cmd("STAT").split()[1], str(len(left)).encode())
            for n, (_, data) in enumerate(left, 1):
                self.assertTrue(r.cmd("RETR %d" % n).startswith(b"+OK"))
                self.assertEqual(r.multiline(), dot_stuff(wire(data)))
            r.cmd("QUIT")
            r.close()
            server.assert_stops_cleanly(self)
        sys.stderr.write("\n  SIGKILL after QUIT (pauses %s s): marked messages deleted per round %s of %d\n"
                         % (timings, outcomes, self.COUNT // 2))


class ShutdownTest(unittest.TestCase):
    def setUp(self):
        self.lab = Lab(self)
        self.lab.add_user("alice", "alice-pw", "PLAIN")
        self.lab.add_user("bob", "bob-pw", "PLAIN")
        self.messages = self.lab.deliver_corpus("alice")
        self.lab.deliver_corpus("bob")

    def test_sigterm_with_open_sessions_deletes_nothing_and_exits_0(self):
        server = self.lab.start()
        before = self.lab.stored("alice")
        a = Raw(server.plain_port)
        self.addCleanup(a.close)
        self.assertTrue(a.login("alice", "alice-pw").startswith(b"+OK"))
        self.assertTrue(a.cmd("DELE 1").startswith(b"+OK"))
        idle = Raw(server.tls_port, self.lab.client_context())
        self.addCleanup(idle.close)
        took = server.assert_stops_cleanly(self)
        self.assertLess(took, 3.0, "open sessions should not need the grace period")
        # The client is told, with a response code, and the connection ends.
        reply = a.line()
        self.assertTrue(reply.startswith(b"-ERR [SYS/TEMP]"), reply)
        self.assertEqual(self.lab.stored("alice"), before)
        self.assertIn("stopped", server.proc.stdout.read().decode())

    def test_sigterm_with_a_stalled_reader_exits_0(self):
        # A client that asked for 2 MB and reads nothing: the server's write blocks. It must
        # still stop within its grace period (5 s), with status 0, deleting nothing.
        server = self.lab.start()
        before = self.lab.stored("bob")
        r = Raw(server.plain_port)
        self.addCleanup(r.close)
        r.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.assertTrue(r.login("bob", "bob-pw").startswith(b"+OK"))
        self.assertTrue(r.cmd("DELE 1").startswith(b"+OK"))
        # 20 MB asked for, more than the kernel's socket buffers hold.
        r.send(b"RETR 7\r\n" * 10)
        time.sleep(0.5)
        took = server.assert_stops_cleanly(self, timeout=15)
        sys.stderr.write("\n  SIGTERM with a stalled reader: exit after %.2f s\n" % took)
        self.assertEqual(self.lab.stored("bob"), before)

    def test_new_connections_refused_after_sigterm(self):
        server = self.lab.start()
        port = server.plain_port
        server.assert_stops_cleanly(self)
        with self.assertRaises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=5).close()


class AutologoutTest(unittest.TestCase):
    def test_autologout_never_reaches_update(self):
        lab = Lab(self)
        lab.add_user("alice", "alice-pw", "PLAIN")
        lab.deliver_corpus("alice")
        before = lab.stored("alice")
        # Below RFC 1939's 10 minutes only in the lab profile.
        server = lab.start("--profile", "lab", "--autologout", "1")
        r = Raw(server.plain_port)
        self.addCleanup(r.close)
        self.assertTrue(r.login("alice", "alice-pw").startswith(b"+OK"))
        self.assertTrue(r.cmd("DELE 2").startswith(b"+OK"))
        start = time.monotonic()
        lines = []
        try:
            while True:
                lines.append(r.line())
        except (EOFError, ConnectionResetError):
            pass
        waited = time.monotonic() - start
        self.assertGreaterEqual(waited, 0.9)
        self.assertLess(waited, 5)
        self.assertTrue(lines and lines[0].startswith(b"-ERR"), lines)
        self.assertEqual(lab.stored("alice"), before)
        server.assert_stops_cleanly(self)

    def test_short_autologout_refused_outside_the_lab_profile(self):
        lab = Lab(self)
        lab.add_user("alice", "alice-pw", "PLAIN")
        server = lab.start("--autologout", "60", wait=False)
        self.assertEqual(server.proc.wait(30), 2)
        self.assertIn("10 minutes", server.log())


class ConnectionLimitTest(unittest.TestCase):
    def test_per_address_limit(self):
        lab = Lab(self)
        lab.add_user("alice", "alice-pw", "PLAIN")
        server = lab.start(policy={"max_connections_per_address": 2})
        a = Raw(server.plain_port)
        b = Raw(server.plain_port)
        self.addCleanup(a.close)
        self.addCleanup(b.close)
        self.assertTrue(a.greeting.startswith(b"+OK"))
        self.assertTrue(b.greeting.startswith(b"+OK"))
        c = Raw(server.plain_port)
        self.addCleanup(c.close)
        self.assertTrue(c.greeting.startswith(b"-ERR [SYS/TEMP]"), c.greeting)
        a.cmd("QUIT")
        a.close()
        # A slot is free again once the server has seen the QUIT through.
        deadline = time.monotonic() + 5
        while True:
            d = Raw(server.plain_port)
            ok = d.greeting.startswith(b"+OK")
            d.close()
            if ok or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        self.assertTrue(ok)
        server.assert_stops_cleanly(self)


class ReloadTest(unittest.TestCase):
    """SIGHUP re-reads the users file."""

    def setUp(self):
        self.lab = Lab(self)
        self.lab.add_user("alice", "alice-pw", "PLAIN")
        self.lab.deliver("alice", b"Subject: x\n\nbody\n")
        self.lab.ensure_maildir("newbie")
        self.server = self.lab.start()

    def reload(self):
        before = self.server.log().count("event=users-loaded")
        os.kill(self.server.pid, signal.SIGHUP)
        deadline = time.monotonic() + 10
        while self.server.log().count("event=users-loaded") <= before:
            self.assertLess(time.monotonic(), deadline, "no reload after SIGHUP")
            time.sleep(0.02)

    def test_reload_adds_and_removes_users(self):
        r = Raw(self.server.plain_port)
        self.assertTrue(r.login("newbie", "newbie-pw").startswith(b"-ERR"))
        r.close()
        self.lab.users.write_text("newbie:{PLAIN}newbie-pw\n")
        self.reload()
        r = Raw(self.server.plain_port)
        self.assertTrue(r.login("newbie", "newbie-pw").startswith(b"+OK"))
        r.cmd("QUIT")
        r.close()
        r = Raw(self.server.plain_port)
        self.assertTrue(r.login("alice", "alice-pw").startswith(b"-ERR"))
        r.close()
        self.server.assert_stops_cleanly(self)

    def test_sessions_open_across_a_reload(self):
        # A session that began before the reload must go on working after it: here one in
        # AUTHORIZATION (it will use the mechanisms), and one in TRANSACTION.
        waiting = Raw(self.server.plain_port)
        self.addCleanup(waiting.close)
        inside = Raw(self.server.plain_port)
        self.addCleanup(inside.close)
        self.assertTrue(inside.login("alice", "alice-pw").startswith(b"+OK"))
        self.lab.users.write_text("alice:{PLAIN}alice-pw\nnewbie:{PLAIN}newbie-pw\n")
        self.reload()
        try:
            self.assertTrue(waiting.cmd("CAPA").startswith(b"+OK"))
            waiting.multiline()
            self.assertTrue(waiting.login("newbie", "newbie-pw").startswith(b"+OK"))
            self.assertTrue(waiting.cmd("QUIT").startswith(b"+OK"))
            self.assertTrue(inside.cmd("STAT").startswith(b"+OK"))
            self.assertTrue(inside.cmd("QUIT").startswith(b"+OK"))
        except (EOFError, ConnectionError) as e:
            self.fail("the server dropped a session open across SIGHUP (%s):\n%s" % (e, self.server.diagnosis()))
        self.server.assert_stops_cleanly(self)


class PortZeroTest(unittest.TestCase):
    def test_two_servers_on_port_zero_get_distinct_ports(self):
        lab = Lab(self)
        lab.add_user("alice", "alice-pw", "PLAIN")
        s1 = lab.start()
        s2 = lab.start()
        ports = {s1.plain_port, s1.tls_port, s2.plain_port, s2.tls_port}
        self.assertEqual(len(ports), 4)
        for s in (s1, s2):
            r = Raw(s.plain_port)
            self.assertTrue(r.greeting.startswith(b"+OK"))
            r.close()
            t = Raw(s.tls_port, lab.client_context())
            self.assertTrue(t.greeting.startswith(b"+OK"))
            t.close()
        s1.assert_stops_cleanly(self)
        s2.assert_stops_cleanly(self)


if __name__ == "__main__":
    unittest.main()
