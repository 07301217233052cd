"""Reads the record that the lab's clients write with --trace FILE (the
Chrome trace event format, see lib/trace.hpp) into plain Python objects:
the reactor's callbacks, the lines printed (and which callback printed
them), the connects, and the timers made with callLater.

The exercise checker grades behaviour from it (was the reactor held? did
the timeout come from a timer?); the demo draws its pictures from it.
Standard library only. Times are seconds from the start of the trace.
"""
import json


class Callback:
    """One call the reactor made into our code: doRead, callLater ..."""

    def __init__(self, name, start, args):
        self.name = name            # "doRead", "doWrite", "callLater", "heartbeat"
        self.of = args.get("of")    # the descriptor's logPrefix: "Task 1" (the waker: "Waker")
        self.fd = args.get("fd")
        self.timer = args.get("timer")  # for callLater: which timer fired
        self.start = start
        self.end = None             # None: it never returned (the run was killed)
        self.lines = []

    @property
    def duration(self):
        return None if self.end is None else self.end - self.start

    def task(self):
        """The task number in "Task N", or None."""
        words = (self.of or "").split()
        return int(words[1]) if len(words) == 2 and words[0] == "Task" and words[1].isdigit() else None

    def describe(self):
        return "%s %s" % (self.of, self.name) if self.of else self.name


class Line:
    def __init__(self, text, t, stream, callback):
        self.text, self.t, self.stream, self.callback = text, t, stream, callback


class Connect:
    def __init__(self, start, end, args):
        self.start, self.end = start, end
        self.fd = args.get("fd")
        self.error = args.get("error")


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
    def __init__(self, events):
        self.events = events
        self.epoch = None  # the trace's zero on CLOCK_MONOTONIC, in seconds
        self.callbacks, self.lines, self.connects, self.got, self.waits = [], [], [], [], []
        self.timers = {}
        self.runs, self.stops, self.readers_added, self.readers_removed = [], [], [], []
        self.interrupted = None  # when a stop signal reached the loop
        current = None
        for event in events:
            name, ph = event.get("name"), event.get("ph")
            t = event.get("ts", 0) / 1e6
            args = event.get("args") or {}
            if ph == "M":
                if name == "process_name" and "monotonic_epoch_us" in args:
                    self.epoch = args["monotonic_epoch_us"] / 1e6
            elif ph == "B":
                current = Callback(name, t, args)
                self.callbacks.append(current)
            elif ph == "E":
                if current is not None:
                    current.end = t
                current = None
            elif ph == "X" and name == "wait":  # the reactor's (track 0) or a blocking task's
                self.waits.append((event.get("tid", 0), t, event.get("dur", 0) / 1e6))
            elif ph == "X" and event.get("tid", 0) != 0:
                self.got.append((event["tid"], t, event.get("dur", 0) / 1e6, args.get("bytes", 0)))
            elif ph == "X" and name == "connect":
                self.connects.append(Connect(t, t + event.get("dur", 0) / 1e6, args))
            elif ph == "i":
                self._instant(name, t, args, current)

    def _instant(self, name, t, args, current):
        if name in ("line", "stderr"):
            line = Line(args.get("text", ""), t, "stdout" if name == "line" else "stderr", current)
            self.lines.append(line)
            if current is not None:
                current.lines.append(line)
        elif name == "callLater":
            self.timers[args["timer"]] = Timer(args["timer"], t, args.get("delay"))
        elif name == "cancel" and args.get("timer") in self.timers:
            self.timers[args["timer"]].cancelled = t
        elif name == "reset" and args.get("timer") in self.timers:
            self.timers[args["timer"]].resets.append((t, args.get("delay")))
        elif name == "interrupted":
            self.interrupted = t
        elif name == "run":
            self.runs.append(t)
        elif name == "stop":
            self.stops.append(t)
        elif name == "addReader":
            self.readers_added.append((t, args.get("of"), args.get("fd")))
        elif name == "removeReader":
            self.readers_removed.append((t, args.get("of")))

    def task_of(self, callback):
        """The task a callback was for: from its logPrefix ("Task 2"), or,
        whatever a learner's logPrefix says, from its socket: the task
        whose connect made that descriptor (the Nth connect is task N)."""
        task = callback.task()
        if task is not None or callback.fd is None:
            return task
        connects = sorted(self.connects, key=lambda c: c.start)
        made = [n for n, c in enumerate(connects, start=1) if c.fd == callback.fd and c.end <= callback.start]
        return made[-1] if made else None

    def link_timers(self):
        for callback in self.callbacks:
            if callback.name == "callLater" and callback.timer in self.timers:
                self.timers[callback.timer].fired = callback
        return self

    def interrupted_at(self):
        """When a stop signal reached the loop (the waker's callback): what
        happens after it (objects destroyed, closing lines) is the program
        being stopped, not what it did on its own. None if never."""
        waker = next((c.start for c in self.callbacks if c.of == "Waker"), None)
        return min([t for t in (self.interrupted, waker) if t is not None], default=None)

    def removed_before(self, task_prefix, t):
        return any(of == task_prefix and at < t for at, of in self.readers_removed)

    def stopped_from(self, name):
        """The callbacks named `name` ("callLater") that called reactor.stop()."""
        return [c for c in self.callbacks if c.name == name
                and any(c.start <= at <= (c.end if c.end is not None else at) for at in self.stops)]

    def stuck_in(self):
        """The callback the program was inside when the record ends, if any."""
        return next((c for c in reversed(self.callbacks) if c.end is None), None)

    def held(self, bound):
        """Callbacks that kept the reactor longer than `bound` seconds
        (one that never returned counts up to the record's last moment)."""
        last = max([e.get("ts", 0) / 1e6 for e in self.events] or [0])
        held = []
        for callback in self.callbacks:
            end = callback.end if callback.end is not None else last
            if end - callback.start > bound:
                held.append((callback, end - callback.start))
        return held

    def stdout(self):
        return [line for line in self.lines if line.stream == "stdout"]

    def longest_callback(self):
        """The callback that kept the reactor longest, among those that
        returned; the waker's (Ctrl-C reaching the loop) is the reactor's
        own, not our code's. None if there is none."""
        return max((c for c in self.callbacks if c.duration is not None and c.of != "Waker"),
                   key=lambda c: c.duration, default=None)


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


def parse_line(raw):
    """The event on one line of a trace file (the program writes one event
    a line, and flushes it): None for a line that holds none (the opening
    and closing lines). Raises ValueError for a line cut short (a kill)."""
    raw = raw.strip().strip(",")
    return json.loads(raw) if raw.startswith("{") else None


def load(path):
    """A Trace, or None when the program wrote none."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
    except OSError:
        return None
    if not text.strip():
        return None
    return Trace(parse(text)).link_timers()
