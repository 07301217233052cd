"""Reads the record that the lab's clients write with --trace FILE (the
Chrome trace event format, see lib/trace.hpp) into plain Python objects:
the reactor's callbacks and waits, the connects, the reads with their
bytes, the closes, and the timers made with callLater.

The record says what the reactor and the sockets did, not what the
program printed: that is read from the program's own output (a Line, with
when it arrived). The exercise checker grades behaviour from the record
(was the reactor held? did a timer end the poem?); the demo follows it as
it is written (Tail) and draws its pictures from it.

The events' names come from lib/trace_events.def, the one list the C++
shares: E.doRead is "doRead", and a name that is not there is an
AttributeError. Standard library only. Times are seconds from the start of
the trace.
"""
import json
import os
import re

_DEF = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "lib",
                    "trace_events.def")


class _Names:
    """The events of trace_events.def: E.doRead == "doRead"."""

    def __init__(self, path):
        with open(path, encoding="utf-8") as handle:
            found = re.findall(r'^TRACE_EVENT\((\w+),\s*"(\w)"', handle.read(), flags=re.M)
        self.__dict__.update({name: name for name, _ in found})
        self.phases = dict(found)

    def __getattr__(self, name):
        raise AttributeError("%r is not an event of lib/trace_events.def" % name)


E = _Names(_DEF)


class Callback:
    """One call the reactor made into our code: doRead, callLater ..."""

    def __init__(self, name, start, args):
        self.name = name            # E.doRead, E.doWrite, E.callLater
        self.of = args.get("of")    # the descriptor's logPrefix: "Task 1" (the waker: "Waker")
        self.fd = args.get("fd")
        self.timer = args.get("timer")  # for callLater: which timer fired
        self.start = start
        self.end = None             # None: it never returned (the run was killed)
        self.reads = []             # the recvs made inside it

    @property
    def duration(self):
        return None if self.end is None else self.end - self.start

    def task(self):
        """The task number in "Task N", or None."""
        words = (self.of or "").split()
        return int(words[1]) if len(words) == 2 and words[0] == "Task" and words[1].isdigit() else None

    def describe(self):
        return "%s %s" % (self.of, self.name) if self.of else self.name

    def holds(self, t):
        return self.start <= t and (self.end is None or t <= self.end)

    def bytes(self):
        return sum(read.bytes for read in self.reads)


class Read:
    """A recv that returned something: bytes (0: the end of the stream), or an error."""

    def __init__(self, task, start, duration, args):
        self.task, self.start, self.duration = task, start, duration
        self.end = start + duration
        self.fd = args.get("fd")
        self.bytes = args.get("bytes", 0)
        self.error = args.get("error")


class Connect:
    def __init__(self, task, start, end, args):
        self.task, self.start, self.end = task, start, end
        self.fd = args.get("fd")
        self.error = args.get("error")
        self.address = args.get("address")


class Line:
    """A line the program printed, as it arrived on its stdout (or stderr):
    `t` in the trace's seconds, the moment it was read (it was written a
    little before)."""

    def __init__(self, text, t, stream="stdout"):
        self.text, self.t, self.stream = text, t, stream


class Timer:
    """A DelayedCall: armed by callLater, maybe reset or cancelled, maybe fired."""

    def __init__(self, ident, armed, delay):
        self.id = ident
        self.armed = armed
        self.delay = delay
        self.resets = []          # (time, new delay)
        self.cancelled = None     # the time of cancel()
        self.fired = None         # the callLater Callback that ran it


class Trace:
    """A record, event by event (take), so that it can be followed while it
    is written (Tail) or read whole (load)."""

    def __init__(self):
        self.events = []
        self.epoch = None  # the trace's zero on CLOCK_MONOTONIC, in seconds
        self.callbacks, self.connects, self.reads, self.waits = [], [], [], []
        self.closes = []            # (time, task, fd)
        self.timers = {}
        self.runs, self.stops, self.heartbeats = [], [], []
        self.readers_added, self.readers_removed = [], []  # (time, of, fd)
        self.interrupted = None     # when a stop signal reached the loop
        self.open = None            # the callback running now, if any
        self.last = 0.0             # the time of the latest event

    def take(self, event):
        self.events.append(event)
        name, ph = event.get("name"), event.get("ph")
        t = event.get("ts", 0) / 1e6
        self.last = max(self.last, t)
        args = event.get("args") or {}
        track = event.get("tid", 0)
        if ph == "M":
            if name == E.process_name and "monotonic_epoch_us" in args:
                self.epoch = args["monotonic_epoch_us"] / 1e6
        elif ph == "B":
            self.open = Callback(name, t, args)
            self.callbacks.append(self.open)
        elif ph == "E":
            if self.open is not None:
                self.open.end = t
            self.open = None
        elif ph == "X":
            end = t + event.get("dur", 0) / 1e6
            self.last = max(self.last, end)
            if name == E.wait:
                self.waits.append((track, t, end - t))
            elif name == E.connect:
                self.connects.append(Connect(track, t, end, args))
            elif name == E.recv:
                read = Read(track, t, end - t, args)
                self.reads.append(read)
                if self.open is not None:
                    self.open.reads.append(read)
        elif ph == "i":
            self._instant(name, t, args, track)

    def _instant(self, name, t, args, track):
        if name == E.callLater:
            self.timers[args["timer"]] = Timer(args["timer"], t, args.get("delay"))
        elif name == E.cancel and args.get("timer") in self.timers:
            self.timers[args["timer"]].cancelled = t
        elif name == E.reset and args.get("timer") in self.timers:
            self.timers[args["timer"]].resets.append((t, args.get("delay")))
        elif name == E.interrupted:
            self.interrupted = t
        elif name == E.run:
            self.runs.append(t)
        elif name == E.stop:
            self.stops.append(t)
        elif name == E.heartbeat:
            self.heartbeats.append((t, args.get("late", 0)))
        elif name == E.addReader:
            self.readers_added.append((t, args.get("of"), args.get("fd")))
        elif name == E.removeReader:
            self.readers_removed.append((t, args.get("of"), args.get("fd")))
        elif name == E.close:
            self.closes.append((t, track, args.get("fd")))

    def link_timers(self):
        for callback in self.callbacks:
            if callback.name == E.callLater and callback.timer in self.timers:
                self.timers[callback.timer].fired = callback
        return self

    # --- who is who

    def connect_of(self, task):
        return next((c for c in self.connects if c.task == task), None)

    def task_of_fd(self, fd, at):
        """The task whose socket had descriptor `fd` at time `at`: the
        latest connect that made it (descriptors are reused once closed)."""
        made = [c for c in self.connects if c.fd == fd and c.end <= at]
        return max(made, key=lambda c: c.end).task if made else None

    def task_of(self, callback):
        """The task a callback was for: from its logPrefix ("Task 2"), or,
        whatever a learner's logPrefix says, from its socket."""
        task = callback.task()
        if task is not None or callback.fd is None:
            return task
        return self.task_of_fd(callback.fd, callback.start)

    def callback_at(self, t):
        """The callback running at time `t`, or None (the reactor waited, or
        was not running)."""
        return next((c for c in reversed(self.callbacks) if c.holds(t)), None)

    # --- what happened to a poem

    def ended(self, task):
        """When task `task`'s poem was over for the client, as the record
        shows: the first of its reader leaving the reactor, its socket
        closed, or its server's end of stream; None if never."""
        connect = self.connect_of(task)
        if connect is None or connect.fd is None:
            return None
        times = [t for t, of, fd in self.readers_removed
                 if t >= connect.end and (fd == connect.fd or of == "Task %d" % task)]
        times += [t for t, tk, _ in self.closes if tk == task]
        times += [r.end for r in self.reads if r.task == task and (r.bytes == 0 or r.error)]
        return min(times, default=None)

    def whole(self, task):
        """Whether task `task`'s server ended the poem cleanly (a recv that
        returned the end of the stream)."""
        return any(r.task == task and r.bytes == 0 and not r.error for r in self.reads)

    def ended_in(self, task):
        """The callback inside which task `task`'s poem was given up (its
        reader removed, or its socket closed): None when that happened
        outside the reactor's callbacks, or never."""
        at = self.ended(task)
        return None if at is None else self.callback_at(at)

    def got(self):
        """The reads, as the `got` lines report them: one slice per task and
        callback (the blocking client, which has no callbacks: one per
        task), (task, start, duration, bytes)."""
        slices = []
        for callback in self.callbacks:
            per_task = {}
            for read in callback.reads:
                if read.bytes:
                    per_task.setdefault(read.task, []).append(read)
            for task, reads in per_task.items():
                end = callback.end if callback.end is not None else reads[-1].end
                slices.append((task, callback.start, end - callback.start, sum(r.bytes for r in reads)))
        outside = [r for r in self.reads if r.bytes and self.callback_at(r.start) is None]
        for task in sorted({r.task for r in outside}):
            reads = [r for r in outside if r.task == task]
            connect = self.connect_of(task)
            start = connect.end if connect else reads[0].start
            slices.append((task, start, reads[-1].end - start, sum(r.bytes for r in reads)))
        return sorted(slices, key=lambda s: s[1])

    def read_by(self, task, t):
        """The bytes task `task` had read by time `t`."""
        return sum(r.bytes for r in self.reads if r.task == task and r.end <= t)

    # --- the reactor

    def interrupted_at(self):
        """When a stop signal reached the loop: what happens after it
        (objects destroyed, closing lines) is the program being stopped,
        not what it did on its own. None if never."""
        waker = next((c.start for c in self.callbacks if c.of == "Waker"), None)
        return min([t for t in (self.interrupted, waker) if t is not None], default=None)

    def removed_before(self, task_prefix, t):
        return any(of == task_prefix and at < t for at, of, _ in self.readers_removed)

    def stopped_from(self, name):
        """The callbacks named `name` (E.callLater) that called reactor.stop()."""
        return [c for c in self.callbacks if c.name == name and any(c.holds(at) for at in self.stops)]

    def stuck_in(self):
        """The callback the program was inside when the record ends, if any."""
        return next((c for c in reversed(self.callbacks) if c.end is None), None)

    def held(self, bound):
        """Callbacks that kept the reactor longer than `bound` seconds
        (one that never returned counts up to the record's last moment)."""
        held = []
        for callback in self.callbacks:
            end = callback.end if callback.end is not None else self.last
            if end - callback.start > bound:
                held.append((callback, end - callback.start))
        return held

    def returned(self):
        """The callbacks into our code that returned; the waker's (Ctrl-C
        reaching the loop) is the reactor's own, not our code's."""
        return [c for c in self.callbacks if c.duration is not None and c.of != "Waker"]

    def longest_callback(self):
        """The callback that kept the reactor longest, among those that
        returned (None if there is none)."""
        return max(self.returned(), key=lambda c: c.duration, default=None)


def parse_line(raw):
    """The event on one line of a trace file (the program writes one event
    a line, and flushes it): None for a line that holds none (the opening
    and closing lines). Raises ValueError for a line cut short (a kill)."""
    raw = raw.strip().strip(",")
    return json.loads(raw) if raw.startswith("{") else None


def parse(text):
    """The events of a trace file's text, also when the program was killed
    before it could write the closing `]}`."""
    try:
        return json.loads(text)["traceEvents"]
    except (ValueError, KeyError, TypeError):
        pass
    events = []
    for raw in text.splitlines()[1:]:  # one event per line after the opening line
        try:
            event = parse_line(raw)
        except ValueError:
            break  # the last line, cut short by a kill
        if event is not None:
            events.append(event)
    return events


def load(path):
    """A Trace, or None when the program wrote none."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
    except OSError:
        return None
    if not text.strip():
        return None
    trace = Trace()
    for event in parse(text):
        trace.take(event)
    return trace.link_timers()


class Tail:
    """Follows a record while the program writes it: read() takes what
    has been added since, whole events only."""

    def __init__(self, path):
        self.path, self.offset, self.rest = path, 0, ""
        self.trace = Trace()

    def read(self):
        try:
            with open(self.path, encoding="utf-8", errors="replace") as handle:
                handle.seek(self.offset)
                text = handle.read()
                self.offset = handle.tell()
        except OSError:
            return self.trace
        lines = (self.rest + text).split("\n")
        self.rest = lines.pop()  # not a whole line yet: the rest of it comes next time
        for line in lines:
            try:
                event = parse_line(line)
            except ValueError:
                continue
            if event is not None:
                self.trace.take(event)
        return self.trace
