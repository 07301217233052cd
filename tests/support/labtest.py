"""Shared pieces of the black-box tests: start the real programs, read what
they print, and fetch poems with a plain socket. Standard library only.

Every server is started on port 0 on 127.0.0.1 and its port is read from its
first line ("Serving FILE on port N."), so tests never collide on a port.
Delays are shrunk (0.005 s) so the suite stays fast; no test asserts a speed
(the bench measures those): a bound in a test only keeps a hang from
passing, or checks one record of a run against another.
"""
import os
import re
import socket
import subprocess
import sys
import tempfile
import unittest

from poetrylab import chapter
from poetrylab.checker.case import SANITIZER_MARKS  # noqa: F401 (for the tests)
from poetrylab.servers import SlowServer

BUILD = os.environ.get("LAB_BUILD_DIR", os.path.join(os.path.dirname(__file__), "..", "..", "build"))
SOURCE = os.environ.get("LAB_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))

SERVER = os.path.join(BUILD, "slow-server", "slowpoetry")
BLOCKING = os.path.join(BUILD, "blocking-client", "get-poetry")
ASYNC = os.path.join(BUILD, "async-client", "get-poetry")
SELECT = os.path.join(BUILD, "async-client", "get-poetry-select")
BROKEN = os.path.join(BUILD, "broken-client", "get-poetry-broken")

POETRY = os.path.join(SOURCE, "poetry")
CHAPTER_POEMS = [  # the chapter's three servers: (file, --num-bytes)
    (os.path.join(POETRY, "ecstasy.txt"), 30),
    (os.path.join(POETRY, "fascination.txt"), 10),
    (os.path.join(POETRY, "science.txt"), 10),
]
FAST_DELAY = "0.005"

TIMEDELTA = r"\d+:\d\d:\d\d(?:\.\d{6})?"



def parse_timedelta(text):
    """Seconds in a Python-style timedelta string, as an exact microsecond count."""
    match = re.fullmatch(chapter.TIMEDELTA, text)
    if not match:
        raise ValueError("not a timedelta: %r" % text)
    hours, minutes, seconds, micros = match.groups()
    return ((int(hours) * 60 + int(minutes)) * 60 + int(seconds)) * 1000000 + int(micros or 0)


def check_no_sanitizer_report(test, text, what):
    for mark in SANITIZER_MARKS:
        test.assertNotIn(mark, text, "%s: sanitizer report:\n%s" % (what, text))


class Server(SlowServer):
    """A running slowpoetry on port 0 on 127.0.0.1, with the tests' short
    delay; use as a context manager (poetrylab.servers has the rest)."""

    def __init__(self, poem, *options, delay=FAST_DELAY, num_bytes=None, iface="127.0.0.1"):
        extra = ["--delay", delay] + (["--num-bytes", str(num_bytes)] if num_bytes is not None else [])
        super().__init__(SERVER, poem, *(extra + list(options)), iface=iface)


def run(args, timeout=60, **kwargs):
    """Runs a program to the end; returns CompletedProcess with text output."""
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          timeout=timeout, **kwargs)


def fetch(port, host="127.0.0.1", family=socket.AF_INET):
    """The simplest possible client: read until the server closes."""
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.settimeout(30)
        sock.connect((host, port))
        chunks = []
        while True:
            data = sock.recv(65536)
            if not data:
                return b"".join(chunks)
            chunks.append(data)


def read_bytes(path):
    with open(path, "rb") as handle:
        return handle.read()


def processes_marked(mark, running=None):
    """PIDs of the processes whose environment carries `mark` (and, with
    `running`, whose command line has it in it: "slowpoetry")."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open("/proc/%s/environ" % pid, "rb") as handle:
                if ("LAB_TEST_MARK=" + mark).encode() not in handle.read():
                    continue
            with open("/proc/%s/cmdline" % pid, "rb") as handle:
                if running is None or running.encode() in handle.read():
                    found.append(int(pid))
        except OSError:
            pass
    return found


class LabTestCase(unittest.TestCase):
    """Gives each test a temporary folder and helpers to write poems there."""

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="poetry-lab-test-")
        self.tmp = self._tmp.name

    def tearDown(self):
        self._tmp.cleanup()

    def write_poem(self, name, data):
        path = os.path.join(self.tmp, name)
        with open(path, "wb") as handle:
            handle.write(data)
        return path

    def assertClean(self, result, what="program"):
        """Exit status 0 and no sanitizer report."""
        check_no_sanitizer_report(self, result.stderr, what)
        self.assertEqual(result.returncode, 0, "%s failed:\n%s" % (what, result.stderr))

    def assertOneLineError(self, result, *fragments, after_usage=False):
        """Exit status 1 and one `NAME: error: ...` line on stderr naming the
        problem (after the usage text, where the program prints it)."""
        check_no_sanitizer_report(self, result.stderr, "error path")
        self.assertEqual(result.returncode, 1, result.stderr)
        lines = result.stderr.rstrip("\n").splitlines()
        if not after_usage:
            self.assertEqual(len(lines), 1, "expected one line on stderr:\n" + result.stderr)
        last = lines[-1] if lines else ""
        self.assertRegex(last, r"^[\w.-]+: error: .+")
        for fragment in fragments:
            self.assertIn(fragment, last)
        return last


class TapResult(unittest.TestResult):
    """Each test as one line of TAP ("ok 3 - test_name"), failures and
    errors under it as "# " comments: meson (protocol 'tap') counts the test
    cases itself, and ./lab test reads its count."""

    def __init__(self):
        super().__init__()
        self.count = 0
        self._notes = []
        self._skipped = None

    def startTest(self, test):
        super().startTest(test)
        self._notes = []
        self._skipped = None

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._skipped = reason

    def _note(self, test, err):
        self._notes += self._exc_info_to_string(err, test).rstrip().splitlines()

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._note(test, err)

    def addError(self, test, err):
        super().addError(test, err)
        self._note(test, err)

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            self._notes.append("in %s:" % subtest.id())
            self._note(test, err)

    def stopTest(self, test):
        super().stopTest(test)
        self.count += 1
        ok = not self._notes
        skip = " # SKIP %s" % self._skipped if self._skipped is not None and ok else ""
        print("%s %d - %s%s" % ("ok" if ok else "not ok", self.count, test.id().split(".", 1)[-1], skip))
        for line in self._notes:
            print("# " + line)
        sys.stdout.flush()


def main():
    """Runs the calling module's tests, reporting in TAP."""
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules["__main__"])
    result = TapResult()
    suite.run(result)
    print("1..%d" % result.count)
    sys.exit(0 if result.wasSuccessful() else 1)
