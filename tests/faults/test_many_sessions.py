"""1,000 sessions at once, with random disconnects.

1,000 clients (asyncio, one process) connect to one pop3-server and log in, over 800 users,
so some get [IN-USE]; once all are in, each does a random mix of STAT, LIST, UIDL, RETR
(checked byte for byte), DELE, RSET and NOOP, and ends one of five ways: QUIT with its +OK
read (its DELEs are committed), QUIT and vanish before the reply (committed or not, all or
nothing), a close, a reset, or a reset in the middle of a RETR (nothing deleted). At the end
every message not deleted by a completed QUIT is there byte for byte, none twice, every
committed one is gone, and the server still answers.

The server's default limit is 100 connections from one address; every client here is
127.0.0.1, so the test's config raises `max_connections_per_address` to 2000."""

import asyncio
import os
import random
import socket
import struct
import sys
import time
import unittest

from faultfixture import (Lab, Raw, assert_no_sanitizer_report, check_maildrop, dot_stuff, labs_in_memory, labs_on_disk,
                          message, proc_status, raise_nofile, wire)

SESSIONS = 1000
USERS = 800
PER_USER = 4
TIMEOUT = 30


def setUpModule():
    labs_in_memory()  # 4,000 directories: removing them from a busy disk takes long


def tearDownModule():
    labs_on_disk()


class Session:
    def __init__(self, index, user, rng):
        self.index = index
        self.user = user
        self.rng = rng
        self.marked = set()
        self.outcome = None     # "committed", "uncertain", "dropped", "in-use"
        self.retrieved = 0


class ManySessionsTest(unittest.TestCase):
    def setUp(self):
        raise_nofile(4 * SESSIONS + 1024)
        self.lab = Lab(self)
        self.mail = {}
        lines = []
        for u in range(USERS):
            user = "u%d" % u
            lines.append("%s:{PLAIN}pw-%d" % (user, u))
            self.mail[user] = {}
            for n in range(1, PER_USER + 1):
                data = message(user, n, 40 * 1024 if n == PER_USER and u % 10 == 0 else 0)
                self.mail[user][self.lab.deliver(user, data)] = data
        self.lab.users.write_text("\n".join(lines) + "\n")
        os.chmod(self.lab.users, 0o600)
        config = self.lab.write_config("[policy]\nmax_connections_per_address = 2000\nmax_connections = 2000\n"
                                       "penalty_step_ms = 0\n")
        self.server = self.lab.start(config=config, quiet=True)
        self.addCleanup(self.server.kill)

    async def reply(self, reader):
        line = await asyncio.wait_for(reader.readline(), TIMEOUT)
        if not line.endswith(b"\r\n"):
            raise EOFError("connection closed: %r" % line)
        return line[:-2]

    async def multiline(self, reader):
        out = []
        while True:
            line = await asyncio.wait_for(reader.readline(), TIMEOUT)
            if not line:
                raise EOFError("connection closed inside a multi-line reply")
            if line == b".\r\n":
                return b"".join(out)
            out.append(line)

    async def cmd(self, s, reader, writer, text):
        writer.write(text.encode() + b"\r\n")
        return await self.reply(reader)

    @staticmethod
    def reset(writer):
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.transport.abort()

    async def run_session(self, s, logged_in, go):
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection("127.0.0.1", self.server.plain_port, limit=1 << 20), TIMEOUT)
        try:
            greeting = await self.reply(reader)
            assert greeting.startswith(b"+OK"), greeting
            assert (await self.cmd(s, reader, writer, "USER " + s.user)).startswith(b"+OK")
            reply = await self.cmd(s, reader, writer, "PASS pw-%s" % s.user[1:])
            logged_in()
            await go.wait()
            if reply.startswith(b"-ERR [IN-USE]"):
                s.outcome = "in-use"
                await self.cmd(s, reader, writer, "QUIT")
                return
            assert reply.startswith(b"+OK"), reply
            names = sorted(self.mail[s.user])
            for _ in range(s.rng.randint(1, 8)):
                await asyncio.sleep(s.rng.uniform(0, 0.01))
                op = s.rng.choice(["STAT", "LIST", "UIDL", "RETR", "RETR", "DELE", "DELE", "NOOP", "RSET"])
                n = s.rng.randint(1, PER_USER)
                if op in ("LIST", "UIDL"):
                    assert (await self.cmd(s, reader, writer, op)).startswith(b"+OK")
                    body = await self.multiline(reader)
                    assert body.count(b"\r\n") == PER_USER - len(s.marked), (op, body)
                elif op == "RETR":
                    r = await self.cmd(s, reader, writer, "RETR %d" % n)
                    if names[n - 1] in s.marked:
                        assert r.startswith(b"-ERR"), r
                    else:
                        assert r.startswith(b"+OK"), r
                        body = await self.multiline(reader)
                        assert body == dot_stuff(wire(self.mail[s.user][names[n - 1]])), "RETR %d differs" % n
                        s.retrieved += 1
                elif op == "DELE":
                    r = await self.cmd(s, reader, writer, "DELE %d" % n)
                    assert r.startswith(b"-ERR" if names[n - 1] in s.marked else b"+OK"), r
                    s.marked.add(names[n - 1])
                elif op == "RSET":
                    assert (await self.cmd(s, reader, writer, "RSET")).startswith(b"+OK")
                    s.marked.clear()
                else:
                    assert (await self.cmd(s, reader, writer, op)).startswith(b"+OK")
            ending = s.rng.choice(["quit", "quit", "quit-drop", "close", "reset", "mid-retr"])
            if ending == "quit":
                assert (await self.cmd(s, reader, writer, "QUIT")).startswith(b"+OK")
                s.outcome = "committed"
            elif ending == "quit-drop":
                writer.write(b"QUIT\r\n")
                await writer.drain()
                s.outcome = "uncertain"
                self.reset(writer) if s.rng.random() < 0.5 else writer.close()
            elif ending == "mid-retr":
                s.outcome = "dropped"
                writer.write(b"RSET\r\nRETR %d\r\n" % PER_USER)
                s.marked.clear()
                await self.reply(reader)
                await self.reply(reader)
                await asyncio.wait_for(reader.read(100), TIMEOUT)
                self.reset(writer)
            else:
                s.outcome = "dropped"
                self.reset(writer) if ending == "reset" else writer.close()
        finally:
            writer.close()

    async def wave(self, sessions):
        logged = 0
        go = asyncio.Event()

        def logged_in():
            nonlocal logged
            logged += 1
            if logged == len(sessions):
                go.set()

        results = await asyncio.gather(*(self.run_session(s, logged_in, go) for s in sessions),
                                        return_exceptions=True)
        return [(s, r) for s, r in zip(sessions, results) if isinstance(r, BaseException)]

    def test_a_thousand_sessions_with_random_disconnects_lose_and_duplicate_nothing(self):
        rng = random.Random(int(os.environ.get("POP3LAB_FAULTS_SEED", "1939")))
        sessions = [Session(i, "u%d" % (i % USERS), random.Random(rng.random())) for i in range(SESSIONS)]
        before = proc_status(self.server.pid, "VmRSS")
        start = time.monotonic()
        failures = asyncio.run(self.wave(sessions))
        took = time.monotonic() - start
        if failures:
            s, e = failures[0]
            self.fail("%d sessions failed; the first, #%d (%s): %r\n%s"
                      % (len(failures), s.index, s.user, e, self.server.diagnosis()))

        # The server is still answering, and has let go of every maildrop.
        deadline = time.monotonic() + 10
        for user in ("u0", "u%d" % (USERS - 1)):
            while True:
                r = Raw(self.server.plain_port, timeout=10)
                reply = r.login(user, "pw-%s" % user[1:])
                r.close()
                if reply.startswith(b"+OK") or time.monotonic() > deadline:
                    break
                time.sleep(0.05)
            self.assertTrue(reply.startswith(b"+OK"), reply)
        peak = proc_status(self.server.pid, "VmHWM")
        self.server.assert_stops_cleanly(self)
        assert_no_sanitizer_report(self, self.server)

        counts = {}
        for s in sessions:
            counts[s.outcome] = counts.get(s.outcome, 0) + 1
        deleted = 0
        for user, originals in self.mail.items():
            mine = [s for s in sessions if s.user == user]
            committed = set().union(*(s.marked for s in mine if s.outcome == "committed"))
            uncertain = [s.marked for s in mine if s.outcome == "uncertain"]
            gone = check_maildrop(self, self.lab, user, originals, gone=committed,
                                  maybe_gone=set().union(*uncertain) if uncertain else set())
            for marks in uncertain:
                self.assertIn(gone & marks, (set(), marks), "%s: a QUIT that was cut off deleted part of its marks"
                              % user)
            deleted += len(gone)
        sys.stderr.write("\n  %d sessions at once over %d users in %.1f s: %s; %d RETRs checked; %d messages "
                         "deleted of %d; server RSS %.1f MiB before, peak %.1f MiB\n"
                         % (SESSIONS, USERS, took, ", ".join("%s %d" % kv for kv in sorted(counts.items())),
                            sum(s.retrieved for s in sessions), deleted, USERS * PER_USER, before / 1024,
                            peak / 1024))


if __name__ == "__main__":
    unittest.main()
