"""./lab servers: the chapter's three slow servers in one terminal, on a real
terminal of 80 columns (tmux) and through a pipe: one status line per
server, rewritten in place (no copies in the scrollback), the bytes sent
growing while a client fetches, and Ctrl-C or SIGTERM stopping every
server. Always on free ports (--any-port), never the chapter's."""
import os
import queue
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
import uuid

from labtest import BUILD, SOURCE, LabTestCase, fetch, main, processes_marked
from poetrylab.text import columns
from terminal import Terminal

STATUS = re.compile(r"^  port (\d+)  (\S+\.txt) +(\d+) / (\d+) bytes +(\d+) clients? +(idle|sending|stopped)$")
SIZES = {"ecstasy.txt": 3003, "fascination.txt": 623, "science.txt": 653}
SERVE = [sys.executable, "-m", "poetrylab.serve", "--build", BUILD, "--any-port", "--delay", "0.01"]


def lab_servers():
    """./lab servers itself when this build is the one it uses (build/);
    else the module it runs, on this build's programs."""
    if os.path.realpath(BUILD) == os.path.realpath(os.path.join(SOURCE, "build")):
        return [os.path.join(SOURCE, "lab"), "servers", "--any-port", "--delay", "0.01"]
    return SERVE


def statuses(rows):
    """{poem: (port, sent, size, clients, state)} from the status rows."""
    found = {}
    for row in rows:
        match = STATUS.match(row)
        if match:
            port, poem, sent, size, clients, state = match.groups()
            found[poem] = (int(port), int(sent), int(size), int(clients), state)
    return found


class Servers(LabTestCase):

    def setUp(self):
        super().setUp()
        self.mark = uuid.uuid4().hex
        self.env = dict(os.environ, LAB_TEST_MARK=self.mark, LAB_LANG="en", PYTHONDONTWRITEBYTECODE="1")

    def assertNoServerLeft(self):
        deadline = time.monotonic() + 10
        while processes_marked(self.mark, "slowpoetry") and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertEqual(processes_marked(self.mark, "slowpoetry"), [], "servers left running")

    def test_on_a_terminal(self):
        # Ctrl-C goes to the terminal's whole foreground group: the trap
        # keeps the pane's shell alive through it, to read the status.
        argv = ["eval", "trap : INT; " + " ".join(shlex.quote(a) for a in lab_servers())]
        with Terminal(argv, width=80, height=30, env={"LAB_TEST_MARK": self.mark, "LAB_LANG": "en"}) as term:
            deadline = time.monotonic() + 120
            while len(statuses(term.screen())) < 3:
                self.assertLess(time.monotonic(), deadline, term.text())
                time.sleep(0.1)
            self.assertEqual(len(processes_marked(self.mark, "slowpoetry")), 3)
            first = statuses(term.screen())
            for poem, (port, sent, size, clients, state) in first.items():
                self.assertEqual((sent, size, clients, state), (0, SIZES[poem], 0, "idle"), poem)
            port = first["ecstasy.txt"][0]
            self.assertIn("build/async-client/get-poetry %d " % port, term.text())

            # A client fetches from one: its line counts the bytes up.
            got = {}
            client = threading.Thread(target=lambda: got.setdefault("poem", fetch(port)), daemon=True)
            client.start()
            seen = []
            while client.is_alive() or not seen or seen[-1][0] < 3003:
                self.assertLess(time.monotonic(), deadline, term.text())
                status = statuses(term.screen()).get("ecstasy.txt")
                if status and (not seen or seen[-1] != status[1:]):
                    seen.append(status[1:])
                time.sleep(0.05)
            client.join()
            self.assertEqual(len(got["poem"]), 3003)
            sent = [s[0] for s in seen]
            self.assertEqual(sent, sorted(sent), seen)
            self.assertTrue([s for s in seen if 0 < s[0] < 3003 and s[3] == "sending"],
                            "the bytes sent never showed growing: %s" % seen)
            self.assertEqual(seen[-1], (3003, 3003, 1, "idle"))

            # In place: one row per server, the scrollback included.
            rows = term.rows()
            for poem in SIZES:
                self.assertEqual(len([r for r in rows if STATUS.match(r) and poem in r]), 1, "\n".join(rows))
            for row in rows:
                self.assertLessEqual(columns(row), 80, row)

            term.keys("C-c")
            self.assertEqual(term.exit_status(), 0, term.text())
            self.assertNoServerLeft()
            rows = term.rows()
            self.assertEqual({s[4] for s in statuses(rows).values()}, {"stopped"}, "\n".join(rows))
            self.assertIn("all three servers stopped (1 client served)", rows)
            for poem in SIZES:
                self.assertEqual(len([r for r in rows if STATUS.match(r) and poem in r]), 1, "\n".join(rows))

    def start(self, *extra):
        """The servers through a pipe: (the process, a queue of its lines)."""
        proc = subprocess.Popen(SERVE + list(extra), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, env=self.env)
        lines = queue.Queue()
        threading.Thread(target=lambda: [lines.put(l.rstrip("\n")) for l in proc.stdout] and None,
                         daemon=True).start()
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        return proc, lines

    def read_until(self, lines, pattern, shown):
        """Lines into `shown` until one matches `pattern`; that match."""
        deadline = time.monotonic() + 60
        while True:
            try:
                line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                self.fail("never printed %r:\n%s" % (pattern, "\n".join(shown)))
            shown.append(line)
            match = re.search(pattern, line)
            if match:
                return match

    def test_through_a_pipe(self):
        proc, lines = self.start()
        shown = []
        ports = {}
        while len(ports) < 3:
            match = self.read_until(lines, STATUS.pattern, shown)
            ports[match.group(2)] = int(match.group(1))
        port = ports["fascination.txt"]
        self.assertEqual(len(fetch(port)), 623)
        self.read_until(lines, r"^  port %d  fascination\.txt +623 / 623 bytes +1 client +idle$" % port, shown)
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(proc.wait(timeout=30), 0, proc.stderr.read())
        self.assertNoServerLeft()
        self.read_until(lines, r"^all three servers stopped \(1 client served\)$", shown)
        text = "\n".join(shown)
        self.assertNotIn("\x1b", text)
        self.assertNotIn("\r", text)
        # A line per change of state, not per chunk: the one client's
        # poem shows once sending, once done.
        self.assertLessEqual(len([l for l in shown if "fascination.txt" in l]), 4, text)
        self.assertEqual(len([l for l in shown if "stopped" in l and STATUS.match(l)]), 3, text)

    def test_in_korean(self):
        proc, lines = self.start("--lang", "ko")
        shown = []
        for _ in range(3):
            self.read_until(lines, r"^  포트 +\d+  \S+\.txt .*바이트 +클라이언트 0명 +대기 중$", shown)
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(proc.wait(timeout=30), 0)
        self.read_until(lines, r"^서버 세 개를 모두 멈췄습니다", shown)
        for line in shown:
            self.assertLessEqual(columns(line), 80, line)
        self.assertNoServerLeft()

    def test_a_bad_delay_is_one_line(self):
        result = subprocess.run(SERVE + ["--delay", "soon"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, env=self.env, timeout=60)
        self.assertEqual(result.returncode, 1)
        self.assertTrue(result.stderr.startswith("lab: error: --delay takes seconds"), result.stderr)
        self.assertEqual(processes_marked(self.mark, "slowpoetry"), [])

    def test_lab_lists_it(self):
        for lang in ("en", "ko"):
            text = subprocess.run([os.path.join(SOURCE, "lab"), "--lang", lang, "help"], stdout=subprocess.PIPE,
                                  text=True, timeout=60).stdout
            self.assertRegex(text, r"(?m)^  servers \[--delay SECONDS\]$")


if __name__ == "__main__":
    main()
