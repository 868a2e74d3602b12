"""A private Dovecot for tests (see /work/shared/notes/dovecot-as-a-test-peer.md): its own
config file, runtime directories under the test's directory, 127.0.0.1 only, mail owned by
Debian's `mail` user (uid 8; Dovecot refuses uid 0), auth penalty and stats off. Started with
`dovecot -F -c FILE` as a child of the test; stopped with SIGTERM to the master, and SIGKILL
by PID for anything left."""

import os
import pwd
import signal
import socket
import subprocess
import time
from pathlib import Path

from serverfixture import die_with_parent

DOVECOT = "/usr/sbin/dovecot"
DOVEADM = "/usr/bin/doveadm"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children_of(pid):
    """PIDs whose parent is `pid` (read from /proc: no name matching)."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[1]) == pid:
            out.append(int(entry))
    return out


def doveadm_pw(scheme, password):
    """What `doveadm pw` writes for PASSWORD in SCHEME, e.g. {SHA512-CRYPT}$6$..."""
    r = subprocess.run([DOVEADM, "pw", "-s", scheme, "-p", password], capture_output=True, timeout=60)
    if r.returncode != 0:
        raise AssertionError("doveadm pw failed: %r" % r.stderr)
    return r.stdout.decode().strip()


def available():
    if not os.path.exists(DOVECOT):
        return "dovecot is not installed (scripts/install-deps installs dovecot-core, dovecot-pop3d)"
    if os.geteuid() != 0:
        return "a private Dovecot here needs root (mail owned by uid 8, auth reading a 0600 file)"
    try:
        pwd.getpwnam("mail")
    except KeyError:
        return "no 'mail' user"
    if not os.path.exists("/usr/lib/dovecot/pop3"):
        return "dovecot-pop3d is not installed"
    return None


class Dovecot:
    def __init__(self, lab, users_file, mail_root, cert, key):
        self.lab = lab
        self.dir = Path(lab.dir) / "dovecot"
        self.dir.mkdir(exist_ok=True)
        os.chmod(self.dir, 0o755)
        self.plain_port = free_port()
        self.tls_port = free_port()
        self.mail_root = Path(mail_root)
        mail = pwd.getpwnam("mail")
        self.uid, self.gid = mail.pw_uid, mail.pw_gid
        self.config = self.dir / "dovecot.conf"
        self.config.write_text(CONFIG % dict(
            instance="pop3lab-test-%d" % os.getpid(), dir=self.dir, plain=self.plain_port,
            tls=self.tls_port, users=users_file, mail=self.mail_root, cert=cert, key=key,
            uid=self.uid, gid=self.gid))
        self.proc = None

    def log(self):
        try:
            return (self.dir / "dovecot.log").read_text(errors="replace")
        except OSError:
            return ""

    def chown_mail(self):
        """Dovecot reads and writes mail as uid 8: hand it the mail tree."""
        for root, dirs, files in os.walk(self.mail_root):
            os.chown(root, self.uid, self.gid)
            for name in files + dirs:
                os.lchown(os.path.join(root, name), self.uid, self.gid)

    def start(self, timeout=20.0):
        self.chown_mail()
        out = open(self.dir / "dovecot.stdout", "wb")
        self.proc = subprocess.Popen([DOVECOT, "-F", "-c", str(self.config)], stdout=out,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     preexec_fn=die_with_parent(signal.SIGTERM))
        out.close()
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("dovecot exited with %r:\n%s\n%s" % (
                    self.proc.returncode, (self.dir / "dovecot.stdout").read_text(errors="replace"), self.log()))
            try:
                # Ready means: the greeting came (auth is up). Then QUIT politely.
                with socket.create_connection(("127.0.0.1", self.plain_port), timeout=5) as s:
                    f = s.makefile("rb")
                    greeting = f.readline()
                    if greeting.startswith(b"+OK"):
                        s.sendall(b"QUIT\r\n")
                        f.readline()
                        return
                    last = greeting
            except OSError as e:
                last = e
            time.sleep(0.1)
        self.stop()
        raise AssertionError("dovecot not ready within %.0f s (%r):\n%s" % (timeout, last, self.log()))

    def stop(self):
        if self.proc is None:
            return
        pid = self.proc.pid
        kids = children_of(pid)
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        # Anything of ours still alive after the master is gone: SIGKILL by PID.
        for k in kids:
            try:
                with open("/proc/%d/stat" % k) as f:
                    if ") Z " in f.read():
                        continue
                os.kill(k, signal.SIGKILL)
            except (OSError, ValueError):
                pass
        self.proc = None


CONFIG = """\
# A private Dovecot for pop3lab's interop tests. Never includes /etc/dovecot.
instance_name = %(instance)s
base_dir = %(dir)s/run
state_dir = %(dir)s/state
log_path = %(dir)s/dovecot.log
info_log_path = %(dir)s/dovecot.log
protocols = pop3
listen = 127.0.0.1
ssl = yes
ssl_cert = <%(cert)s
ssl_key = <%(key)s
ssl_dh = </usr/share/dovecot/dh.pem
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = no
auth_mechanisms = plain login cram-md5 apop scram-sha-256
auth_failure_delay = 0
stats_writer_socket_path =
first_valid_uid = %(uid)d
last_valid_uid = %(uid)d
first_valid_gid = %(gid)d
last_valid_gid = %(gid)d
mail_location = maildir:%(mail)s/%%n/Maildir
pop3_lock_session = yes
pop3_uidl_format = %%f
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%%n %(users)s
}
userdb {
  driver = static
  args = uid=%(uid)d gid=%(gid)d home=%(mail)s/%%n
}
service pop3-login {
  inet_listener pop3 {
    address = 127.0.0.1
    port = %(plain)d
  }
  inet_listener pop3s {
    address = 127.0.0.1
    port = %(tls)d
    ssl = yes
  }
}
service auth {
  user = root
}
service anvil {
  # Turns the per-IP auth penalty off: the auth process finds no penalty socket.
  unix_listener anvil-auth-penalty {
    path = anvil-auth-penalty-off
  }
}
"""
