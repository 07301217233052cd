"""Shared pieces of the black-box tests: start the real programs, read what
they print, and fetch poems with a plain socket. Standard library only.

Every server is started on port 0 on 127.0.0.1 and its port is read from its
first line ("Serving FILE on port N."), so tests never collide on a port.
Delays are shrunk (0.005 s) so the suite stays fast; no test asserts a time.
"""
import os
import re
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
from lablib import die_with_parent  # noqa: E402

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
# Whatever a sanitizer prints means the test failed, whatever the exit status.
SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                   "ERROR: UndefinedBehaviorSanitizer")


def parse_timedelta(text):
    """Seconds in a Python-style timedelta string, as an exact microsecond count."""
    match = re.fullmatch(r"(\d+):(\d\d):(\d\d)(?:\.(\d{6}))?", text)
    if not match:
        raise ValueError("not a timedelta: %r" % text)
    hours, minutes, seconds, micros = match.groups()
    return ((int(hours) * 60 + int(minutes)) * 60 + int(seconds)) * 1000000 + int(micros or 0)


def check_no_sanitizer_report(test, text, what):
    for mark in SANITIZER_MARKS:
        test.assertNotIn(mark, text, "%s: sanitizer report:\n%s" % (what, text))


class Server:
    """A running slowpoetry on port 0; use as a context manager."""

    def __init__(self, poem, *options, delay=FAST_DELAY, num_bytes=None, iface="127.0.0.1"):
        args = [SERVER, poem, "--port", "0", "--iface", iface, "--delay", delay]
        if num_bytes is not None:
            args += ["--num-bytes", str(num_bytes)]
        args += list(options)
        # Started so that it dies with whoever started it (a test killed by
        # its timeout, a check abandoned by ./lab watch): never left behind.
        self.proc = subprocess.Popen(die_with_parent(args), stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.first_line = self._read_first_line()
        match = re.fullmatch(r"Serving (.+) on port (\d+)\.", self.first_line)
        if not match:
            self.proc.kill()
            # RuntimeError, not a failed assertion: a server that cannot start
            # is the test bench's problem, never a verdict on the program tested.
            raise RuntimeError("unexpected first line from server: %r (stderr: %s)"
                               % (self.first_line, self.proc.stderr.read().decode()))
        self.port = int(match.group(2))
        self.stdout = ""
        self.stderr = ""
        self.returncode = None
        # Drain the server's lines as they come: a long poem prints a
        # "Sending" line per chunk, and a full pipe would stop the server.
        self._lines = []
        self._errors = []
        self._readers = [threading.Thread(target=self._drain, args=(self.proc.stdout, self._lines)),
                         threading.Thread(target=self._drain, args=(self.proc.stderr, self._errors))]
        for reader in self._readers:
            reader.daemon = True
            reader.start()

    @staticmethod
    def _drain(stream, into):
        for line in iter(stream.readline, b""):
            into.append(line.decode(errors="replace"))

    def sending_lines(self):
        """How many "Sending" lines the server has printed so far."""
        return sum(1 for line in list(self._lines) if line.startswith("Sending"))

    def _read_first_line(self, timeout=20):
        deadline = time.monotonic() + timeout
        line = b""
        while not line.endswith(b"\n"):
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self.proc.stdout], [], [], max(left, 0))
            if not ready:
                self.proc.kill()
                raise RuntimeError("server printed no first line within %ss" % timeout)
            byte = os.read(self.proc.stdout.fileno(), 1)
            if not byte:
                self.proc.wait()
                raise RuntimeError("server exited (%s) before its first line: %s"
                                     % (self.proc.returncode, self.proc.stderr.read().decode()))
            line += byte
        return line.decode().rstrip("\n")

    @property
    def address(self):
        return "127.0.0.1:%d" % self.port

    def stop(self):
        """SIGTERM, as an instructor's Ctrl-C would; collects the output."""
        if self.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            self.returncode = self.proc.wait(timeout=20)
            for reader in self._readers:
                reader.join(20)
            self.proc.stdout.close()
            self.proc.stderr.close()
            self.stdout, self.stderr = "".join(self._lines), "".join(self._errors)
        return self

    def lines(self):
        """Everything it printed, the first line included."""
        return [self.first_line] + self.stdout.splitlines()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.returncode is None:
            try:
                self.stop()
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


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


def main():
    unittest.main(verbosity=2)
