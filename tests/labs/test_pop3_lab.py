"""The pop3-lab program as a student and an instructor use it.

list, show, run (stepped through standard input, and --auto with its exit codes), check
against traces from pop3-lab and from pop3-client, and run --server against a real
pop3-server started here on 127.0.0.1.

Environment: POP3_LAB (the pop3-lab binary), POP3_SERVER (pop3-server), POP3_CLIENT
(pop3-client, optional), POP3LAB_LABS_DIR (the labs/ folder). Python 3 standard library
only; run with Debian's /usr/bin/python3.
"""

import os
import re
import shlex
import shutil
import signal
import stat
import subprocess
import tempfile
import time
import tomllib
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
TIMEOUT = 120


def binary(variable, *candidates):
    path = os.environ.get(variable)
    if path:
        return path
    for build in ("build/dev", "build/ci", "build/release"):
        for c in candidates:
            p = REPO / build / c
            if p.exists():
                return str(p)
    raise unittest.SkipTest("set %s to the binary" % variable)


def labs_dir():
    return os.environ.get("POP3LAB_LABS_DIR") or str(REPO / "labs")


def lab_titles():
    """{number: title} read from the lab files themselves."""
    titles = {}
    for toml in sorted(Path(labs_dir()).glob("*/lab.toml")):
        text = toml.read_text(encoding="utf-8")
        number = int(re.search(r"^number\s*=\s*(\d+)", text, re.M).group(1))
        titles[number] = re.search(r'^title\s*=\s*"(.*)"', text, re.M).group(1)
    return titles


def die_with_parent():
    """A preexec_fn: the child is killed when the test process dies (ctest's timeout, ^C)."""
    import ctypes
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)


class Pop3Lab(unittest.TestCase):
    def setUp(self):
        self.lab = binary("POP3_LAB", "labs/runner/pop3-lab")
        self.tmp = Path(tempfile.mkdtemp(prefix="pop3lab-lab-test-"))
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.env = dict(os.environ, POP3LAB_LABS_DIR=labs_dir())

    def pop3_lab(self, *args, stdin="", env=None, expect=None):
        r = subprocess.run([self.lab, *map(str, args)], input=stdin, capture_output=True, text=True,
                           timeout=TIMEOUT, env=env or self.env)
        if expect is not None:
            self.assertEqual(r.returncode, expect,
                             "pop3-lab %s\nstdout:\n%s\nstderr:\n%s" % (" ".join(map(str, args)), r.stdout, r.stderr))
        return r

    # --- list and show ---------------------------------------------------------------------

    def test_list_shows_labs_1_to_5(self):
        out = self.pop3_lab("list", expect=0).stdout
        titles = lab_titles()
        for n in range(1, 6):
            self.assertIn(n, titles)
            self.assertRegex(out, r"(?m)^\s*%d  %s  \(\d+ steps, \d+ checks\)$" % (n, re.escape(titles[n])))

    def test_show_prints_text_steps_and_checks(self):
        for n in range(1, 6):
            out = self.pop3_lab("show", n, expect=0).stdout
            self.assertTrue(out.startswith("Lab %d: " % n), out[:80])
            self.assertIn("Objectives:", out)
            self.assertIn("Steps:", out)
            self.assertIn("Checks:", out)

    def test_an_unknown_lab_is_an_error(self):
        r = self.pop3_lab("run", 99, "--auto", expect=1)
        self.assertIn("no lab 99", r.stderr)
        self.pop3_lab("run", expect=2)  # N is required

    # --- run ------------------------------------------------------------------------------

    def test_run_steps_through_standard_input(self):
        # Enter to begin, then for each step an answer (if asked) and Enter for the next.
        r = self.pop3_lab("run", 1, stdin="\n" + "my answer\n\n" * 20, expect=0)
        out = r.stdout
        self.assertIn("POP3 is one of the oldest protocols", out)  # the background comes first
        self.assertIn("Press Enter to begin", out)
        for k in range(1, 9):
            self.assertIn("Step %d/8" % k, out)
        self.assertIn("  question: What state is the session in after the greeting", out)
        self.assertIn("  your answer: ", out)
        self.assertIn("  answer: AUTHORIZATION.", out)
        self.assertIn("     C: PASS wonderland", out)
        self.assertIn("     S: -ERR", out)
        self.assertIn("eavesdropper: saw the PASS argument in clear", out)
        self.assertIn("[Enter] next step, q to stop", out)
        # The answer is shown after the student's attempt, not before.
        self.assertLess(out.index("your answer: "), out.index("  answer: AUTHORIZATION."))
        self.assertIn("Every check holds.", out)

    def test_q_stops_before_the_first_step(self):
        out = self.pop3_lab("run", 1, stdin="q\n", expect=0).stdout
        self.assertNotIn("Step 1/", out)

    def test_q_between_steps_stops_and_judges_what_was_done(self):
        # Begin, step 1 (answer, then q): the checks that need a login fail.
        out = self.pop3_lab("run", 1, stdin="\nanswer\nq\n", expect=1).stdout
        self.assertIn("Step 1/8", out)
        self.assertNotIn("Step 2/8", out)
        self.assertIn("[FAIL] The session reached TRANSACTION", out)
        self.assertIn("Some checks do not hold.", out)

    def test_run_auto_exits_0_for_every_lab(self):
        for n in sorted(lab_titles()):
            out = self.pop3_lab("run", n, "--auto", expect=0).stdout
            self.assertIn("Every check holds.", out)
            self.assertNotIn("[FAIL]", out)
            self.assertNotIn("your answer", out)  # --auto asks nothing

    def test_run_auto_exits_1_when_a_check_fails(self):
        # A copy of lab 1 whose student never sends PASS.
        root = self.tmp / "labs"
        shutil.copytree(Path(labs_dir()) / "01-first-contact", root / "01-first-contact")
        toml = root / "01-first-contact" / "lab.toml"
        text = toml.read_text(encoding="utf-8")
        text, n = re.subn(r'\[\[steps\]\]\naction = "send"\nline = "PASS wonderland"\n(?:(?!\[\[).*\n)*', "", text)
        self.assertEqual(n, 1)
        toml.write_text(text, encoding="utf-8")
        out = self.pop3_lab("run", 1, "--auto", env=dict(self.env, POP3LAB_LABS_DIR=str(root)), expect=1).stdout
        self.assertIn("[FAIL] The session reached TRANSACTION", out)
        self.assertIn("hint: USER alice, then PASS with the right password.", out)
        self.assertIn("Some checks do not hold.", out)

    def test_run_tls_shows_the_same_lab_one_switch_away(self):
        out = self.pop3_lab("run", 6, "--auto", "--tls", expect=0).stdout
        self.assertIn("One switch away: the same lab with STLS right after the greeting", out)
        self.assertIn("STLS (the switch: everything after this is encrypted)", out)
        self.assertIn("Without TLS and with TLS, side by side", out)
        self.assertRegex(out, r"The eavesdropper read Dave's real password\s+holds\s+does not   <- the switch")
        self.assertRegex(out, r"PASS argument\s+cleartext \"Summer2019!\"\s+encrypted \(\d+ octets of TLS\)")
        out = self.pop3_lab("run", 6, "--auto", "--tls=implicit", expect=0).stdout
        self.assertIn("on an implicit-TLS port", out)
        self.pop3_lab("run", 6, "--auto", "--tls=dtls", expect=2)

    def test_a_student_gets_their_own_values(self):
        a = self.pop3_lab("run", 6, "--auto", "--student", "s001", expect=0).stdout
        b = self.pop3_lab("run", 6, "--auto", "--student", "s002", expect=0).stdout
        pa = re.search(r"C: PASS (\S+)\n\s+S: \+OK", a).group(1)
        pb = re.search(r"C: PASS (\S+)\n\s+S: \+OK", b).group(1)
        self.assertNotEqual(pa, pb)
        self.assertIn("For student s001", a)
        # A trace of one student's run does not pass as another's.
        trace = self.tmp / "s001.jsonl"
        self.pop3_lab("run", 6, "--auto", "--student", "s001", "--trace", trace, expect=0)
        self.pop3_lab("check", 6, trace, "--student", "s001", expect=0)
        out = self.pop3_lab("check", 6, trace, "--student", "s002", expect=1).stdout
        self.assertIn("[FAIL] The eavesdropper read Dave's real password", out)
        # grade finds the student in the trace's label, whatever the file is called.
        renamed = self.tmp / "handed-in.jsonl"
        shutil.copy(trace, renamed)
        out = self.pop3_lab("grade", 6, renamed, expect=0).stdout
        self.assertRegex(out, r"(?m)^s001\s+(✓   ){8}8/8$")

    # --- check ----------------------------------------------------------------------------

    def trace_of(self, n):
        path = self.tmp / ("lab%d.jsonl" % n)
        out = self.pop3_lab("run", n, "--auto", "--trace", path, expect=0).stdout
        self.assertIn("Trace written to " + str(path), out)
        return path

    # --- captures for Wireshark ---------------------------------------------------------------

    def tshark(self, capture, *options):
        """tshark's one-line summary of every POP packet (Debian's tshark, installed by
        scripts/install-deps): Wireshark's own reading of the capture."""
        if not shutil.which("tshark"):
            self.skipTest("tshark is not installed (scripts/install-deps installs it)")
        r = subprocess.run(["tshark", "-n", "-r", str(capture), *options, "-Y", "pop", "-T", "fields",
                            "-e", "_ws.col.Info"],
                           capture_output=True, text=True, timeout=TIMEOUT)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout

    def client_stream(self, capture):
        """What the client sent on the capture's first TCP connection, reassembled by tshark
        (its "Follow TCP Stream": the client's segments are the lines not indented)."""
        r = subprocess.run(["tshark", "-n", "-r", str(capture), "-q", "-z", "follow,tcp,raw,0"],
                           capture_output=True, text=True, timeout=TIMEOUT)
        self.assertEqual(r.returncode, 0, r.stderr)
        body = r.stdout.split("Node 1:", 1)[1].split("\n", 1)[1]
        return bytes.fromhex("".join(line for line in body.splitlines()
                                     if line and not line.startswith(("\t", "=")) and ":" not in line))

    def test_pcap_of_a_plaintext_lab_shows_the_password_to_wireshark(self):
        capture = self.tmp / "lab6.pcap"
        out = self.pop3_lab("run", 6, "--auto", "--pcap", capture, expect=0).stdout
        self.assertRegex(out, r"Capture written to .*lab6\.pcap: 1 connection\(s\), \d+ packets")
        # Lab 6 cuts the link into 5-octet chunks: one TCP segment each, as the trace has them.
        self.assertIn("C: PASS ", self.tshark(capture))
        self.assertIn(b"USER dave\r\nPASS copper-7316\r\n", self.client_stream(capture))

    def test_pcap_of_a_tls_lab_is_ciphertext_until_wireshark_gets_the_key_log(self):
        capture, keys = self.tmp / "lab9.pcap", self.tmp / "lab9.keys"
        out = self.pop3_lab("run", 9, "--auto", "--pcap", capture, "--keylog", keys, expect=0).stdout
        self.assertIn("TLS key log written to", out)
        self.assertEqual(keys.stat().st_mode & 0o777, 0o600)  # session secrets: the owner's only
        self.assertRegex(keys.read_text(), r"(?m)^CLIENT_HANDSHAKE_TRAFFIC_SECRET [0-9a-f]{64} [0-9a-f]+$")
        # Without the keys Wireshark sees the STLS exchange in clear and nothing after it.
        blind = self.tshark(capture)
        self.assertIn("STLS", blind)
        self.assertNotIn("PASS", blind)
        # With them it reads the login and the message inside TLS.
        seeing = self.tshark(capture, "-o", "tls.keylog_file:" + str(keys))
        self.assertIn("PASS wonderland", seeing)
        self.assertIn("RETR 1", seeing)

    def test_pcap_holds_every_connection_of_a_lab(self):
        capture = self.tmp / "lab14.pcap"
        out = self.pop3_lab("run", 14, "--auto", "--pcap", capture, expect=0).stdout
        self.assertIn("3 connection(s)", out)
        r = subprocess.run(["tshark", "-n", "-r", str(capture), "-q", "-z", "conv,tcp"], capture_output=True,
                           text=True, timeout=TIMEOUT) if shutil.which("tshark") else None
        if r is None:
            self.skipTest("tshark is not installed")
        self.assertEqual(len(re.findall(r"127\.0\.0\.1:5000\d", r.stdout)), 3, r.stdout)
        # Every packet well formed as Wireshark judges it: good IPv4 and TCP checksums, and
        # no TCP analysis warning (no gap, overlap or out-of-order sequence number).
        def count(display_filter):
            r = subprocess.run(["tshark", "-n", "-r", str(capture), "-o", "ip.check_checksum:TRUE", "-o",
                                "tcp.check_checksum:TRUE", "-Y", display_filter], capture_output=True, text=True,
                               timeout=TIMEOUT)
            self.assertEqual(r.returncode, 0, r.stderr)
            return len(r.stdout.splitlines())
        total = count("frame")
        self.assertGreater(total, 30)
        self.assertEqual(count("ip.checksum.status == 1 && tcp.checksum.status == 1"), total)
        self.assertEqual(count("tcp.analysis.flags"), 0)

    def test_pcap_and_keylog_are_refused_against_a_real_server(self):
        r = self.pop3_lab("run", 1, "--auto", "--server", "pop3://127.0.0.1:1", "--pcap", self.tmp / "x.pcap",
                          expect=2)
        self.assertIn("tcpdump", r.stderr)

    def test_check_accepts_the_trace_of_its_own_run(self):
        for n in sorted(lab_titles()):
            out = self.pop3_lab("check", n, self.trace_of(n), expect=0).stdout
            self.assertIn("Every check holds.", out)

    def test_check_names_what_fails_on_another_labs_trace(self):
        out = self.pop3_lab("check", 1, self.trace_of(3), expect=1).stdout
        # Lab 3 never sends STAT before logging in, never LISTs... and ends without QUIT.
        self.assertIn("[FAIL] STAT before logging in was refused with -ERR", out)
        self.assertIn("[FAIL] QUIT in TRANSACTION took the session through UPDATE", out)
        self.assertIn("[ok]   The session reached TRANSACTION", out)
        self.assertIn("Some checks do not hold.", out)
        # And the other way round: lab 3's checks on lab 1's trace.
        out = self.pop3_lab("check", 3, self.trace_of(1), expect=1).stdout
        self.assertIn("[FAIL] The client never sent QUIT", out)
        self.assertIn("[FAIL] RSET was answered +OK: the marks were taken back", out)

    def test_check_a_doctored_trace(self):
        # Lab 1's own trace with every record of the login's success cut out.
        lines = self.trace_of(1).read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [l for l in lines if '"to":"TRANSACTION"' not in l]
        self.assertLess(len(kept), len(lines))
        doctored = self.tmp / "doctored.jsonl"
        doctored.write_text("".join(kept), encoding="utf-8")
        out = self.pop3_lab("check", 1, doctored, expect=1).stdout
        self.assertIn("[FAIL] The session reached TRANSACTION", out)
        self.assertEqual(out.count("[FAIL]"), 1, out)

    def test_check_a_missing_trace(self):
        r = self.pop3_lab("check", 1, self.tmp / "nothing.jsonl", expect=2)
        self.assertIn("cannot read", r.stderr)

    # --- against a real pop3-server -------------------------------------------------------

    def start_server(self):
        server = binary("POP3_SERVER", "server/pop3-server")
        log = open(self.tmp / "server.log", "w")
        self.addCleanup(log.close)
        proc = subprocess.Popen([server, "--lab-dir", str(self.tmp / "lab"), "--listen", "127.0.0.1:0",
                                 "--tls-listen", "127.0.0.1:0", "-q"],
                                stdout=subprocess.PIPE, stderr=log, stdin=subprocess.DEVNULL, text=True,
                                preexec_fn=die_with_parent)

        def stop():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            proc.stdout.close()
        self.addCleanup(stop)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            m = re.search(r"accepting connections on 127\.0\.0\.1:(\d+)", line)
            if m:
                self.server = proc
                return int(m.group(1))
        self.fail("pop3-server did not say where it listens; log:\n" + (self.tmp / "server.log").read_text())

    def test_run_against_a_real_server(self):
        port = self.start_server()
        url = "pop3://127.0.0.1:%d" % port
        out = self.pop3_lab("run", 1, "--server", url, expect=0).stdout
        self.assertIn("against " + url, out)
        self.assertIn("     S: +OK", out)
        self.assertIn("Checks (on the client's side of the conversation):", out)
        self.assertNotIn("[FAIL]", out)
        # Lab 5 asks nothing of the mail itself: it plays against a real server too.
        out = self.pop3_lab("run", 5, "--server", url, expect=0).stdout
        self.assertIn("-ERR [AUTH]", out)
        # Labs about their own messages refuse to run on a server that does not have them.
        for n in (2, 3, 4):
            r = self.pop3_lab("run", n, "--server", url, expect=2)
            self.assertIn("needs the simulator", r.stderr)
        # The server is still up and answers after all that.
        self.assertIsNone(self.server.poll())

    def test_check_a_pop3_client_trace_that_never_logs_in(self):
        client = os.environ.get("POP3_CLIENT")
        if not client:
            self.skipTest("set POP3_CLIENT to the pop3-client binary")
        port = self.start_server()
        trace = self.tmp / "client.jsonl"
        r = subprocess.run([client, "shell", "pop3://127.0.0.1:%d" % port, "--tls", "none", "--trace", str(trace)],
                           input="capa\nquit\n", capture_output=True, text=True, timeout=TIMEOUT)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        out = self.pop3_lab("check", 1, trace, expect=1).stdout
        self.assertIn("[FAIL] The session reached TRANSACTION", out)
        self.assertIn("[FAIL] The eavesdropper saw the password in clear", out)
        self.assertIn("[ok]   No message was deleted", out)
        # Lab 5's CAPA checks hold on it; its login checks do not.
        out = self.pop3_lab("check", 5, trace, expect=1).stdout
        self.assertIn("[ok]   The client asked for the server's capabilities", out)
        self.assertIn("[ok]   The server announced PIPELINING", out)
        self.assertIn("[FAIL] The wrong password was refused with the response code [AUTH]", out)


class Classroom(unittest.TestCase):
    """The instructor's tools end to end: pop3-lab class new makes a class of three on a real
    pop3-server, each student records a session with pop3-client using the handout's
    password, and pop3-lab grade judges the traces (terminal table and CSV)."""

    STUDENTS = ["Ada Lovelace", "alan.turing", "Grace Hopper"]

    def setUp(self):
        self.lab = binary("POP3_LAB", "labs/runner/pop3-lab")
        self.client = os.environ.get("POP3_CLIENT")
        if not self.client:
            self.skipTest("set POP3_CLIENT to the pop3-client binary")
        self.tmp = Path(tempfile.mkdtemp(prefix="pop3lab-class-test-"))
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.env = dict(os.environ, POP3LAB_LABS_DIR=labs_dir())

    def run_lab(self, *args, expect=0, env=None):
        r = subprocess.run([self.lab, *map(str, args)], capture_output=True, text=True, timeout=TIMEOUT,
                           env=env or self.env, cwd=self.tmp)
        self.assertEqual(r.returncode, expect, "pop3-lab %s\n%s\n%s" % (" ".join(map(str, args)), r.stdout, r.stderr))
        return r.stdout

    def make_class(self, seed=42):
        (self.tmp / "students.txt").write_text("# the class\n" + "\n".join(self.STUDENTS) + "\n\n", encoding="utf-8")
        return self.run_lab("class", "new", "--students", "students.txt", "--dir", "class", "--seed", seed,
                            "--lab", 6)

    def handout(self, user):
        text = (self.tmp / "class" / "handouts" / (user + ".txt")).read_text(encoding="utf-8")
        return re.search(r"^Password:  (\S+)$", text, re.M).group(1), text

    def start_server(self):
        server = binary("POP3_SERVER", "server/pop3-server")
        log = open(self.tmp / "server.log", "w")
        self.addCleanup(log.close)
        d = self.tmp / "class"
        proc = subprocess.Popen([server, "--users", str(d / "users"), "--mail-root", str(d / "mail"),
                                 "--listen", "127.0.0.1:0", "--tls-listen", "127.0.0.1:0",
                                 "--plaintext-auth", "allow", "-q"],
                                stdout=subprocess.PIPE, stderr=log, stdin=subprocess.DEVNULL, text=True,
                                preexec_fn=die_with_parent)

        def stop():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            proc.stdout.close()
        self.addCleanup(stop)
        line = proc.stdout.readline()
        m = re.search(r"accepting connections on 127\.0\.0\.1:(\d+)", line)
        if not m:
            self.fail("pop3-server did not start: %r\n%s" % (line, (self.tmp / "server.log").read_text()))
        return int(m.group(1))

    def record(self, user, password, port, *command):
        trace = self.tmp / (user + ".jsonl")
        r = subprocess.run([self.client, *command, "pop3://%s@127.0.0.1:%d" % (user, port), "--trace", str(trace)],
                           capture_output=True, text=True, timeout=TIMEOUT, cwd=self.tmp,
                           env=dict(os.environ, POP3_PASSWORD=password))
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        return trace, r.stdout

    def test_class_new_makes_accounts_maildirs_and_handouts(self):
        out = self.make_class()
        self.assertIn("Class of 3 in class (seed 42)", out)
        self.assertIn("pop3-server --users class/users --mail-root class/mail", out)
        self.assertIn("pop3-lab grade 6 TRACES... --class class", out)
        users = (self.tmp / "class" / "users").read_text(encoding="utf-8").splitlines()
        self.assertEqual(sorted(u.split(":")[0] for u in users), ["ada-lovelace", "alan.turing", "grace-hopper"])
        passwords = set()
        for line in users:
            user, field = line.split(":", 1)
            password, handout = self.handout(user)
            self.assertEqual(field, "{PLAIN}" + password)
            passwords.add(password)
            self.assertIn("User name: " + user, handout)
            self.assertIn("pop3-client list pop3://%s@localhost:1110" % user, handout)
            self.assertIn("--trace %s.jsonl" % user, handout)
            maildir = self.tmp / "class" / "mail" / user / "Maildir"
            self.assertEqual(len(list((maildir / "new").iterdir())), 2)  # lab 6's two messages
        self.assertEqual(len(passwords), 3)
        # The same seed makes the same passwords; another seed others.
        shutil.rmtree(self.tmp / "class")
        self.make_class()
        self.assertEqual(self.handout("alan.turing")[0], [p for p in passwords if p == self.handout("alan.turing")[0]][0])
        shutil.rmtree(self.tmp / "class")
        self.make_class(seed=7)
        self.assertNotIn(self.handout("alan.turing")[0], passwords)

    def test_a_name_with_quotes_dollars_and_accents_survives_class_toml_and_the_handout(self):
        name = "Zoë \"Zed\" O'Brien $HOME\\"
        (self.tmp / "students.txt").write_text(name + "\n", encoding="utf-8")
        self.run_lab("class", "new", "--students", "students.txt", "--dir", "class", "--seed", 42, "--lab", 6)
        class_toml = self.tmp / "class" / "class.toml"
        self.assertEqual(stat.S_IMODE(class_toml.stat().st_mode), 0o600)  # it holds the passwords
        with open(class_toml, "rb") as f:
            data = tomllib.load(f)  # a real TOML reader agrees with what pop3-lab wrote
        self.assertEqual(data["seed"], 42)
        self.assertEqual([(s["id"], s["user"]) for s in data["students"]], [(name, "zo-zed-o-brien-home")])
        # The handout's command lines give the shell the name as one argument, unexpanded.
        _, handout = self.handout("zo-zed-o-brien-home")
        practice = next(l for l in handout.splitlines() if "pop3-lab run 6" in l)
        args = shlex.split(practice)
        self.assertEqual(args[args.index("--student") + 1], name)
        trace = self.tmp / "practice.jsonl"
        self.run_lab(*args[1:], "--auto", "--trace", trace)
        # The trace names the student; grading finds them in class.toml by that name.
        out = self.run_lab("grade", 6, trace, "--class", "class")
        self.assertRegex(out, r"(?m)^" + re.escape(name) + r"\s+[✓✗]")
        self.assertNotIn("not in the class", out)

    def test_a_damaged_class_toml_is_a_clear_error(self):
        (self.tmp / "class").mkdir()
        for text, message in [("seed = [\n", "class.toml, line 1: "),
                              ("seed = 1\n[[students]]\nid = \"x\"\n", "student 1 has no user"),
                              ("lab = 6\n", "no seed = N")]:
            (self.tmp / "class" / "class.toml").write_text(text, encoding="utf-8")
            r = subprocess.run([self.lab, "grade", "6", "x.jsonl", "--class", "class"], capture_output=True,
                               text=True, timeout=TIMEOUT, env=self.env, cwd=self.tmp)
            self.assertEqual(r.returncode, 1, r.stderr)
            self.assertIn(message, r.stderr)

    def test_students_record_and_the_instructor_grades(self):
        self.make_class()
        port = self.start_server()
        ada, _ = self.record("ada-lovelace", self.handout("ada-lovelace")[0], port, "list", "--tls", "none",
                             "--auth", "USER")
        alan, text = self.record("alan.turing", self.handout("alan.turing")[0], port, "retr", "2", "--tls", "none",
                                 "--auth", "USER")
        self.assertIn("Your reset code is", text)  # his own maildrop, his own code
        grace, _ = self.record("grace-hopper", self.handout("grace-hopper")[0], port, "list", "--tls", "starttls",
                               "--cafile", str(self.tmp / "class" / "pop3lab-cert.pem"), "--auth", "USER")
        out = self.run_lab("grade", 6, ada, alan, grace, "--class", "class", "--csv", "grades.csv")
        self.assertIn("3 trace(s)", out)
        rows = {l.split("  ")[0]: l for l in out.splitlines() if l.startswith(("Ada", "alan", "Grace"))}
        self.assertEqual(len(rows), 3, out)
        # user-seen, cleartext-exposure, logged-in and update hold for Ada (plaintext list);
        # mail-read only for Alan, who read message 2; under STLS Grace exposed nothing.
        self.assertRegex(rows["Ada Lovelace"], r"^Ada Lovelace\s+✓ +✗ +✗ +✗ +✓ +✗ +✓ +✓ +4/8$")
        self.assertRegex(rows["alan.turing"], r"✓ +5/8$")
        self.assertRegex(rows["Grace Hopper"], r"^Grace Hopper\s+✗ +✗ +✗ +✗ +✗ +✗ +✓ +✓ +2/8$")
        self.assertIn("6  mail-read: The eavesdropper read the reset code in the message", out)
        csv_lines = (self.tmp / "grades.csv").read_text(encoding="utf-8").splitlines()
        self.assertEqual(csv_lines[0], "student,trace,user-seen,wrong-password-seen,failed-login,password-seen,"
                                       "cleartext-exposure,mail-read,logged-in,update,passed,total")
        self.assertEqual(len(csv_lines), 4)
        self.assertTrue(csv_lines[1].startswith("Ada Lovelace,"))
        self.assertTrue(csv_lines[1].endswith(",1,0,0,0,1,0,1,1,4,8"), csv_lines[1])
        self.assertTrue(csv_lines[2].endswith(",1,0,0,0,1,1,1,1,5,8"), csv_lines[2])
        self.assertIn("1  user-seen: The eavesdropper read the user name", out)
        # Alan's trace handed in as Ada's: neither the user name nor the reset code is hers.
        copy = self.tmp / "ada-lovelace.jsonl"
        shutil.copy(alan, copy)
        out = self.run_lab("grade", 6, copy, "--class", "class")
        self.assertRegex(out, r"Ada Lovelace\s+✗ +✗ +✗ +✗ +✓ +✗ +✓ +✓ +3/8")
        # A student checks their own trace before handing it in.
        out = self.run_lab("check", 6, alan, "--student", "alan.turing", "--as", "alan.turing",
                           env=dict(self.env, POP3_PASSWORD=self.handout("alan.turing")[0]), expect=1)
        self.assertIn("[ok]   The eavesdropper read the reset code in the message", out)
        self.assertIn("[ok]   The session ended with QUIT and went through UPDATE", out)


if __name__ == "__main__":
    unittest.main()
