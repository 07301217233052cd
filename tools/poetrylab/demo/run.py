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
from poetrylab.demo import CLIENTS, STOPS, row, t
from poetrylab.demo.view import HELD_WARNING, LATE_WARNING, ClientView, Live, said
from poetrylab.terminal import Quiet
from poetrylab.text import fold


# The race's two clients, in the order their lanes are drawn.
RACERS = [(key, path) for key, path in CLIENTS if key != "blocking"]


class ClientRun(ClientView):
    """One client, watched as it runs. A reactor client also gets a
    heartbeat and `slow` (seconds): a callback that keeps the loop longer
    than `slow` is a hold of the loop. One threshold, so that the holds the
    client warns of (--slow-callback) are the ones the class is shown: live
    on a terminal, told once each is over through a pipe."""

    def __init__(self, key, program, servers, sizes, style, live, trace, heartbeat=None, slow=None,
                 lane=""):
        self.key, self.style, self.live, self.lane = key, style, live, lane
        self.servers, self.sizes = servers, sizes
        self.ports = [s.port for s in servers]
        self.heartbeat, self.slow = heartbeat, slow
        self.got = [0] * len(sizes)
        self.finished = set()
        self.lines, self.warnings = [], []
        self.shown = set()  # which of `lines` were printed for good as they came
        self.tail = labtrace.Tail(trace)
        self.timed = []  # (when it came, on our clock: time.monotonic(), text): what it printed
        self.told = 0  # how many of the tail's closed callbacks report_holds has looked at
        self.explained = 0  # how many heartbeats explain_beats has looked at
        options = [] if slow is None else ["--slow-callback", str(slow), "--heartbeat", str(heartbeat)]
        self.args = [program, "--trace", trace] + options + [str(p) for p in self.ports]

    def run(self):
        """Runs the client alone, watched live (follow() for several)."""
        return follow([self], self.live)[0]

    # One client's part of follow(): start it, take what it printed, read
    # on in its trace, and wait for its end.
    def begin(self):
        self.start = time.monotonic()
        # The client's stdout is a pseudo-terminal, as when it runs by hand:
        # each line comes (and is timed) as it is printed.
        master, slave = pty.openpty()
        tty.setraw(slave)
        self.proc = subprocess.Popen(self.args, stdout=slave, stderr=subprocess.PIPE)
        os.close(slave)
        self.out = os.fdopen(master, "rb", buffering=0)
        self.partial = {self.out: b"", self.proc.stderr: b""}

    def pump(self, ready):
        for stream in [s for s in ready if s in self.partial]:
            try:
                data = os.read(stream.fileno(), 65536)
            except OSError:  # the pseudo-terminal of a client that has ended: EIO
                data = b""
            if not data:
                del self.partial[stream]
                stream.close()
                continue
            *complete, self.partial[stream] = (self.partial[stream] + data).split(b"\n")
            for raw in complete:
                line = raw.decode(errors="replace")
                (self.on_line if stream is self.out else self.on_warning)(line)

    def look(self):
        self.tail.read()
        self.report_holds()
        self.explain_beats()

    def finish(self):
        self.proc.wait()
        self.end = time.monotonic()
        self.look()
        return self.proc.returncode

    def emit(self, line):
        """A line printed for good: in a race, marked with whose it is."""
        indent = line[:len(line) - len(line.lstrip(" "))]
        self.live.emit(indent + self.lane + line[len(indent):] if self.lane else line)

    def on_line(self, line):
        self.lines.append(line)
        self.timed.append((time.monotonic(), line))
        got = GOT.match(line)
        if got:
            self.got[int(got.group(1)) - 1] += int(got.group(2))
        finished = FINISHED.match(line)
        if finished:
            self.finished.add(int(finished.group(1)))
        if not self.live.live and (got or finished):
            if self.key == "blocking":
                # Its lines wait for its end on a terminal: one too narrow
                # now (resized) gets those first, so that they keep their order.
                for n, earlier in enumerate(self.lines[:-1]):
                    if n not in self.shown and GOT.match(earlier):
                        self.emit("  " + earlier)
                        self.shown.add(n)
            self.emit("  " + line)  # as the chapter shows them, as they happen
            self.shown.add(len(self.lines) - 1)

    def on_warning(self, line):
        # What the client says on stderr, in the class's language, marked
        # and folded to the terminal's width.
        self.warnings.append(line)
        text = said(line)
        span = LATE_WARNING.match(line) or HELD_WARNING.match(line)
        if span:
            # The client was stopped too, and its clock ran on: say how
            # much of the time it warns of was the stop.
            now = time.monotonic()
            stopped = stopped_within(now - float(span.groups()[-1]), now)
            if stopped > 0.05:
                text += " " + t("late_from_stop", secs=stopped)
        # Folded under its text, not under the "!": the "!" marks one warning.
        parts = fold(text, width=self.room() - 2).split("\n")
        for n, part in enumerate(parts):
            self.emit("  " + self.style("1;7", ("! " if n == 0 else "  ") + part))

    def result(self, trace):
        """What the table says of the run. It took the time the client
        itself reports in its closing line ("Got 3 poems in ..."), or, if it
        printed none, the time we watched it for."""
        closing = GOT_POEMS.match(self.lines[-1]) if self.lines else None
        record = labtrace.load(trace)
        # Ctrl-Z stopped the client and its servers alike: the time it stood
        # still is not time it took, and is left out (the table says so),
        # from the whole run as from the callback it stopped in.
        longest = longest_held(record) if record is not None else None
        stopped = stopped_within(self.start, self.end)
        took = seconds_of(closing, 4) if closing else self.end - self.start
        return {"key": self.key, "took": took - stopped, "stopped": stopped, "longest": longest,
                "start": self.start, "end": self.end}


def longest_held(record):
    """How long the longest callback of `record` held the loop, less the
    time the demo stood stopped meanwhile (None if there was none)."""
    def stopped(c):
        return 0.0 if record.epoch is None else stopped_within(record.epoch + c.start, record.epoch + c.end)
    return max((c.duration - stopped(c) for c in record.returned()), default=None)


def stopped_within(start, end):
    """How long the demo stood stopped (Ctrl-Z until fg) between `start`
    and `end`, on our clock (time.monotonic(), CLOCK_MONOTONIC as the
    traces' epoch)."""
    return sum(max(0.0, min(resumed, end) - max(at, start)) for at, resumed in STOPS)


def follow(runs, live):
    """Runs `runs` (one client, or the race's two) at once, on one select()
    loop, and draws them live together; their exit statuses."""
    with Quiet():
        for run in runs:
            run.begin()
        last_draw, stops = 0.0, len(STOPS)
        while any(run.partial for run in runs):
            streams = [stream for run in runs for stream in run.partial]
            ready, _, _ = select.select(streams, [], [], 0.1)
            for run in runs:
                run.pump(ready)
                run.look()
            if len(STOPS) > stops:  # Ctrl-Z, then fg: drawn anew below what the shell wrote, said once
                live.draw(together(runs))
                stopped, resumed = STOPS[-1]
                live.emit("  " + runs[0].style("1", t("resumed", secs=resumed - stopped)))
                stops = len(STOPS)
            now = time.monotonic()
            if now - last_draw >= 0.1:
                live.draw(together(runs))
                last_draw = now
        statuses = [run.finish() for run in runs]
        live.draw(together(runs, final=True))
        live.done()
    return statuses


def together(runs, final=False):
    """The live block of one client, or of the race's two, each under its name."""
    if len(runs) == 1:
        return runs[0].block(final)
    lines = []
    for run in runs:
        lines.append(run.style("1", "  " + t("race_" + run.key)))
        lines += run.block(final)
    return lines


def run_client(key, build, path, servers, sizes, style, trace, heartbeat, slow):
    print(style("1", "$ build/%s %s" % (path, " ".join(str(s.port) for s in servers))))
    loop = key != "blocking"  # the blocking client has no reactor to watch
    client = ClientRun(key, os.path.join(build, path), servers, sizes, style, Live(style.tty), trace,
                       heartbeat if loop else None, slow if loop else None)
    status = client.run()
    closing(client, style)
    if status != 0:
        sys.exit("lab demo: the %s client failed (%d):\n%s" % (key, status, "\n".join(client.warnings)))
    return client.result(trace)


def closing(client, style, race=False):
    """The client's closing lines (through a pipe, the others came as they
    happened; on a terminal the blocking client's own result lines come
    here too)."""
    for n, line in enumerate(client.lines):
        if n in client.shown:
            continue  # printed as it came (a pipe, or a terminal too narrow then)
        if POEM_SIZE.match(line) or GOT_POEMS.match(line) or (style.tty and client.key == "blocking"
                                                               and GOT.match(line)):
            print("  " + (client.lane if race else "") + line)


def race(build, servers, sizes, style, traces, heartbeat, slow):
    """--race: the reactor and the broken client at the same time, each
    against its own three servers, drawn one above the other."""
    live, runs = Live(style.tty), []
    for (key, path), own in zip(RACERS, servers):
        print(style("1", "$ build/%s %s &" % (path, " ".join(str(s.port) for s in own))))
        runs.append(ClientRun(key, os.path.join(build, path), own, sizes, style, live, traces[key],
                              heartbeat, slow, lane="[%s] " % row(key)))
    statuses = follow(runs, live)
    for run, status in zip(runs, statuses):
        closing(run, style, race=True)
        if status != 0:
            sys.exit("lab demo: the %s client failed (%d):\n%s" % (run.key, status, "\n".join(run.warnings)))
    return [run.result(traces[run.key]) for run in runs]
