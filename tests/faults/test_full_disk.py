"""A full disk during `pop3-client fetch --delete`: the client's Maildir (or mbox) is on a
small tmpfs this test mounts, with more mail on the server than fits. The client must stop
with a clear error and exit 20, DELE nothing (it never reaches QUIT), leave no partial file,
and keep its UIDL store true to what it stored. After room is made, the next runs fetch the
rest: every message exactly once in the client's store, byte for byte, and the server's
maildrop holds exactly what was not fetched yet (at the end, nothing).

Needs to mount a tmpfs: as root directly, otherwise in a private namespace (unshare -rm);
skipped, with the reason, when neither is allowed."""

import os
import re
import sys
import time
import unittest
from pathlib import Path

from faultfixture import (Lab, assert_no_sanitizer_report, check_maildrop, client_store, deliver_many,
                          describe, lf_form, run_client)
from tmpfs import Tmpfs, can_mount, rerun_in_mount_namespace

WHY_NOT_MOUNT = can_mount()
COUNT = 40
SIZE = 48 * 1024          # octets per message: 40 of them are about 2 MB
SMALL = 512 * 1024        # the first tmpfs: about ten messages fit
PASSWORD = "fill-pw"


def read_journal(path):
    """(seen UIDLs, {UIDL: target} of pendings without their seen) of a UIDL store."""
    lines = Path(path).read_text().splitlines()
    assert lines and lines[0] == "pop3lab-uidl 1", lines[:1]
    seen, pending = set(), {}
    for line in lines[1:]:
        if not line:
            continue
        words = line.split()
        if words[0] == "seen":
            seen.add(words[1])
            pending.pop(words[1], None)
        elif words[0] == "pending":
            pending[words[1]] = words[2]
        else:
            raise AssertionError("unknown journal line %r" % line)
    return seen, pending


def parse_mbox(data):
    """The messages of an mboxrd file as pop3-client writes it (separator line, the message
    with LF line ends and >From quoting, one blank line)."""
    if not data:
        return []
    assert data.startswith(b"From MAILER-DAEMON "), data[:60]
    parts = re.split(rb"(?:^|(?<=\n\n))From MAILER-DAEMON [^\n]*\n", data)[1:]
    out = []
    for p in parts:
        assert p.endswith(b"\n\n") or p == b"\n", "a message without its blank line: %r" % p[-40:]
        out.append(re.sub(rb"(?m)^>(>*From )", rb"\1", p[:-1]))
    return out


@unittest.skipIf(WHY_NOT_MOUNT and os.environ.get("POP3LAB_FAULTS_IN_MOUNT_NAMESPACE"), WHY_NOT_MOUNT)
class FullDiskTest(unittest.TestCase):
    def setUp(self):
        self.lab = Lab(self)
        self.lab.add_user("fill", PASSWORD, "PLAIN")
        self.originals = deliver_many(self.lab, "fill", "fill", COUNT, SIZE)
        self.by_content = {lf_form(d): name for name, d in self.originals.items()}
        self.server = self.lab.start(quiet=False)
        self.addCleanup(self.server.kill)
        self.disk = Tmpfs(self.lab.dir / "disk", SMALL)
        self.addCleanup(self.disk.close)  # runs before the lab's cleanup removes the directory

    def fetch(self, *target, store):
        url = "pop3://fill@localhost:%d" % self.server.plain_port
        start = time.monotonic()
        r = run_client("fetch", url, "--cafile", self.lab.cert, "--auth=USER", "--delete", *target,
                       "--uidl-store", store, password=PASSWORD)
        return r, time.monotonic() - start

    def stored_messages(self, kind, where):
        """[bytes] of the messages in the client's store; fails on a partial file."""
        if kind == "maildir":
            files, tmp = client_store(where)
            self.assertEqual(tmp, [], "a partial file left in the client's tmp/")
            return [data for _, data in files]
        return parse_mbox(Path(where).read_bytes()) if Path(where).exists() else []

    def check_consistent(self, kind, where, store, fetched_before):
        """After a run: every message stored is whole and one of the originals, none twice; the
        journal's `seen` (a Maildir pending counts if its file is in new/) is exactly what is
        stored; returns the UIDLs stored."""
        got = self.stored_messages(kind, where)
        names = []
        for data in got:
            self.assertIn(data, self.by_content, "the client stored something that is not a whole message")
            names.append(self.by_content[data])
        self.assertEqual(len(names), len(set(names)), "a message is stored twice")
        self.assertTrue(set(fetched_before) <= set(names), "a message stored earlier disappeared")
        seen, pending = read_journal(store)
        if kind == "maildir":
            present = {f for f, _ in client_store(where)[0]}
            for uidl, target in pending.items():
                unique = target.split(":", 1)[1]
                if any(p == unique or p.startswith(unique + ",") or p.startswith(unique + ":") for p in present):
                    seen.add(uidl)
        self.assertEqual(seen, set(names), "the UIDL store does not match the messages stored")
        return names

    def exercise(self, kind, store_on_disk=False, inodes=None):
        disk = self.disk.path
        if inodes:
            self.disk.resize(64 * 1024 * 1024, inodes=inodes)
        where = disk / "Maildir" if kind == "maildir" else disk / "mail.mbox"
        target = ("--maildir", where) if kind == "maildir" else ("--mbox", where)
        store = (disk if store_on_disk else self.lab.dir) / "uidls"

        # 1. The disk fills up part-way: exit 20, nothing deleted, whole messages only.
        r, t1 = self.fetch(*target, store=store)
        self.assertEqual(r.returncode, 20, describe(r))
        self.assertIn(b"cannot store mail (nothing was deleted)", r.stderr)
        self.assertRegex(r.stderr.decode(errors="replace"), "No space left on device|ENOSPC")
        check_maildrop(self, self.lab, "fill", self.originals)
        first = self.check_consistent(kind, where, store, [])
        self.assertGreater(len(first), 0, "nothing fit at all: the test's sizes are wrong")
        self.assertLess(len(first), COUNT)

        # 2. A little more room: again part-way; what was stored is not fetched twice.
        if not inodes:
            self.disk.resize(SMALL + 4 * SIZE)
        else:
            self.disk.resize(64 * 1024 * 1024, inodes=inodes + 3)
        r, t2 = self.fetch(*target, store=store)
        self.assertEqual(r.returncode, 20, describe(r))
        check_maildrop(self, self.lab, "fill", self.originals)
        second = self.check_consistent(kind, where, store, first)
        self.assertGreater(len(second), len(first))

        # 3. Room for everything: the rest is fetched, then everything is deleted on QUIT.
        self.disk.resize(64 * 1024 * 1024, inodes=10 * COUNT if inodes else None)
        r, t3 = self.fetch(*target, store=store)
        self.assertEqual(r.returncode, 0, describe(r))
        self.assertIn(b"%d fetched" % (COUNT - len(second)), r.stdout)
        self.assertIn(b"%d deleted" % COUNT, r.stdout)
        got = sorted(self.stored_messages(kind, where))
        self.assertEqual(got, sorted(lf_form(d) for d in self.originals.values()),
                         "the client's store does not hold every message exactly once")
        check_maildrop(self, self.lab, "fill", self.originals, gone=self.originals)
        self.assertEqual(read_journal(store), (set(), {}), "the UIDL store keeps UIDLs no longer on the server")
        self.server.assert_stops_cleanly(self)
        assert_no_sanitizer_report(self, self.server)
        sys.stderr.write("\n  full disk (%s%s%s): stored %d, then %d, then all %d; runs took %.2f %.2f %.2f s\n"
                         % (kind, ", UIDL store on the full disk" if store_on_disk else "",
                            ", %d inodes" % inodes if inodes else "", len(first), len(second), COUNT, t1, t2, t3))

    def test_full_disk_during_a_maildir_fetch_deletes_nothing_and_the_next_runs_fetch_each_message_once(self):
        self.exercise("maildir")

    def test_full_disk_holding_the_uidl_store_too_loses_and_duplicates_nothing(self):
        self.exercise("maildir", store_on_disk=True)

    def test_no_inodes_left_during_a_maildir_fetch_deletes_nothing(self):
        # The root, Maildir, tmp, new and cur take five inodes; each message one more.
        self.exercise("maildir", inodes=12)

    def test_full_disk_during_an_mbox_fetch_leaves_only_whole_messages(self):
        self.exercise("mbox")


def load_tests(loader, tests, pattern):
    """Without the right to mount here, the whole module runs again in a private mount
    namespace (unshare -rm), reported as one test."""
    if WHY_NOT_MOUNT is None or os.environ.get("POP3LAB_FAULTS_IN_MOUNT_NAMESPACE"):
        return loader.loadTestsFromTestCase(FullDiskTest)
    return loader.loadTestsFromTestCase(InNamespace)


class InNamespace(unittest.TestCase):
    def test_full_disk_in_a_private_mount_namespace(self):
        why_not, result = rerun_in_mount_namespace("test_full_disk")
        if why_not:
            self.skipTest("cannot mount a tmpfs (%s) nor use a private namespace (%s)" % (WHY_NOT_MOUNT, why_not))
        sys.stderr.write(result.stderr.decode(errors="replace"))
        self.assertEqual(result.returncode, 0, "the tests in the private namespace failed")


if __name__ == "__main__":
    unittest.main()
