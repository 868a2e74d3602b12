"""pop3-server listens on IPv6 as on IPv4: one process, a [::1] listener and a 127.0.0.1
listener, both serving the same maildrop (skipped where the machine has no ::1)."""

import poplib
import re
import socket
import subprocess
import unittest

from serverfixture import Lab, server_binary, wire


def ipv6_loopback():
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
        return None
    except OSError as e:
        return "no IPv6 loopback here: %s" % e


WHY_NOT = ipv6_loopback()


@unittest.skipIf(WHY_NOT, WHY_NOT)
class Ipv6Test(unittest.TestCase):
    def test_the_same_maildrop_over_ipv6_and_ipv4(self):
        lab = Lab(self)
        lab.add_user("alice", "alice-pw", "PLAIN")
        data = b"Subject: over v6\n\n.dot\nbody\n"
        lab.deliver("alice", data)
        proc = subprocess.Popen([server_binary(), "--listen", "[::1]:0", "--listen", "127.0.0.1:0",
                                 "--users", str(lab.users), "--mail-root", str(lab.mail_root),
                                 "--plaintext-auth", "allow", "--quiet"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
        try:
            first = proc.stdout.readline().decode()
            v6 = re.search(r"\[::1\]:(\d+) \(plaintext, STLS\)", first)
            v4 = re.search(r"127\.0\.0\.1:(\d+) \(plaintext, STLS\)", first)
            self.assertTrue(v6 and v4, first)
            for host, port in (("::1", int(v6.group(1))), ("127.0.0.1", int(v4.group(1)))):
                with self.subTest(host=host):
                    p = poplib.POP3(host, port, timeout=10)
                    p.user("alice")
                    p.pass_("alice-pw")
                    resp, lines, octets = p.retr(1)
                    self.assertEqual(b"\r\n".join(lines) + b"\r\n", wire(data))
                    p.quit()
        finally:
            proc.terminate()
            self.assertEqual(proc.wait(15), 0, proc.stderr.read().decode(errors="replace"))


if __name__ == "__main__":
    unittest.main()
