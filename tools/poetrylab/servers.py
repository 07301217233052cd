"""Slow poetry servers for the tools and the tests: build/slow-server/
slowpoetry started on port 0 (its real port read from its first line),
and the chapter's "epic sagas" written to order."""
import os
import re
import select
import signal
import socket
import subprocess
import threading
import time

from poetrylab.processes import die_with_parent


def write_saga(path, size, number):
    """One of the chapter's "epic sagas", of exactly `size` bytes: verse of
    our own, each line numbered so that no two are alike."""
    with open(path, "wb") as out:
        written, line_no, block = 0, 0, []
        while written < size:
            line_no += 1
            line = ("Canto %d, line %d: the hacker types all night, the parser grows, "
                    "and still the lisp is not yet right.\n" % (number, line_no)).encode()
            block.append(line)
            written += len(line)
            if len(block) == 4096:
                out.write(b"".join(block))
                block = []
        out.write(b"".join(block))
        out.truncate(size)
    return path


class ServerError(RuntimeError):
    """A server that would not start: the test bench's problem, never a
    verdict on the program being tested."""

    def __init__(self, message, stderr=""):
        super().__init__(message)
        self.stderr = stderr


class SlowServer:
    """A running build/slow-server/slowpoetry; use as a context manager.

    It is started on `port` (0: any free one) and its real port is read
    from its first line ("Serving FILE on port N."). What it prints is read
    as it comes (a long poem prints a line per chunk, and a full pipe would
    stop the server), into memory, or into the file `log` when nobody needs
    it (the bench's 1,000 servers)."""

    def __init__(self, program, poem, *options, port=0, iface=None, log=None, timeout=20):
        args = [program, poem, "--port", str(port)] + (["--iface", iface] if iface else []) + list(options)
        self._log = log
        out = open(log, "wb") if log else subprocess.PIPE
        self.proc = subprocess.Popen(die_with_parent(args), stdout=out,
                                     stderr=subprocess.STDOUT if log else subprocess.PIPE)
        if log:
            out.close()
        self.stdout = self.stderr = ""
        self.returncode = None
        self._lines, self._errors, self._readers = [], [], []
        self._sends = []  # (time.monotonic(), bytes) for each "Sending K bytes"
        try:
            self.first_line = self._first_line(timeout)
        except ServerError:
            self.proc.kill()
            self.proc.wait()
            raise
        match = re.fullmatch(r"Serving (.+) on port (\d+)\.", self.first_line)
        if not match:
            self.proc.kill()
            self.proc.wait()
            raise ServerError("unexpected first line from the server: %r" % self.first_line)
        self.port = int(match.group(2))
        if not log:
            for stream, into in ((self.proc.stdout, self._lines), (self.proc.stderr, self._errors)):
                reader = threading.Thread(target=self._drain, args=(stream, into, into is self._lines),
                                          daemon=True)
                reader.start()
                self._readers.append(reader)

    def _first_line(self, timeout):
        deadline = time.monotonic() + timeout
        line = b""
        while not line.endswith(b"\n"):
            if self._log:  # written to a file: read it again until the line is there
                with open(self._log, "rb") as handle:
                    line = handle.readline()
                if not line.endswith(b"\n"):
                    self._check_alive(deadline)
                    time.sleep(0.005)
                continue
            ready, _, _ = select.select([self.proc.stdout], [], [], max(deadline - time.monotonic(), 0))
            if not ready:
                raise ServerError("the server printed no first line within %g s" % timeout)
            byte = os.read(self.proc.stdout.fileno(), 1)
            if not byte:
                self._check_alive(0)
            line += byte
        return line.decode(errors="replace").rstrip("\n")

    def _check_alive(self, deadline):
        if self.proc.poll() is not None or time.monotonic() > deadline:
            self.proc.wait()
            err = self.proc.stderr.read().decode(errors="replace") if self.proc.stderr else ""
            if self._log:
                with open(self._log, errors="replace") as handle:
                    err = handle.read()
            raise ServerError("the server exited (%s) before its first line: %s"
                              % (self.proc.returncode, err.strip()), err)

    def _drain(self, stream, into, timed):
        for line in iter(stream.readline, b""):
            text = line.decode(errors="replace")
            into.append(text)
            if timed and text.startswith("Sending "):
                self._sends.append((time.monotonic(), int(text.split()[1])))

    def sends(self, since=None, until=None):
        """(time.monotonic(), bytes) for each chunk it announced sending
        (the line comes just before the send), between `since` and `until`."""
        return [(t, n) for t, n in list(self._sends)
                if (since is None or t >= since) and (until is None or t <= until)]

    def sending_lines(self):
        """How many "Sending" lines the server has printed so far."""
        return sum(1 for line in list(self._lines) if line.startswith("Sending"))

    @property
    def address(self):
        return "127.0.0.1:%d" % self.port

    def connect(self):
        """A plain client socket connected to it (on 127.0.0.1)."""
        return socket.create_connection(("127.0.0.1", self.port), timeout=30)

    def stop(self):
        """SIGTERM, as an instructor's Ctrl-C would; collects the output."""
        if self.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.returncode = self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.returncode = self.proc.wait()
            for reader in self._readers:
                reader.join(20)
            for stream in (self.proc.stdout, self.proc.stderr):
                if stream:
                    stream.close()
            self.stdout, self.stderr = "".join(self._lines), "".join(self._errors)
        return self

    @staticmethod
    def stop_all(servers):
        """Stops many servers at once: SIGTERM to every one first, so that
        1,000 of them stop in parallel, not one after another; then each is
        collected by stop(), which signals none twice (Popen does not signal
        a process it has already seen exit)."""
        for server in servers:
            if server.returncode is None:
                server.proc.send_signal(signal.SIGTERM)
        for server in servers:
            try:
                server.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                pass  # stop() signals it again, then kills it
            server.stop()

    def lines(self):
        """Everything it printed, the first line included."""
        return [self.first_line] + self.stdout.splitlines()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
