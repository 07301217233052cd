"""Running the learner's program so that no mistake of theirs can break
the checker: a hang, a crash or a flood is recorded in the Run, never
raised, and nothing it starts outlives the check.

Every run has --trace FILE: the record of what the reactor and the
sockets did (lib/trace.hpp). What the program printed is read from its
stdout, a pseudo-terminal as on a learner's screen (so that C and C++
streams are line-buffered there too), each line with when it came:
lab::say, std::cout and printf all count the same.
"""
import errno
import os
import pty
import selectors
import signal
import subprocess
import threading
import time
import tty

from poetrylab import trace as labtrace
from poetrylab.chapter import GOT
from poetrylab.processes import die_with_parent, kill_group

# More output than this is a flood, not a poem report.
FLOOD = 1 << 20
# SIGTERM first, so the program can write its trace; then SIGKILL.
GRACE = 2.0


class Abandoned(Exception):
    """The check was stopped because its verdict is not needed (an earlier
    check failed, or the learner moved on)."""


class Run:
    """What a run of the program did: its lines (with when each arrived),
    its exit, and its --trace record."""

    def __init__(self, args):
        self.args = [str(a) for a in args]
        self.lines, self.times = [], []
        self.stderr = ""
        self.returncode = None
        self.signal = None         # "SIGSEGV" when a signal ended it
        self.hung = False          # still running at the limit: we stopped it
        self.ignored_term = False  # ... and it did not stop on SIGTERM
        self.flooded = False
        self.started = self.ended = 0.0
        self.stopped_at = None     # when we sent SIGTERM to a hung run
        self.trace = None
        self.trace_path = None
        self.limit = 0.0

    def trace_so_far(self):
        """The --trace record as the program has written it up to now."""
        return labtrace.load(self.trace_path)

    @property
    def command(self):
        return "get-poetry " + " ".join(self.args)

    def stderr_lines(self):
        return self.stderr.splitlines()

    def timed_lines(self):
        """Every stdout line as a trace.Line, on the trace's clock (it was
        printed a little before it came)."""
        epoch = self.trace.epoch if self.trace is not None and self.trace.epoch else self.started
        return [labtrace.Line(line, when - epoch) for line, when in zip(self.lines, self.times)]

    def lines_before_stop(self):
        """What it printed on its own, before a hang made us stop it."""
        if self.stopped_at is None:
            return self.lines
        return [l for l, t in zip(self.lines, self.times) if t < self.stopped_at]

    def got(self, task):
        """The bytes in task `task`'s `got` lines, summed."""
        return sum(int(m.group(2)) for m in map(GOT.match, self.lines) if m and int(m.group(1)) == task)


def hopeless(trace_path, timer_due, margin):
    """Whether the --trace record so far says that the run can only hang:
    the reactor runs with nothing to wait for (every reader gone but its
    waker, no timer armed), or, with a --timeout, no timer fired long after
    it was due. None when it does not; "timer" for the late timer, which is
    final; else the number of events in the record, for the caller to see
    it hold twice: a program between its last removeReader and its stop()
    looks hopeless for a moment.

    The timer's lateness counts from the reactor's run(), as the record
    says, not from the start: a sanitizer build on a busy machine can take
    seconds to get there. Under the test suite's wide margin it waits
    longer still; under ./lab check's, no longer than the check allows."""
    record = labtrace.load(trace_path)
    if record is None:
        return None
    if timer_due is not None and record.runs and record.epoch is not None:
        since_run = time.monotonic() - (record.epoch + record.runs[0])
        if since_run > timer_due + max(2.0, timer_due) + max(0.0, (margin - 5) / 2):
            if not any(c.name == labtrace.E.callLater for c in record.callbacks):
                return "timer"
    readers = {}
    for _, of, _ in record.readers_added:
        readers[of] = readers.get(of, 0) + 1
    for _, of, _ in record.readers_removed:
        readers[of] = readers.get(of, 0) - 1
    live = {of for of, count in readers.items() if count > 0}
    armed = [t for t in record.timers.values() if t.cancelled is None and t.fired is None]
    if record.runs and not record.stops and live <= {"Waker"} and not armed:
        return len(record.events)
    return None


def run_program(context, args, expect, tmp, during=None, timer_due=None):
    """Runs the program with --trace; `expect` is how long a correct one
    takes. A run whose --trace record already says it can only hang (see
    hopeless) is stopped then, not at the limit: a learner waits seconds
    for a verdict, not the margin."""
    run = Run(args)
    trace_path = run.trace_path = os.path.join(tmp, "trace-%d.json" % threading.get_ident())
    run.limit = expect + context.margin
    argv = die_with_parent([context.program, "--trace", trace_path] + run.args)
    run.started = time.monotonic()
    # stdout is a pseudo-terminal, as a learner's is: C's printf and C++'s
    # std::cout then flush at each newline, and each line is seen (and
    # timed) when it is printed. Raw, so that "\n" stays "\n".
    master, slave = pty.openpty()
    tty.setraw(slave)
    # Its own process group, so that whatever it starts goes with it.
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=slave, stderr=subprocess.PIPE,
                            process_group=0)
    os.close(slave)
    out = os.fdopen(master, "rb", buffering=0)
    if during is not None:  # it may look at run.lines as they come
        threading.Thread(target=during, args=(run,), daemon=True).start()
    pending = {out: b"", proc.stderr: b""}
    err_chunks, total = [], 0
    selector = selectors.DefaultSelector()
    for stream in pending:
        selector.register(stream, selectors.EVENT_READ)
    term_sent = None
    next_look = run.started + expect + 1.0
    last_hopeless = None
    try:
        while selector.get_map():
            now = time.monotonic()
            if context.cancel.is_set():
                kill_group(proc.pid)
                raise Abandoned()
            gave_up = False
            if term_sent is None and now > next_look:  # is it already hopeless, and still?
                events = hopeless(trace_path, timer_due, context.margin)
                gave_up = events == "timer" or (events is not None and events == last_hopeless)
                last_hopeless, next_look = events, now + 0.25
            if term_sent is None and (now - run.started > run.limit or gave_up):
                run.hung, term_sent = True, now
                run.stopped_at = now
                kill_group(proc.pid, signal.SIGTERM)
            elif term_sent is not None and now - term_sent > GRACE:
                run.ignored_term = True
                kill_group(proc.pid)
                break
            for key, _ in selector.select(timeout=0.05):
                try:
                    data = os.read(key.fd, 65536)
                except OSError as error:  # a pseudo-terminal whose program has gone: EIO
                    if error.errno != errno.EIO:
                        raise
                    data = b""
                if not data:
                    selector.unregister(key.fileobj)
                    continue
                total += len(data)
                if total > FLOOD:
                    run.flooded = True
                    kill_group(proc.pid)
                    selector.close()
                    break
                if key.fileobj is proc.stderr:
                    err_chunks.append(data)
                    continue
                pending[out] += data
                *complete, pending[out] = pending[out].split(b"\n")
                for raw in complete:
                    run.lines.append(raw.decode("utf-8", "replace"))
                    run.times.append(time.monotonic())
    finally:
        selector.close()
        try:
            proc.wait(timeout=GRACE + 1)
        except subprocess.TimeoutExpired:
            kill_group(proc.pid)
            proc.wait()
        kill_group(proc.pid)  # anything it left running
        out.close()
        proc.stderr.close()
    run.ended = time.monotonic()
    if pending[out]:
        run.lines.append(pending[out].decode("utf-8", "replace"))
        run.times.append(run.ended)
    run.stderr = b"".join(err_chunks).decode("utf-8", "replace")
    run.returncode = proc.returncode
    if proc.returncode is not None and proc.returncode < 0 and not (run.hung or run.flooded):
        try:
            run.signal = signal.Signals(-proc.returncode).name
        except ValueError:
            run.signal = "signal %d" % -proc.returncode
    run.trace = labtrace.load(trace_path)
    return run
