"""A small private tmpfs for the full-disk tests.

`Tmpfs(path, size)` mounts a tmpfs of `size` on `path` and unmounts it on close(), always
(lazily if it is busy). That needs CAP_SYS_ADMIN: root does it directly; otherwise
`rerun_in_mount_namespace()` runs the calling test module again under `unshare -rm` (a
private user and mount namespace, where the test process may mount), and the tests skip
with the reason when neither works.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

IN_NAMESPACE = "POP3LAB_FAULTS_IN_MOUNT_NAMESPACE"


def _mount(args):
    return subprocess.run(["mount"] + args, capture_output=True, timeout=30)


def can_mount():
    """None if this process can mount a tmpfs, else why not."""
    probe = tempfile.mkdtemp(prefix="pop3lab-mount-probe-")
    try:
        r = _mount(["-t", "tmpfs", "-o", "size=64k", "tmpfs", probe])
        if r.returncode != 0:
            return "mount -t tmpfs: %s" % r.stderr.decode(errors="replace").strip()
        subprocess.run(["umount", probe], capture_output=True, timeout=30)
        return None
    except (OSError, subprocess.TimeoutExpired) as e:
        return "mount -t tmpfs: %s" % e
    finally:
        os.rmdir(probe)


def rerun_in_mount_namespace(module, timeout=300):
    """Runs `python3 -m unittest -v MODULE` under `unshare -rm`; returns (why not, result):
    `why not` is a reason to skip when unshare itself is refused."""
    if os.environ.get(IN_NAMESPACE):
        return "no mount inside the private namespace either", None
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True, timeout=30)
    if probe.returncode != 0:
        return "unshare -rm: %s" % probe.stderr.decode(errors="replace").strip(), None
    env = dict(os.environ, **{IN_NAMESPACE: "1"})
    result = subprocess.run(["unshare", "-rm", sys.executable, "-m", "unittest", "-v", module],
                            cwd=str(Path(__file__).resolve().parent), env=env, capture_output=True,
                            timeout=timeout)
    return None, result


class Tmpfs:
    def __init__(self, path, size, inodes=None):
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        options = "size=%d,mode=0700" % size + (",nr_inodes=%d" % inodes if inodes else "")
        r = _mount(["-t", "tmpfs", "-o", options, "tmpfs", str(self.path)])
        if r.returncode != 0:
            raise RuntimeError("mount -t tmpfs -o %s: %s" % (options, r.stderr.decode(errors="replace")))
        self.mounted = True

    def resize(self, size, inodes=None):
        """Makes room (a tmpfs can grow in place)."""
        options = "remount,size=%d" % size + (",nr_inodes=%d" % inodes if inodes else "")
        r = _mount(["-o", options, str(self.path)])
        if r.returncode != 0:
            raise RuntimeError("mount -o %s: %s" % (options, r.stderr.decode(errors="replace")))

    def free_octets(self):
        st = os.statvfs(self.path)
        return st.f_bavail * st.f_frsize

    def close(self):
        if not self.mounted:
            return
        r = subprocess.run(["umount", str(self.path)], capture_output=True, timeout=30)
        if r.returncode != 0:
            subprocess.run(["umount", "-l", str(self.path)], capture_output=True, timeout=30)
        self.mounted = False
