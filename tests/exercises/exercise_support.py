"""What the exercise checks share: the learner's program, servers that
misbehave on purpose, and failures worded for the learner."""
import os
import socket
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "blackbox"))

from labtest import LabTestCase, Server, check_no_sanitizer_report  # noqa: E402,F401

# The program under test: the learner's exercise, the solution, or a fixture.
PROGRAM = os.environ.get("LAB_EXERCISE_PROGRAM", "")

# Long enough for any correct program under the sanitizers; a program still
# running after this is waiting for something that will never come.
HANG = float(os.environ.get("LAB_EXERCISE_HANG", "30"))


def refused_port():
    """A port where nobody listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Blackhole:
    """A listener whose queue is full: a connect to it is never answered, so
    it can only time out (the kernel drops the SYN)."""

    def __enter__(self):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(0)
        self.port = self.listener.getsockname()[1]
        self.fillers = []
        for _ in range(3):
            filler = socket.socket()
            filler.setblocking(False)
            try:
                filler.connect(("127.0.0.1", self.port))
            except BlockingIOError:
                pass
            self.fillers.append(filler)
        return self

    def __exit__(self, *exc):
        for sock in self.fillers + [self.listener]:
            sock.close()


class ExerciseTestCase(LabTestCase):
    longMessage = False  # our messages alone: they are what the learner reads

    def run_program(self, *args, hang_hint="it waits for something that will never come."):
        """Runs the learner's program; a hang or a crash is a failed check."""
        try:
            result = subprocess.run([PROGRAM] + [str(a) for a in args], stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True, timeout=HANG)
        except subprocess.TimeoutExpired:
            self.fail("`get-poetry %s` was still running after %g s: %s"
                      % (" ".join(map(str, args)), HANG, hang_hint))
        result.stdout = result.stdout or ""
        if result.returncode < 0:
            self.fail("`get-poetry %s` crashed (signal %d). stderr:\n%s"
                      % (" ".join(map(str, args)), -result.returncode, result.stderr))
        check_no_sanitizer_report(self, result.stderr, "get-poetry")
        result.lines = result.stdout.splitlines()
        return result

    def assertClosingLines(self, result, sizes, why):
        expected = ["Task %d: %d bytes of poetry" % (i, n) for i, n in enumerate(sizes, start=1)]
        tail = result.lines[-(len(sizes) + 1):-1]
        if tail != expected or not result.lines[-1].startswith("Got %d poems in " % len(sizes)):
            self.fail("%s\nExpected the closing lines\n  %s\n  Got %d poems in ...\nbut the "
                      "output ended with:\n  %s\n(stderr: %s)"
                      % (why, "\n  ".join(expected), len(sizes),
                         "\n  ".join(result.lines[-(len(sizes) + 1):]) or "(nothing)",
                         result.stderr.strip() or "nothing"))
