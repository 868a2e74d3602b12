"""Shared pieces of the `pop3-client shell` tests.

A `Lab` is a private directory with a users file (made with `pop3-server passwd`), a mail
root and a running pop3-server on 127.0.0.1 with ports the OS picks; `run_script()` pipes a
script into `pop3-client shell`; `Terminal` runs the shell in a pseudo-terminal. The binaries
come from $POP3_CLIENT and $POP3_SERVER (ctest sets them). Every process started here is
killed on cleanup.

Python standard library only.
"""

import os
import re
import select
import shutil
import signal
import subprocess
import tempfile
import time
import unittest
from pathlib import Path

USER = "alice"
PASSWORD = "Tr0ub4dor&3-shell"


def binary(variable):
    path = os.environ.get(variable)
    if not path:
        raise unittest.SkipTest("set %s to the binary" % variable)
    return path


def client_binary():
    return binary("POP3_CLIENT")


def server_binary():
    return binary("POP3_SERVER")


def message(n, subject, body):
    return (b"From: Sender <sender%d@pop3lab.test>\nTo: alice@pop3lab.test\nSubject: " % n +
            subject + b"\nMessage-ID: <shell.%d@pop3lab.test>\n\n" % n + body)


class Lab:
    """A temporary directory with users, mail and one pop3-server."""

    def __init__(self, testcase):
        self.dir = Path(tempfile.mkdtemp(prefix="pop3lab-shell-"))
        self.users = self.dir / "users"
        self.mail = self.dir / "mail"
        self.mail.mkdir()
        self.home = self.dir / "home"
        self.home.mkdir()
        self.server = None
        self.plain_port = None
        self.tls_port = None
        self._counter = 0
        testcase.addCleanup(self.cleanup)

    def cleanup(self):
        if self.server and self.server.poll() is None:
            self.server.send_signal(signal.SIGTERM)
            try:
                self.server.wait(10)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait(10)
        if self.server and self.server.stdout:
            self.server.stdout.close()
        if os.environ.get("POP3LAB_KEEP_TMP"):
            print("kept", self.dir)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)

    @property
    def cert(self):
        return self.dir / "pop3lab-cert.pem"

    def add_user(self, name=USER, password=PASSWORD):
        pw = self.dir / ("pw-" + name)
        pw.write_text(password + "\n")
        os.chmod(pw, 0o600)
        r = subprocess.run([server_binary(), "passwd", name, "--users", str(self.users), "--scheme", "PLAIN",
                            "--password-file", str(pw)], capture_output=True, timeout=60)
        if r.returncode != 0:
            raise AssertionError("pop3-server passwd failed: %r %r" % (r.stdout, r.stderr))
        for sub in ("tmp", "new", "cur"):
            (self.maildir(name) / sub).mkdir(parents=True, exist_ok=True)

    def maildir(self, name=USER):
        return self.mail / name / "Maildir"

    def deliver(self, data, name=USER):
        self._counter += 1
        unique = "%d.M%dP%d.shelltest" % (1700000000 + self._counter, self._counter, os.getpid())
        tmp = self.maildir(name) / "tmp" / unique
        tmp.write_bytes(data)
        os.rename(tmp, self.maildir(name) / "new" / unique)
        return unique

    def stored(self, name=USER):
        md = self.maildir(name)
        return sorted(p.name.split(":")[0] for sub in ("new", "cur") for p in (md / sub).iterdir())

    def start(self):
        args = [server_binary(), "--listen", "127.0.0.1:0", "--tls-listen", "127.0.0.1:0",
                "--users", str(self.users), "--mail-root", str(self.mail), "--plaintext-auth", "allow",
                "--failed-login-delay-ms", "50"]
        log = open(self.dir / "server.log", "wb")
        self.server = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=log, stdin=subprocess.DEVNULL)
        log.close()
        line = read_line(self.server.stdout.fileno(), 30.0)
        m = re.match(r"pop3-server: accepting connections on (.*)$", line)
        if not m:
            raise AssertionError("unexpected first line %r" % line)
        self.plain_port = int(re.search(r"127\.0\.0\.1:(\d+) \(plaintext, STLS\)", line).group(1))
        self.tls_port = int(re.search(r"127\.0\.0\.1:(\d+) \(TLS\)", line).group(1))

    def url(self, tls=False, user=USER):
        if tls:
            return "pop3s://%s@127.0.0.1:%d" % (user, self.tls_port)
        return "pop3://%s@127.0.0.1:%d" % (user, self.plain_port)

    def env(self, password=None):
        env = dict(os.environ)
        env.pop("POP3_PASSWORD", None)
        env.pop("SSLKEYLOGFILE", None)
        env.pop("XDG_STATE_HOME", None)
        env["HOME"] = str(self.home)
        if password is not None:
            env["POP3_PASSWORD"] = password
        return env

    def run_script(self, script, *args, url=None, password=PASSWORD, cafile=True, timeout=60):
        """Pipes `script` into `pop3-client shell`; returns the CompletedProcess (text)."""
        cmd = [client_binary(), "shell", url or self.url()]
        if cafile:
            cmd += ["--cafile", str(self.cert)]
        cmd += list(args)
        return subprocess.run(cmd, input=script, capture_output=True, text=True, env=self.env(password),
                              timeout=timeout)


def read_line(fd, timeout):
    deadline = time.monotonic() + timeout
    buf = b""
    while not buf.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError("no line within %.0f s (got %r)" % (timeout, buf))
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            chunk = os.read(fd, 1)
            if not chunk:
                raise AssertionError("the process exited before printing a line (got %r)" % buf)
            buf += chunk
    return buf.decode("utf-8", "replace").rstrip("\r\n")


class Terminal:
    """`pop3-client shell` in a pseudo-terminal that is also its controlling terminal, so
    that the password prompt (which opens /dev/tty) talks to it as well."""

    def __init__(self, testcase, lab, *args, url=None):
        import pty
        cmd = [client_binary(), "shell", url or lab.url(), "--cafile", str(lab.cert)] + list(args)
        env = lab.env()
        env["TERM"] = "xterm"
        env["COLUMNS"] = "200"
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child
            try:
                os.execve(cmd[0], cmd, env)
            finally:
                os._exit(127)
        self.output = b""
        self.status = None
        testcase.addCleanup(self.close)

    def read_until(self, needle, timeout=30.0):
        """Reads until `needle` (bytes or str) has appeared after what was already consumed."""
        if isinstance(needle, str):
            needle = needle.encode()
        start = getattr(self, "_mark", 0)
        deadline = time.monotonic() + timeout
        while needle not in self.output[start:]:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("waited %.0f s for %r; output so far:\n%s"
                                     % (timeout, needle, self.text()))
            ready, _, _ = select.select([self.fd], [], [], min(left, 0.2))
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    chunk = b""
                if not chunk:
                    raise AssertionError("the shell ended while waiting for %r; output:\n%s"
                                         % (needle, self.text()))
                self.output += chunk
        self._mark = self.output.index(needle, start) + len(needle)
        return self.output[start:self._mark]

    # As pexpect's delaybeforesend: a prompt is printed a moment before the line editor
    # puts the terminal in raw mode, and keys typed in between are handled by the kernel's
    # line discipline (a Ctrl-D there becomes a literal character in the next line).
    DELAY_BEFORE_SEND = 0.1

    def type(self, text):
        time.sleep(self.DELAY_BEFORE_SEND)
        os.write(self.fd, text.encode())

    def eof(self, timeout=30.0):
        """Ctrl-D until the shell exits, then its exit status. A Ctrl-D typed while the
        shell switches the terminal between cooked and raw mode is consumed by the line
        discipline; a person cannot type that fast, a test can, so it repeats."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            time.sleep(self.DELAY_BEFORE_SEND)
            os.write(self.fd, b"\x04")
            try:
                return self.wait(timeout=1.0)
            except AssertionError:
                continue
        raise AssertionError("the shell did not exit on Ctrl-D; output:\n%s" % self.text())

    def wait(self, timeout=30.0):
        """Reads everything until the shell exits; returns its exit status."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    chunk = b""
                if chunk:
                    self.output += chunk
                    continue
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(status)
                return self.status
        raise AssertionError("the shell did not exit; output:\n%s" % self.text())

    def text(self):
        return self.output.decode("utf-8", "replace")

    def close(self):
        if self.status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            self.status = -9
        try:
            os.close(self.fd)
        except OSError:
            pass
