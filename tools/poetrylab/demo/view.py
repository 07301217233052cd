"""What a terminal shows of a client while it runs, redrawn in place: a bar
per task, the heartbeat lane, who holds the reactor and what the kernel
keeps queued for the others; through a pipe, the holds of the loop, told
once each is over."""
import sys
import time

from poetrylab.chapter import FINISHED, GOT
from poetrylab.demo import ANSI_COLOURS, WIDTH, human_bytes, t, task_list
from poetrylab.text import fold


class Live:
    """On a terminal, a block of lines redrawn in place (the bars, the
    heartbeat lane, who holds the reactor); lines printed for good go above
    it. Each redraw rewrites only a block that changed, line over line, so
    that a projector or a shared screen does not flicker. Through a pipe,
    only the lines printed for good."""

    def __init__(self, tty):
        self.tty = tty
        self.height = 0
        self.block = []

    def _rewrite(self, block):
        if self.height:
            sys.stdout.write("\033[%dA" % self.height)
        for line in block:
            sys.stdout.write("\r" + line + "\033[K\n")
        sys.stdout.write("\033[J")  # a shorter block: what was below it goes
        self.height, self.block = len(block), block
        sys.stdout.flush()

    def draw(self, block):
        if self.tty and block != self.block:
            self._rewrite(block)

    def emit(self, line):
        if self.tty:
            block = self.block
            self._rewrite([line])  # over the block's first line; it is drawn again below
            self.height = 0
            self._rewrite(block)
        else:
            print(line)

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

    def paint(self, task, text):
        return self.style(ANSI_COLOURS[(task - 1) % len(ANSI_COLOURS)], text)

    def waiting(self, holder):
        """The tasks whose poems are still coming, other than `holder`."""
        return [n for n in range(1, len(self.sizes) + 1)
                if n != holder and n not in self.finished and self.got[n - 1] < self.sizes[n - 1]]

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
        if self.live.tty or self.slow is None:
            return
        closed = [c for c in self.tail.trace.callbacks if c.end is not None]
        for callback in closed[self.told:]:
            if callback.duration > self.slow:  # as the client's --slow-callback
                others = self.waited(callback)
                who, secs = callback.describe(), callback.duration
                text = (t("was_held", who=who, secs=secs, tasks=task_list(others)) if others
                        else t("was_held_alone", who=who, secs=secs))
                for part in fold(text, width=76, indent="  ").split("\n"):
                    self.live.emit(part)
        self.told = len(closed)

    def block(self, final=False):
        lines = []
        for task, (have, size) in enumerate(zip(self.got, self.sizes), start=1):
            filled = min(WIDTH, int(WIDTH * have / size)) if size else WIDTH
            bar = self.paint(task, "#" * filled) + "." * (WIDTH - filled)
            lines.append("  %s [%s] %s / %s" % (self.paint(task, "Task %d" % task), bar,
                                                human_bytes(have), human_bytes(size)))
        if self.heartbeat:
            lines.append(t("heartbeat", strip=self.strip(), every=self.heartbeat))
        if not final:
            lines.append(t("elapsed", secs=time.monotonic() - self.start))
            lines += self.status()
        return lines

    def strip(self):
        """The last WIDTH beats of the heartbeat, one column each: | where a
        tick came, . where one was due and did not come (the loop was held:
        a run of dots that grows is the reactor not getting back)."""
        record = self.tail.trace
        if record.epoch is None or not record.runs:
            return " " * WIDTH
        beat = self.heartbeat
        # The ticks keep to a grid from the instant the reactor's run() began
        # (lib/reactor.cpp), in the trace: a tick's beat is its time from
        # there over the interval, rounded. (Our own clock started earlier,
        # before the client had even connected.)
        began = record.runs[0]
        now_beat = int((time.monotonic() - record.epoch - began) / beat)
        ticked = {round((tick - began) / beat) for tick, _ in record.heartbeats}
        marks = []
        for n in range(now_beat - WIDTH + 1, now_beat + 1):
            marks.append(" " if n < 1 else ("|" if n in ticked else "."))
        return "".join(marks)

    def status(self):
        if self.key == "blocking":
            current = next((n for n in range(1, len(self.sizes) + 1)
                            if self.got[n - 1] < self.sizes[n - 1]), None)
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
