"""Shared fixture for the pop3-server interop tests.

A `Lab` is a private directory with a users file, a mail root and (optionally) a config
file; `Lab.start()` runs the real pop3-server binary (`$POP3_SERVER`) on 127.0.0.1 with
ports the OS picks, and parses the ports from the server's first line of output. Every
process started here is killed on cleanup, whatever happened.

Python standard library only; run with Debian's /usr/bin/python3.
"""

import os
import re
import select
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent


def server_binary():
    path = os.environ.get("POP3_SERVER")
    if path:
        return path
    for candidate in ("build/interop", "build/dev", "build/ci", "build/release"):
        p = REPO / candidate / "server" / "pop3-server"
        if p.exists():
            return str(p)
    raise unittest.SkipTest("set POP3_SERVER to the pop3-server binary")


def die_with_parent(sig=signal.SIGKILL):
    """A preexec_fn: the child gets `sig` when the test process dies (ctest's timeout, ^C),
    so no server outlives its test."""
    def set_pdeathsig():
        import ctypes
        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
    return set_pdeathsig


def wire(message: bytes) -> bytes:
    """The wire form of a stored message (docs/maildir.md, "Sizes"): every LF not preceded by
    CR becomes CRLF, and a non-empty message not ending in LF gets a final line end."""
    out = re.sub(rb"(?<!\r)\n", b"\r\n", message)
    if out and not out.endswith(b"\n"):
        out += b"\n" if out.endswith(b"\r") else b"\r\n"
    return out


def dot_stuff(wire_form: bytes) -> bytes:
    """The multi-line body as it crosses the wire, terminator excluded."""
    lines = wire_form.split(b"\r\n")
    assert lines[-1] == b""
    return b"".join((b"." + l if l.startswith(b".") else l) + b"\r\n" for l in lines[:-1])


def lf_form(message: bytes) -> bytes:
    """What clients that store LF line ends (fetchmail's MDA, mpop's Maildir) receive."""
    return wire(message).replace(b"\r\n", b"\n")


# --- the test corpus ---------------------------------------------------------------------

def _msg(n, subject, body, extra_headers=b"", eol=b"\n"):
    head = (b"From: Sender %d <sender%d@pop3lab.test>\n" % (n, n) +
            b"To: alice@pop3lab.test\n" +
            b"Subject: " + subject + b"\n" +
            b"Date: Mon, 02 Nov 2026 09:%02d:00 +0000\n" % (n % 60) +
            b"Message-ID: <corpus.%d@pop3lab.test>\n" % n + extra_headers + b"\n")
    return head.replace(b"\n", eol) + body


def _big(n, size):
    # Deterministic base64-looking filler, 76 characters a line.
    alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    x = 2463534242
    lines = []
    total = 0
    while total < size:
        line = bytearray(76)
        for i in range(76):
            x ^= (x << 13) & 0xFFFFFFFF
            x ^= x >> 17
            x ^= (x << 5) & 0xFFFFFFFF
            line[i] = alphabet[x % 64]
        # Now and then a line that starts with a dot, deep inside the message.
        if len(lines) % 997 == 500:
            line[0:1] = b"."
        lines.append(bytes(line) + b"\n")
        total += 77
    return _msg(n, b"A large message (about %d KiB)" % (size // 1024), b"".join(lines))


def corpus():
    """(label, bytes) pairs, in delivery order: the tricky cases real servers get wrong."""
    return [
        ("plain-lf", _msg(1, b"Plain LF message", b"Hello Alice,\n\nThis is a plain message.\n")),
        ("dots", _msg(2, b"Lines that begin with a dot",
                      b"Next a lone dot:\n.\nTwo dots:\n..\nThree:\n...\n.hidden\n. space\n"
                      b"and a dot at the end of a line.\n")),
        ("utf8", _msg(3, b"=?UTF-8?Q?Gr=C3=BC=C3=9Fe?=",
                      "Grüße aus Köln! Ça va? Привет. こんにちは。\n\xa0non-breaking space\n".encode(),
                      b"MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n"
                      b"Content-Transfer-Encoding: 8bit\n")),
        ("crlf", _msg(4, b"Stored with CRLF line ends",
                      b"Line one\r\n.dot line\r\nLine three\r\n", eol=b"\r\n")),
        ("no-final-newline", _msg(5, b"No final newline", b"The last line has no line end")),
        ("ends-in-lone-dot", _msg(6, b"Ends in a lone dot without newline", b"Above a lone dot\n.")),
        ("big", _big(7, 2 * 1024 * 1024)),
        ("empty-body", _msg(8, b"Empty body", b"")),
        ("mixed-eol", _msg(9, b"Mixed line ends", b"lf line\ncrlf line\r\nlf again\n..\r\nend\n")),
        ("long-line", _msg(10, b"A 998-octet line", b"x" * 998 + b"\n" + b"." + b"y" * 997 + b"\n")),
        ("blank-lines", _msg(11, b"Blank lines at the end", b"text\n\n\n\n")),
    ]


# --- the lab: users, mail, the server process -------------------------------------------

class ServerProcess:
    def __init__(self, proc, lab, log_path, plain_port, tls_port, feed_port=None):
        self.proc = proc
        self.lab = lab
        self.log_path = log_path
        self.plain_port = plain_port
        self.tls_port = tls_port
        self.feed_port = feed_port

    @property
    def pid(self):
        return self.proc.pid

    def log(self):
        try:
            return Path(self.log_path).read_text(errors="replace")
        except OSError:
            return ""

    def stop(self, timeout=5.0):
        """SIGTERM, then wait; returns the exit status (kills it if it does not exit)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
                raise AssertionError("pop3-server did not exit within %.1f s of SIGTERM" % timeout)
        return self.proc.returncode

    def diagnosis(self):
        """The interesting part of the log of a server that failed: sanitizer reports first."""
        log = self.log()
        i = log.find("ERROR: AddressSanitizer")
        if i < 0:
            i = log.find("runtime error:")
        if i >= 0:
            # The sanitizer's summary, then each stack (access, freed by, allocated by) cut
            # down to the frames in pop3lab's own sources.
            lines = log[i:].splitlines()
            out = [l for l in lines if l.startswith("SUMMARY:")] + [lines[0]]
            for l in lines[1:]:
                stripped = l.strip()
                if stripped.startswith("#"):
                    if "/server/src/" in l or "/libpop3/" in l or "/client/src/" in l:
                        out.append("    " + stripped[:240])
                elif stripped:
                    if stripped.startswith(("READ", "WRITE", "freed by", "previously allocated")):
                        out.append("  " + stripped)
            return "\n".join(out)
        return log[-4000:]

    def assert_stops_cleanly(self, testcase, timeout=10.0):
        """SIGTERM; the server must exit with status 0 within `timeout` seconds."""
        start = time.monotonic()
        rc = self.stop(timeout)
        took = time.monotonic() - start
        if rc != 0:
            testcase.fail("pop3-server exited with status %r after SIGTERM (%.2f s):\n%s"
                          % (rc, took, self.diagnosis()))
        return took

    def stop_or_raise(self, timeout=10.0):
        """For tearDownClass: like assert_stops_cleanly, without a test case."""
        rc = self.stop(timeout)
        if rc != 0:
            raise AssertionError("pop3-server exited with status %r after SIGTERM:\n%s" % (rc, self.diagnosis()))

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        for f in (self.proc.stdout,):
            if f:
                f.close()


class Lab:
    """A temporary lab directory: users file, mail root, certificate, server processes."""

    def __init__(self, testcase=None):
        self.dir = Path(tempfile.mkdtemp(prefix="pop3lab-interop-"))
        # 0755, so that a Dovecot running mail as uid 8 can traverse it.
        os.chmod(self.dir, 0o755)
        self.users = self.dir / "users"
        self.mail_root = self.dir / "mail"
        self.mail_root.mkdir()
        self.cert = self.dir / "pop3lab-cert.pem"
        self.servers = []
        self.passwords = {}
        self._counter = 0
        if testcase is not None:
            testcase.addCleanup(self.cleanup)

    def cleanup(self):
        for s in self.servers:
            s.kill()
        if os.environ.get("POP3LAB_KEEP_TMP"):
            print("kept", self.dir)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)

    # users ------------------------------------------------------------------------------

    def add_user(self, name, password, scheme="PLAIN"):
        """Adds a user with `pop3-server passwd` (the password through POP3_PASSWORD)."""
        env = dict(os.environ, POP3_PASSWORD=password)
        r = subprocess.run([server_binary(), "passwd", name, "--users", str(self.users),
                            "--scheme", scheme], env=env, capture_output=True, timeout=60)
        if r.returncode != 0:
            raise AssertionError("pop3-server passwd failed: %r %r" % (r.stdout, r.stderr))
        self.passwords[name] = password
        return r

    def add_user_line(self, line, name, password):
        """Adds a line written by hand (or by `doveadm pw`)."""
        with open(self.users, "a") as f:
            f.write(line.rstrip("\n") + "\n")
        os.chmod(self.users, 0o600)
        self.passwords[name] = password

    # mail -------------------------------------------------------------------------------

    def maildir(self, user):
        return self.mail_root / user / "Maildir"

    def ensure_maildir(self, user):
        md = self.maildir(user)
        for sub in ("tmp", "new", "cur"):
            (md / sub).mkdir(parents=True, exist_ok=True)
        return md

    def deliver(self, user, data, name=None):
        """Delivers `data` as a Maildir file; returns its unique name. Names carry increasing
        timestamps, so the server numbers messages in delivery order."""
        md = self.ensure_maildir(user)
        self._counter += 1
        if name is None:
            name = "%d.M%06dP%dQ%d.interop.test" % (1700000000 + self._counter, self._counter,
                                                   os.getpid(), self._counter)
        tmp = md / "tmp" / name
        with open(tmp, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o600)
        os.rename(tmp, md / "new" / name)
        return name

    def deliver_corpus(self, user):
        """Delivers corpus(); returns [(label, unique name, bytes)] in message-number order."""
        return [(label, self.deliver(user, data), data) for label, data in corpus()]

    def stored(self, user):
        """{unique name: bytes} of the messages now in the Maildir (new/ and cur/)."""
        out = {}
        md = self.maildir(user)
        for sub in ("new", "cur"):
            d = md / sub
            if not d.is_dir():
                continue
            for entry in d.iterdir():
                if entry.name.startswith(".") or not entry.is_file():
                    continue
                unique = entry.name.split(":", 1)[0]
                assert unique not in out, "two files with one unique name: %s" % unique
                out[unique] = entry.read_bytes()
        return out

    # the server -------------------------------------------------------------------------

    def write_config(self, text):
        path = self.dir / "pop3-server.toml"
        path.write_text(text)
        return path

    def start(self, *extra, delay_ms=100, plaintext="allow", lockout_after=None,
              config=None, policy=None, tls=True, trace=None, feed=False, quiet=False, wait=True):
        """Starts pop3-server on 127.0.0.1:0 (and a TLS listener on 127.0.0.1:0). `policy` is
        a dict written as the [policy] table of a TOML config file (e.g. penalty_step_ms)."""
        if policy is not None:
            assert config is None
            lines = ["[policy]"]
            for k, v in policy.items():
                lines.append("%s = %s" % (k, ('"%s"' % v) if isinstance(v, str) else str(v).lower()))
            config = self.write_config("\n".join(lines) + "\n")
        args = [server_binary(), "--listen", "127.0.0.1:0",
                "--users", str(self.users), "--mail-root", str(self.mail_root),
                "--plaintext-auth", plaintext, "--failed-login-delay-ms", str(delay_ms)]
        if tls:
            args += ["--tls-listen", "127.0.0.1:0"]
        if lockout_after is not None:
            args += ["--lockout-after", str(lockout_after)]
        if config is not None:
            args += ["--config", str(config)]
        if trace is not None:
            args += ["--trace", str(trace)]
        if feed:
            args += ["--trace-feed", "127.0.0.1:0"]
        if quiet:
            args += ["--quiet"]
        args += list(extra)
        log_path = self.dir / ("server-%d.log" % (len(self.servers) + 1))
        log = open(log_path, "wb")
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=log, stdin=subprocess.DEVNULL,
                                preexec_fn=die_with_parent())
        log.close()
        server = ServerProcess(proc, self, log_path, None, None)
        self.servers.append(server)
        if not wait:
            return server
        first = _read_line(proc, 30.0)
        m = re.match(r"pop3-server: accepting connections on (.*)$", first)
        if not m:
            server.kill()
            raise AssertionError("unexpected first line %r; log:\n%s" % (first, server.log()))
        plain = re.findall(r"127\.0\.0\.1:(\d+) \(plaintext, STLS\)", m.group(1))
        secure = re.findall(r"127\.0\.0\.1:(\d+) \(TLS\)", m.group(1))
        server.plain_port = int(plain[0]) if plain else None
        server.tls_port = int(secure[0]) if secure else None
        for p in (server.plain_port, server.tls_port):
            if p == 0:
                server.kill()
                raise AssertionError("the server reports port 0: %r" % first)
        if feed:
            line = _read_line(proc, 10.0)
            fm = re.match(r"pop3-server: live trace feed on 127\.0\.0\.1:(\d+)", line)
            if not fm:
                server.kill()
                raise AssertionError("unexpected trace feed line %r" % line)
            server.feed_port = int(fm.group(1))
        return server

    def client_context(self, check_hostname=True):
        ctx = ssl.create_default_context(cafile=str(self.cert))
        ctx.check_hostname = check_hostname
        return ctx


def _read_line(proc, timeout):
    """One line of the server's stdout, without blocking forever."""
    deadline = time.monotonic() + timeout
    buf = b""
    fd = proc.stdout.fileno()
    while not buf.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError("pop3-server printed no line within %.0f s (got %r)" % (timeout, buf))
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            continue
        chunk = os.read(fd, 1)
        if not chunk:
            raise AssertionError("pop3-server exited (status %r) before printing its ports; output %r"
                                 % (proc.wait(5), buf))
        buf += chunk
    return buf.decode("utf-8", "replace").rstrip("\r\n")


# --- a raw POP3 client, for what real clients hide -----------------------------------------

class Raw:
    """A line-level POP3 connection: exact bytes in, exact bytes out."""

    def __init__(self, port, tls_context=None, timeout=30.0):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        if tls_context is not None:
            self.sock = tls_context.wrap_socket(self.sock, server_hostname="localhost")
        self.buf = b""
        self.greeting = self.line()

    def send(self, data: bytes):
        self.sock.sendall(data)

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise EOFError("connection closed; buffered %r" % self.buf[:200])
        self.buf += chunk

    def line(self) -> bytes:
        while b"\r\n" not in self.buf:
            self._fill()
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def cmd(self, text: str) -> bytes:
        self.send(text.encode() + b"\r\n")
        return self.line()

    def multiline(self) -> bytes:
        """The body of a multi-line reply exactly as sent (dot-stuffed), terminator removed."""
        while True:
            if self.buf.startswith(b".\r\n"):
                self.buf = self.buf[3:]
                return b""
            i = self.buf.find(b"\r\n.\r\n")
            if i >= 0:
                body, self.buf = self.buf[:i + 2], self.buf[i + 5:]
                return body
            self._fill()

    def login(self, user, password):
        r = self.cmd("USER " + user)
        assert r.startswith(b"+OK"), r
        return self.cmd("PASS " + password)

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def port_is_free(port):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


# --- comparing what clients stored ---------------------------------------------------------

def first_difference(got: bytes, expected: bytes) -> str:
    n = next((i for i, (a, b) in enumerate(zip(got, expected)) if a != b), min(len(got), len(expected)))
    return ("%d vs %d octets, first difference at offset %d: got %r, expected %r"
            % (len(got), len(expected), n, got[max(0, n - 20):n + 40], expected[max(0, n - 20):n + 40]))


def assert_same_bytes(testcase, got: bytes, expected: bytes, what: str):
    if got != expected:
        testcase.fail("%s differs: %s" % (what, first_difference(got, expected)))


def strip_received(data: bytes, eol=b"\n"):
    """Removes the one Received: header a fetching client prepends (with its folded lines);
    fails if the data does not start with one."""
    assert data.startswith(b"Received: "), data[:80]
    lines = data.split(eol)
    i = 1
    while i < len(lines) and lines[i][:1] in (b" ", b"\t"):
        i += 1
    return lines[0:i], eol.join(lines[i:])


def message_id(data: bytes) -> bytes:
    m = re.search(rb"(?im)^Message-ID: (<[^>]*>)", data)
    assert m, data[:200]
    return m.group(1)


def server_log_count(server, needle):
    return server.log().count(needle)


# --- SASL from the client side, for servers poplib cannot log in to -----------------------

def auth_plain(raw, user, password):
    """AUTH PLAIN with an initial response (RFC 4616, RFC 5034)."""
    import base64
    token = base64.b64encode(b"\0" + user.encode() + b"\0" + password.encode()).decode()
    return raw.cmd("AUTH PLAIN " + token)


def auth_scram_sha256(raw, user, password):
    """A minimal SCRAM-SHA-256 client (RFC 5802, RFC 7677) over POP3 AUTH (RFC 5034).
    Returns the final reply; raises AssertionError if the server's signature is wrong."""
    import base64
    import hashlib
    import hmac
    b64 = lambda b: base64.b64encode(b).decode()
    reply = raw.cmd("AUTH SCRAM-SHA-256")
    if not reply.startswith(b"+"):
        return reply
    cnonce = b64(os.urandom(18))
    first_bare = "n=%s,r=%s" % (user.replace("=", "=3D").replace(",", "=2C"), cnonce)
    reply = raw.cmd(b64(("n,," + first_bare).encode()))
    if not reply.startswith(b"+ "):
        return reply
    server_first = base64.b64decode(reply[2:]).decode()
    attrs = dict(kv.split("=", 1) for kv in server_first.split(","))
    assert attrs["r"].startswith(cnonce), server_first
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), base64.b64decode(attrs["s"]), int(attrs["i"]))
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    stored_key = hashlib.sha256(client_key).digest()
    final_wo_proof = "c=biws,r=" + attrs["r"]
    auth_message = ",".join((first_bare, server_first, final_wo_proof)).encode()
    signature = hmac.new(stored_key, auth_message, hashlib.sha256).digest()
    proof = bytes(a ^ b for a, b in zip(client_key, signature))
    reply = raw.cmd(b64((final_wo_proof + ",p=" + b64(proof)).encode()))
    if not reply.startswith(b"+ "):
        return reply
    server_final = base64.b64decode(reply[2:]).decode()
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()
    expected = "v=" + b64(hmac.new(server_key, auth_message, hashlib.sha256).digest())
    assert server_final == expected, "server signature %r, expected %r" % (server_final, expected)
    return raw.cmd("")
