"""One client, run on a pseudo-terminal (each line comes, and is timed, as
it is printed) and followed through its --trace record as it is written."""
import os
import pty
import select
import subprocess
import sys
import time
import tty

from poetrylab import trace as labtrace
from poetrylab.chapter import FINISHED, GOT, GOT_POEMS, POEM_SIZE, seconds_of
from poetrylab.demo.view import ClientView, Live
from poetrylab.terminal import Quiet
from poetrylab.text import fold


class ClientRun(ClientView):
    """One client, watched as it runs. A reactor client also gets a
    heartbeat and `slow` (seconds): a callback that keeps the loop longer
    than `slow` is a hold of the loop. One threshold, so that the holds the
    client warns of (--slow-callback) are the ones the class is shown: live
    on a terminal, told once each is over through a pipe."""

    def __init__(self, key, program, servers, sizes, style, live, trace, heartbeat=None, slow=None):
        self.key, self.style, self.live = key, style, live
        self.servers, self.sizes = servers, sizes
        self.ports = [s.port for s in servers]
        self.heartbeat, self.slow = heartbeat, slow
        self.got = [0] * len(sizes)
        self.finished = set()
        self.lines, self.warnings = [], []
        self.tail = labtrace.Tail(trace)
        self.timed = []  # (when it came, on our clock: time.monotonic(), text): what it printed
        self.told = 0  # how many of the tail's closed callbacks report_holds has looked at
        options = [] if slow is None else ["--slow-callback", str(slow), "--heartbeat", str(heartbeat)]
        self.args = [program, "--trace", trace] + options + [str(p) for p in self.ports]

    def run(self):
        self.start = time.monotonic()
        with Quiet():
            return self._run()

    def _run(self):
        # The client's stdout is a pseudo-terminal, as when it runs by hand:
        # each line comes (and is timed) as it is printed.
        master, slave = pty.openpty()
        tty.setraw(slave)
        proc = subprocess.Popen(self.args, stdout=slave, stderr=subprocess.PIPE)
        os.close(slave)
        out = os.fdopen(master, "rb", buffering=0)
        partial = {out: b"", proc.stderr: b""}
        last_draw = 0.0
        while partial:
            ready, _, _ = select.select(list(partial), [], [], 0.1)
            for stream in ready:
                try:
                    data = os.read(stream.fileno(), 65536)
                except OSError:  # the pseudo-terminal of a client that has ended: EIO
                    data = b""
                if not data:
                    del partial[stream]
                    stream.close()
                    continue
                *complete, partial[stream] = (partial[stream] + data).split(b"\n")
                for raw in complete:
                    line = raw.decode(errors="replace")
                    (self.on_line if stream is out else self.on_warning)(line)
            self.tail.read()
            now = time.monotonic()
            if now - last_draw >= 0.1 or not partial:
                self.live.draw(self.block())
                last_draw = now
            self.report_holds()
        proc.wait()
        self.end = time.monotonic()
        self.tail.read()
        self.report_holds()
        self.live.draw(self.block(final=True))
        self.live.done()
        return proc.returncode

    def on_line(self, line):
        self.lines.append(line)
        self.timed.append((time.monotonic(), line))
        got = GOT.match(line)
        if got:
            self.got[int(got.group(1)) - 1] += int(got.group(2))
        finished = FINISHED.match(line)
        if finished:
            self.finished.add(int(finished.group(1)))
        if not self.live.tty and (got or finished):
            self.live.emit("  " + line)  # as the chapter shows them, as they happen

    def on_warning(self, line):
        # What the client says on stderr, as it says it, marked and folded
        # to the terminal's 80 columns.
        self.warnings.append(line)
        for part in fold("! " + line, width=76).split("\n"):
            self.live.emit("  " + self.style("1;7", part))

    def result(self, trace):
        """What the table says of the run. It took the time the client
        itself reports in its closing line ("Got 3 poems in ..."), or, if it
        printed none, the time we watched it for."""
        closing = GOT_POEMS.match(self.lines[-1]) if self.lines else None
        record = labtrace.load(trace)
        longest = record.longest_callback() if record is not None else None
        return {"key": self.key, "took": seconds_of(closing, 4) if closing else self.end - self.start,
                "longest": longest.duration if longest is not None else None,
                "start": self.start, "end": self.end}


def run_client(key, build, path, servers, sizes, style, trace, heartbeat, slow):
    print(style("1", "$ build/%s %s" % (path, " ".join(str(s.port) for s in servers))))
    loop = key != "blocking"  # the blocking client has no reactor to watch
    client = ClientRun(key, os.path.join(build, path), servers, sizes, style, Live(style.tty), trace,
                       heartbeat if loop else None, slow if loop else None)
    status = client.run()
    for line in client.lines:
        # The closing lines (through a pipe, the others came as they happened;
        # on a terminal the blocking client's own result lines come here too).
        if POEM_SIZE.match(line) or GOT_POEMS.match(line) or (style.tty and key == "blocking"
                                                               and GOT.match(line)):
            print("  " + line)
    if status != 0:
        sys.exit("lab demo: the %s client failed (%d):\n%s" % (key, status, "\n".join(client.warnings)))
    return client.result(trace)
