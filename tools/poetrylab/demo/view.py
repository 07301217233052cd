"""What a terminal shows of a client while it runs, redrawn in place: a bar
per task, the heartbeat lane, who holds the reactor and what the kernel
keeps queued for the others; through a pipe, the holds of the loop, told
once each is over."""
import re
import sys
import time
from collections import Counter

from poetrylab.chapter import FINISHED, GOT
from poetrylab.demo import human_bytes, t, task_list
from poetrylab.terminal import fit, width
from poetrylab.text import columns, fold
from poetrylab.trace import E


# The narrowest terminal the live view takes; every line of it fits one
# column less, so that no line wraps at any width from 60 up, even when the
# terminal is resized while the view is drawn (a wrapped line would leave a
# stale copy at each redraw).
MIN_WIDTH = 60
LIMIT = MIN_WIDTH - 1


class Live:
    """On a terminal, a block of lines redrawn in place (the bars, the
    heartbeat lane, who holds the reactor); lines printed for good go above
    it. Each redraw rewrites only a block that changed, line over line, so
    that a projector or a shared screen does not flicker. Through a pipe,
    or on a terminal narrower than MIN_WIDTH (read at start and at each
    resize), only the lines printed for good, one after another."""

    resized = False  # set by the demo's SIGWINCH handler
    resumed = False  # set by its SIGTSTP handler once fg has resumed us (stops.py)

    def __init__(self, tty):
        self.tty = tty
        self.narrow = False
        self.height = 0
        self.block = []
        if tty:
            self.check_width()

    @property
    def live(self):
        """Whether the block is drawn (else: lines one after another)."""
        return self.tty and not self.narrow

    def check_width(self):
        columns_now = width()
        if columns_now < MIN_WIDTH and not self.narrow:
            self.narrow = True
            self.height, self.block = 0, []
            notice = fold(t("narrow", width=columns_now, least=MIN_WIDTH), width=columns_now - 1)
            sys.stdout.write("\n" + notice + "\n")
            sys.stdout.flush()
        elif columns_now >= MIN_WIDTH and self.narrow:
            # Wide enough again: the live block comes back, drawn anew below
            # the plain lines (those stay as they were printed).
            self.narrow = False
            self.height, self.block = 0, []

    def _rewrite(self, block, room=LIMIT):
        if self.height:
            sys.stdout.write("\033[%dA" % self.height)
        for line in block:
            sys.stdout.write("\r" + fit(line, room) + "\033[K\n")
        sys.stdout.write("\033[J")  # a shorter block: what was below it goes
        self.height, self.block = len(block), block
        sys.stdout.flush()

    def draw(self, block):
        if Live.resized:
            Live.resized = False
            if self.tty:
                self.check_width()
        if Live.resumed:  # the shell wrote below the block: a new one, under that
            Live.resumed = False
            self.height, self.block = 0, []
        if self.live and block != self.block:
            self._rewrite(block)

    def emit(self, line):
        if self.live:
            block = self.block
            # Over the block's first line (it is drawn again below); folded
            # by its caller to the terminal's width, which it keeps to.
            self._rewrite([line], room=max(LIMIT, width() - 1))
            self.height = 0
            self._rewrite(block)
        else:
            print(line)
            sys.stdout.flush()

    def done(self):
        """The block stays where it is; what follows goes below it."""
        self.height, self.block = 0, []


def queued(ports):
    """Bytes the kernel holds, sent by these servers and not read yet by the
    client, read from /proc/net/tcp: what waits in our sockets' receive
    queues (also once the server has closed: CLOSE_WAIT), and, when those
    are full, in the servers' send queues."""
    wanted = {"%04X" % p for p in ports}
    total = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as handle:
                rows = handle.readlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if len(fields) < 5 or fields[3] == "0A":  # 0A: a listener
                continue
            local, remote = fields[1].rsplit(":", 1)[-1], fields[2].rsplit(":", 1)[-1]
            tx, rx = (int(n, 16) for n in fields[4].split(":"))
            if remote in wanted and fields[3] in ("01", "08"):  # ours: ESTABLISHED, CLOSE_WAIT
                total += rx
            elif local in wanted:  # the server's end
                total += tx
    return total


class ClientView:
    """The drawing half of a ClientRun (run.py)."""

    def room(self):
        """The columns a line printed for good is folded to: the terminal's
        (80 at most), less its race lane's mark."""
        return min(76, width() - 4) - columns(self.lane)

    def paint(self, task, text):
        return self.style.task(task, text)

    def have(self, task):
        """The bytes task `task` has read so far: what its `got` lines say,
        or, while a callback holds the loop or the blocking client waits in
        recv() (no line yet), what the --trace record's reads say."""
        reads = sum(r.bytes for r in self.tail.trace.reads if r.task == task)
        return max(self.got[task - 1], reads)

    def waiting(self, holder):
        """The tasks whose poems are still coming, other than `holder`."""
        return [n for n in range(1, len(self.sizes) + 1)
                if n != holder and n not in self.finished and self.have(n) < self.sizes[n - 1]]

    def waited(self, callback):
        """The tasks whose poems were still coming when `callback` began,
        other than its own: as waiting() says, but of that instant, from the
        lines the trace has timed. By the time we read that a hold is over,
        the others' poems may well have come in whole (the kernel kept them
        meanwhile), but they waited all the same."""
        got, finished = [0] * len(self.sizes), set()
        epoch = self.tail.trace.epoch or self.start
        for when, text in self.timed:
            if when - epoch < callback.start:
                read, ended = GOT.match(text), FINISHED.match(text)
                if read:
                    got[int(read.group(1)) - 1] += int(read.group(2))
                if ended:
                    finished.add(int(ended.group(1)))
        return [n for n in range(1, len(self.sizes) + 1) if n != callback.task()
                and n not in finished and got[n - 1] < self.sizes[n - 1]]

    def report_holds(self):
        """Through a pipe: each hold of the loop, once it is over, and the
        tasks whose poems were still coming meanwhile."""
        if self.live.live or self.slow is None:
            return
        closed = [c for c in self.tail.trace.callbacks if c.end is not None]
        for callback in closed[self.told:]:
            if callback.duration > self.slow:  # as the client's --slow-callback
                others = self.waited(callback)
                who, secs = callback.describe(), callback.duration
                text = (t("was_held", who=who, secs=secs, tasks=task_list(others)) if others
                        else t("was_held_alone", who=who, secs=secs))
                for part in fold(text, width=self.room(), indent="  ").split("\n"):
                    self.emit(part)
        self.told = len(closed)

    def block(self, final=False):
        """The live lines, each within LIMIT columns: the bars as wide as
        the longest "have / size" leaves room for."""
        lines, sums = [], []
        for task, size in enumerate(self.sizes, start=1):
            sums.append("%s / %s" % (human_bytes(self.have(task)), human_bytes(size)))
        # As wide as the widest "have / size" will ever be (have = size), so
        # that the bars keep their width while the numbers grow.
        widest = max(columns("%s / %s" % (human_bytes(size), human_bytes(size))) for size in self.sizes)
        bar_width = max(10, min(40, LIMIT - columns("  Task 1 [] ") - max(widest, *map(columns, sums))))
        for task, (size, numbers) in enumerate(zip(self.sizes, sums), start=1):
            have = self.have(task)
            filled = min(bar_width, int(bar_width * have / size)) if size else bar_width
            bar = self.paint(task, "#" * filled) + "." * (bar_width - filled)
            lines.append("  %s [%s] %s" % (self.paint(task, "Task %d" % task), bar, numbers))
        if self.heartbeat:
            room = LIMIT - columns(t("heartbeat", strip="", every=self.heartbeat))
            lines.append(t("heartbeat", strip=self.strip(max(10, min(40, room)), final), every=self.heartbeat))
        if not final:
            lines.append(t("elapsed", secs=time.monotonic() - self.start))
            lines += self.status()
        return lines

    def strip(self, beats, final=False):
        """The last `beats` beats of the heartbeat, one column each: | where a
        tick came, . where one was due and did not come (the loop was held:
        a run of dots that grows is the reactor not getting back)."""
        record = self.tail.trace
        if record.epoch is None or not record.runs:
            return " " * beats
        beat = self.heartbeat
        # The ticks keep to a grid from the instant the reactor's run() began
        # (lib/reactor.cpp), in the trace: a tick's beat is its time from
        # there over the interval, rounded. (Our own clock started earlier,
        # before the client had even connected.)
        began = record.runs[0]
        now_beat = int((time.monotonic() - record.epoch - began) / beat)
        ticked = {round((tick - began) / beat) for tick, _ in record.heartbeats}
        if final and ticked:
            # Drawn once the client has exited: no tick was due after its last.
            now_beat = min(now_beat, max(ticked))
        marks = []
        for n in range(now_beat - beats + 1, now_beat + 1):
            marks.append(" " if n < 1 else ("|" if n in ticked else "."))
        return "".join(marks)

    def status(self):
        if self.key == "blocking":
            current = next((n for n in range(1, len(self.sizes) + 1)
                            if self.have(n) < self.sizes[n - 1]), None)
            return [t("one_at_a_time", task=current), ""] if current else ["", ""]
        record = self.tail.trace
        now = time.monotonic() - (record.epoch or self.start)
        held = record.open
        if held and now - held.start >= self.slow:
            others = self.waiting(held.task())
            ports = [self.ports[n - 1] for n in others]
            return [self.style("1;7", t("held", who=held.describe(), secs=now - held.start)),
                    t("waiting", tasks=task_list(others), queued=human_bytes(queued(ports)))
                    if others else ""]
        return [t("free"), ""]

    def explain_beats(self):
        """A heartbeat later than every single callback of its wait: the
        loop was held by several callbacks one after the other, in one turn
        (say which, once each)."""
        record = self.tail.trace
        for tick, late in record.heartbeats[self.explained:]:
            if late > max(self.slow or 0, self.heartbeat or 0):
                due = tick - late
                during = [c for c in record.callbacks if c.end is not None and c.end > due and c.start < tick
                          and c.name != E.callLater]
                longest = max((c.duration for c in during), default=0)
                if len(during) > 1 and late > longest * 1.2:
                    # Each name once, in order, with how many times it ran.
                    counts = Counter(c.describe() for c in during)
                    names = [name if n == 1 else "%s x%d" % (name, n) for name, n in counts.items()]
                    text = t("beat_why", late=late, longest=longest, n=len(during), who=", ".join(names))
                    for part in fold(text, width=self.room(), indent="  ").split("\n"):
                        self.emit(part)
        self.explained = len(record.heartbeats)


# The clients' warnings (lib/slow_callback.cpp, lib/heartbeat.cpp), which
# the demo shows in the class's language.
HELD_WARNING = re.compile(r"^(.*?) \((fd \d+[^)]*)\) blocked the reactor for ([\d.]+) s$")
LATE_WARNING = re.compile(r"^heartbeat: the reactor was ([\d.]+) s late$")


def said(warning):
    """A client's warning as the class reads it."""
    held, late = HELD_WARNING.match(warning), LATE_WARNING.match(warning)
    if held:
        return t("warn_held", who=held.group(1), where=held.group(2), secs=held.group(3))
    if late:
        return t("warn_late", secs=late.group(1))
    return warning
