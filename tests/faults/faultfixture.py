"""What the fault tests share, on top of tests/server/serverfixture.py (imported from there,
not copied): the pop3-client binary, deterministic messages, exact checks of a maildrop
and of a client's Maildir against the originals, the server's memory from /proc, a check
for sanitizer reports in the server's log, a private tmpfs, and the descriptor limit.

Python standard library only; run with Debian's /usr/bin/python3.
"""

import os
import resource
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "server"))

from serverfixture import (REPO, Lab, Raw, die_with_parent, dot_stuff, lf_form,  # noqa: E402,F401
                           server_binary, wire)

SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                   "WARNING: ThreadSanitizer")


def client_binary():
    path = os.environ.get("POP3_CLIENT")
    if path:
        return path
    for candidate in ("build/faults", "build/dev", "build/ci"):
        p = REPO / candidate / "client" / "pop3-client"
        if p.exists():
            return str(p)
    raise unittest.SkipTest("set POP3_CLIENT to the pop3-client binary")


def run_client(*args, password, timeout=120):
    env = dict(os.environ, POP3_PASSWORD=password)
    return subprocess.run([client_binary()] + [str(a) for a in args], env=env, capture_output=True,
                          timeout=timeout, stdin=subprocess.DEVNULL, preexec_fn=die_with_parent())


def start_client(*args, password):
    env = dict(os.environ, POP3_PASSWORD=password)
    return subprocess.Popen([client_binary()] + [str(a) for a in args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, preexec_fn=die_with_parent())


def describe(r):
    return "exit %d\nstdout: %s\nstderr: %s" % (r.returncode, r.stdout.decode(errors="replace")[-1500:],
                                                 r.stderr.decode(errors="replace")[-1500:])


def message(tag, n, size=0):
    """A message as a delivery agent stores it (LF line ends, a final LF), so a client that
    stores LF (pop3-client) must store exactly these bytes. Lines starting with a dot now and
    then; `size` pads the body with 76-octet lines up to about that many octets."""
    head = (b"From: sender%d@faults.test\nTo: %s@faults.test\nSubject: %s message %d\n"
            b"Message-ID: <%s.%d@faults.test>\n\n" % (n, tag.encode(), tag.encode(), n, tag.encode(), n))
    body = b"".join(b"line %d of %s message %d\n" % (i, tag.encode(), n) for i in range(1 + n % 13))
    if n % 4 == 1:
        body += b".\n..\n.starts with a dot\n"
    filler = []
    total = len(head) + len(body)
    i = 0
    while total < size:
        line = (b"%s-%d-%d-" % (tag.encode(), n, i) * 8)[:75] + b"\n"
        if i % 500 == 250:
            line = b"." + line[1:]
        filler.append(line)
        total += len(line)
        i += 1
    return head + body + b"".join(filler)


def deliver_many(lab, user, tag, count, size=0):
    """Delivers `count` messages; returns {unique name: bytes} (delivery order = name order)."""
    out = {}
    for n in range(1, count + 1):
        data = message(tag, n, size)
        out[lab.deliver(user, data)] = data
    return out


def maildrop_files(testcase, maildir):
    """{unique name: bytes} of the messages in a maildrop's new/ and cur/. The server moves
    new/X to cur/X:2, by link, fsync, unlink; a kill in between leaves one file under both
    names, which its next login finishes moving (libpop3 maildir snapshot.cpp). That counts
    as one message; two different files with one unique name are a duplicate."""
    out, inodes = {}, {}
    for sub in ("new", "cur"):
        d = Path(maildir) / sub
        if not d.is_dir():
            continue
        for entry in d.iterdir():
            if entry.name.startswith(".") or not entry.is_file():
                continue
            unique = entry.name.split(":", 1)[0]
            inode = entry.stat().st_ino
            if unique in out:
                testcase.assertEqual(inode, inodes[unique], "two different files with one unique name: %s" % unique)
                continue
            out[unique], inodes[unique] = entry.read_bytes(), inode
    return out


def check_maildrop(testcase, lab, user, originals, gone=(), maybe_gone=()):
    """The maildrop holds exactly `originals` minus `gone`; each of `maybe_gone` is whole or
    absent; nothing else is there (no duplicate, no partial file), and tmp/ is empty.
    Returns the set of names actually gone."""
    stored = maildrop_files(testcase, lab.maildir(user))
    gone, maybe_gone = set(gone), set(maybe_gone)
    testcase.assertEqual(set(stored) - set(originals), set(), "files in %s's maildrop that were never delivered" % user)
    for name, data in originals.items():
        if name in gone:
            testcase.assertNotIn(name, stored, "%s: message %s deleted by a completed QUIT is still there" % (user, name))
        elif name in maybe_gone:
            if name in stored:
                testcase.assertEqual(stored[name], data, "%s: message %s is not whole" % (user, name))
        else:
            testcase.assertIn(name, stored, "%s: message %s was lost" % (user, name))
            testcase.assertEqual(stored[name], data, "%s: message %s changed" % (user, name))
    tmp = lab.maildir(user) / "tmp"
    testcase.assertEqual(sorted(p.name for p in tmp.iterdir()) if tmp.is_dir() else [], [],
                         "%s: files left in tmp/" % user)
    return set(originals) - set(stored)


def client_store(maildir):
    """[(file name, bytes)] of every message in a client's Maildir (new/ and cur/), and the
    names left in its tmp/."""
    files = []
    for sub in ("new", "cur"):
        d = Path(maildir) / sub
        if d.is_dir():
            files += [(f.name, f.read_bytes()) for f in sorted(d.iterdir()) if f.is_file()]
    tmp = Path(maildir) / "tmp"
    return files, sorted(p.name for p in tmp.iterdir()) if tmp.is_dir() else []


def check_client_store(testcase, maildir, expected, empty_tmp_files_allowed=False):
    """The client's Maildir holds each of `expected` (bytes as delivered) exactly once,
    byte for byte, nothing else, and no partial file in tmp/. A client killed between
    creating its tmp/ file and journaling it leaves an empty file there that no later run
    can know is its own: `empty_tmp_files_allowed` accepts those (Maildir readers never
    look in tmp/)."""
    files, tmp = client_store(maildir)
    if empty_tmp_files_allowed:
        tmp = [name for name in tmp if (Path(maildir) / "tmp" / name).stat().st_size != 0]
    testcase.assertEqual(tmp, [], "partial files left in the client's tmp/")
    got = sorted(data for _, data in files)
    want = sorted(lf_form(d) for d in expected)
    if got != want:
        dup = len(got) - len(set(got))
        missing = len([d for d in want if d not in got])
        extra = len([d for d in got if d not in want])
        testcase.fail("client store: %d files for %d messages; %d duplicated, %d missing, %d unexpected"
                      % (len(got), len(want), dup, missing, extra))


def proc_status(pid, field):
    """A size field of /proc/PID/status (VmRSS, VmHWM) in KiB; 0 if the process is gone."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def sanitizer_report(server):
    log = server.log()
    return next((mark for mark in SANITIZER_MARKS if mark in log), None)


def assert_no_sanitizer_report(testcase, server):
    mark = sanitizer_report(server)
    if mark:
        testcase.fail("the server's log holds a sanitizer report (%s):\n%s" % (mark, server.diagnosis()))


def raise_nofile(wanted):
    """Raises this process's descriptor limit (inherited by the servers it starts) to at
    least `wanted`, or skips the test if the hard limit is lower."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft >= wanted:
        return soft
    if hard != resource.RLIM_INFINITY and hard < wanted:
        raise unittest.SkipTest("RLIMIT_NOFILE hard limit %d < %d" % (hard, wanted))
    resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    return wanted


def sanitized(server):
    """Whether the server runs under ASan/TSan: their allocators keep freed memory in a
    quarantine, so its RSS says nothing about what the server itself holds on to."""
    try:
        with open("/proc/%d/maps" % server.pid) as f:
            maps = f.read()
    except OSError:
        return False
    return "libasan" in maps or "libtsan" in maps


def labs_in_memory():
    """For setUpModule: labs (users, maildirs, client stores) go to /dev/shm when it is
    there. Tests that make thousands of files or fsync thousands of times would otherwise
    spend their time waiting for a busy disk; what the programs do is the same."""
    if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK):
        tempfile.tempdir = "/dev/shm"


def labs_on_disk():
    """For tearDownModule: undoes labs_in_memory()."""
    tempfile.tempdir = None
