"""The private Dovecot that bench/compare measures against: tests/server/dovecotfixture.py's
Dovecot (start, readiness, stop), with a configuration of its own for benchmarking. Every
setting that differs from Dovecot 2.3's defaults is listed, with its reason, in
docs/performance.md ("Dovecot's settings")."""

from dovecotfixture import Dovecot


class BenchDovecot(Dovecot):
    """Dovecot in its documented high-performance login mode, on the same users file and
    mail root as pop3-server."""

    def __init__(self, lab, users_file, mail_root, cert, key, login_clients=12000):
        super().__init__(lab, users_file, mail_root, cert, key)
        self.config.write_text(CONFIG % dict(
            instance="pop3lab-bench-%d" % id(self), dir=self.dir, plain=self.plain_port,
            tls=self.tls_port, users=users_file, mail=self.mail_root, cert=cert, key=key,
            uid=self.uid, gid=self.gid, login_clients=login_clients))

    def pids(self):
        return [self.proc.pid] if self.proc else []


CONFIG = """\
# pop3lab's benchmark peer (bench/compare). Never includes /etc/dovecot.
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
auth_mechanisms = plain login
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
# High-performance login mode (Dovecot's documentation, "Login processes"): long-lived
# login processes, one per core ready, each serving many connections.
service pop3-login {
  service_count = 0
  process_min_avail = 2
  process_limit = 8
  client_limit = %(login_clients)d
  vsz_limit = 1G
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
# Mail processes reused for up to 100 sessions instead of one process per session, and two
# kept ready: Dovecot's own advice for busy servers.
service pop3 {
  service_count = 100
  process_min_avail = 2
}
service auth {
  user = root
  client_limit = %(login_clients)d
}
service anvil {
  client_limit = %(login_clients)d
  # Turns the per-IP auth penalty off: the auth process finds no penalty socket.
  unix_listener anvil-auth-penalty {
    path = anvil-auth-penalty-off
  }
}
default_client_limit = %(login_clients)d
"""
