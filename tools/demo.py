"""./lab demo: the chapter's scenario for a class, in one command.

Starts the chapter's three slow poetry servers, runs the blocking, reactor
and broken clients against them one after another, and prints a
side-by-side table. On a terminal the class watches each client live: a
bar per task, a heartbeat lane (a timer in the client's reactor that
freezes while a callback holds the loop), and, while one does, who holds
it and what the kernel keeps queued for the others. Through a pipe the
chapter's lines stream as they happen. With --out DIR it also draws the
timeline and the chapter's Figure 7 (SVG) and writes Perfetto traces.

    --step   walks the class through the reactor client one turn at a time
    --ask    asks the class for a guess before each client

Standard library only; ./lab builds the programs first.
"""
import argparse
import json
import math
import os
import pty
import select
import shutil
import subprocess
import sys
import tempfile
import time
import tty

import labtrace
from lablib import (FINISHED, GOT, GOT_POEMS, POEM_SIZE, ServerError, SlowServer, fold, josa, pad,
                    pick_lang, reader_may_leave, seconds_of, write_saga)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLIENTS = [  # (key, program under the build folder)
    ("blocking", "blocking-client/get-poetry"),
    ("reactor", "async-client/get-poetry"),
    ("broken", "broken-client/get-poetry-broken"),
]
# One colour per task, the same in the terminal (ANSI) and in the SVGs:
# blue, red, green; bold and bright, which a projector keeps on a dark
# theme or a light one (no yellow, nothing dim).
COLOURS = ["#1f77b4", "#d62728", "#2ca02c"]
ANSI_COLOURS = ["1;94", "1;91", "1;92"]
WIDTH = 40    # a bar, and the heartbeat lane, in columns

TEXT = {  # what the class reads, in English and in the Korean chapter's terms
    "servers": ("The chapter's three slow poetry servers (delay {delay} s)",
                "이 장에 나오는 느린 시 서버 세 개 (지연 {delay}초)"),
    "servers_fast": ("The chapter's three slow poetry servers, ten times faster (delay {delay} s)",
                     "이 장에 나오는 느린 시 서버 세 개, 열 배 빠르게 (지연 {delay}초)"),
    "servers_saga": ("Three slow poetry servers with epic sagas (delay {delay} s)",
                     "대작을 보내는 느린 시 서버 세 개 (지연 {delay}초)"),
    "server_line": ("  :{port:<5}  {poem:<16} {size:>10}, {chunk} bytes a chunk  {alone:6.2f} s alone",
                    "  :{port:<5}  {poem:<16} {size:>10}, 청크 {chunk}바이트  혼자서 {alone:6.2f}초"),
    "taken": ("  (port {want} is taken: port {port} instead)", "  (포트 {want} 사용 중: 대신 포트 {port})"),
    "alone": ("  the slowest alone: {slowest:.2f} s; one after another: {total:.2f} s",
              "  가장 느린 서버 혼자: {slowest:.2f}초; 하나씩 차례로: {total:.2f}초"),
    "blocking": ("The blocking client: one server at a time, so the sum",
                 "블로킹 클라이언트: 한 번에 서버 하나씩, 그래서 걸리는 시간은 합계"),
    "reactor": ("The reactor client: every server at once, so the slowest",
                "reactor 클라이언트: 모든 서버를 한꺼번에, 그래서 가장 느린 서버만큼"),
    "broken": ("The broken client: doRead blocks, holding the whole loop",
               "깨진 클라이언트: doRead가 블로킹하며 루프 전체를 붙잡습니다"),
    # With --ask the headings do not give the answer away.
    "blocking_ask": ("The blocking client", "블로킹 클라이언트"),
    "reactor_ask": ("The reactor client", "reactor 클라이언트"),
    "broken_ask": ("The broken client", "깨진 클라이언트"),
    "held": ("  reactor held by {who}: {secs:.1f} s", "  reactor를 붙잡은 콜백: {who}, {secs:.1f}초"),
    "waiting": ("  {tasks} waiting ({queued} queued in the kernel)",
                "  {tasks}이(가) 기다리는 중 (커널에 {queued} 쌓임)"),
    "elapsed": ("  {secs:.1f} s so far", "  지금까지 {secs:.1f}초"),
    "free": ("  reactor: waiting on every socket at once", "  reactor: 모든 소켓을 한꺼번에 기다리는 중"),
    "one_at_a_time": ("  blocking in recv() for Task {task}; the others wait their turn",
                      "  Task {task}의 recv()에서 블로킹 중; 나머지는 차례를 기다립니다"),
    # Folded to 80 columns, so written without the indent.
    "was_held": ("(the reactor was held by {who} for {secs:.1f} s; {tasks} waited)",
                 "({who} 콜백이 reactor를 {secs:.1f}초 붙잡았고, 그동안 {tasks}은(는) 기다렸습니다)"),
    # No other poem was still coming: nobody waited.
    "was_held_alone": ("(the reactor was held by {who} for {secs:.1f} s)",
                       "({who} 콜백이 reactor를 {secs:.1f}초 붙잡았습니다)"),
    "heartbeat": ("  heartbeat [{strip}] every {every} s", "  heartbeat [{strip}] {every}초마다"),
    "ask": ("  How many seconds will it take? (Enter: no guess) ",
            "  몇 초 걸릴까요? (Enter: 추측 없음) "),
    "not_a_guess": ("  not a number of seconds: {text}", "  초 단위 숫자가 아닙니다: {text}"),
    "guessed": ("  you guessed {guess:.1f} s; it took {took:.2f} s",
                "  추측 {guess:.1f}초; 실제 {took:.2f}초"),
    "side_by_side": ("Side by side", "나란히 비교"),
    "servers_alone": ("  servers alone (chunks x delay): slowest {slowest:.2f} s, sum {total:.2f} s",
                      "  서버 혼자 (청크 x 지연): 가장 느린 것 {slowest:.2f}초, 합계 {total:.2f}초"),
    # The table's columns (TABLE lays them out).
    "col_client": ("client", "클라이언트"),
    "col_time": ("time", "시간"),
    "col_slowest": ("x slowest", "x 느린 것"),
    "col_sum": ("x sum", "x 합계"),
    "col_longest": ("longest callback", "가장 긴 콜백"),
    "col_guess": ("guess", "추측"),
    "one_server": ("waited on one server at a time", "한 번에 서버 하나씩 기다렸습니다"),
    "all_at_once": ("waited on all servers at once", "모든 서버를 한꺼번에 기다렸습니다"),
    "hid": ("held the loop a poem at a time; the kernel's buffers hid it",
            "시 한 편씩 루프를 붙잡았지만, 커널 버퍼가 그것을 가렸습니다"),
    "little_better": ("held the loop a poem at a time: little better than blocking",
                      "시 한 편씩 루프를 붙잡았습니다: 블로킹보다 나을 게 거의 없습니다"),
    "in_between": ("in between: blocked part of the time", "중간: 일부 시간 동안 블로킹했습니다"),
    "notice": ("What to notice: the blocking client takes the sum, the reactor client the\n"
               "slowest server's time. The broken client looks just as fast on these small\n"
               "poems, but its longest callback shows it held the loop for a whole poem at a\n"
               "time, and its heartbeat froze meanwhile: the kernel buffered the other\n"
               "servers' bytes. Try ./lab demo --saga.",
               "눈여겨볼 점: 블로킹 클라이언트는 합계만큼, reactor 클라이언트는 가장 느린\n"
               "서버만큼 걸립니다. 깨진 클라이언트도 이 작은 시들에서는 똑같이 빨라 보이지만,\n"
               "가장 긴 콜백을 보면 시 한 편 내내 루프를 붙잡았고 그동안 heartbeat가\n"
               "멈췄습니다. 그사이 커널이 다른 서버의 바이트를 버퍼에 담아 두었습니다.\n"
               "./lab demo --saga도 해 보세요."),
    "notice_saga": ("What to notice: with poems far larger than the kernel's socket buffers,\n"
                    "the broken client is scarcely faster than the blocking one, while the\n"
                    "reactor client still takes about the slowest server's time.",
                    "눈여겨볼 점: 시가 커널의 소켓 버퍼보다 훨씬 크면 깨진 클라이언트는\n"
                    "블로킹 클라이언트보다 거의 빠르지 않고, reactor 클라이언트는 여전히 가장\n"
                    "느린 서버만큼만 걸립니다."),
    "sagas": ("Writing the three epic sagas, 48 MiB each, in a temporary folder",
              "대작 세 편을 쓰는 중 (한 편에 48 MiB, 임시 폴더에)"),
    "stopped": ("(the demo was stopped: Ctrl-C)", "(데모를 멈췄습니다: Ctrl-C)"),
    "step_intro": ("The reactor client, one turn of its loop at a time. Each Enter runs one\n"
                   "turn: the reactor waits until a socket is readable, then calls doRead on\n"
                   "every one that is. Type q and Enter to let it run on.",
                   "reactor 클라이언트를 루프 한 바퀴씩 실행합니다. Enter를 누를 때마다 한 바퀴:\n"
                   "reactor는 소켓이 읽을 수 있게 될 때까지 기다렸다가, 그런 소켓마다 doRead를\n"
                   "부릅니다. q를 치고 Enter를 누르면 계속 실행합니다."),
    "timeline": ("Timeline:  {path}", "타임라인:  {path}"),
    "figure7": ("Figure 7:  {path}", "그림 7:    {path}"),
    "trace": ("Trace:     {path}", "트레이스:  {path}"),
    "perfetto": ("(traces open in ui.perfetto.dev or chrome://tracing)",
                 "(트레이스는 ui.perfetto.dev나 chrome://tracing에서 엽니다)"),
}
LANG = "en"


def t(key, **values):
    en, ko = TEXT[key]
    return josa(ko.format(**values)) if LANG == "ko" else en.format(**values)


def parse_args():
    parser = argparse.ArgumentParser(
        prog="./lab demo",
        description="Run Part 4's scenario: three slow servers, then the blocking, reactor "
                    "and broken clients one after another, then a side-by-side table.")
    parser.add_argument("--fast", action="store_true",
                        help="shrink the servers' delay (0.01 s) so the whole demo takes seconds")
    parser.add_argument("--saga", action="store_true",
                        help="the chapter's 'epic sagas': three large generated poems in large "
                             "chunks, where the broken client falls back to the blocking client's time")
    parser.add_argument("--out", metavar="DIR",
                        help="write DIR/timeline.svg, DIR/reactor-doread.svg (the chapter's "
                             "Figure 7) and Perfetto traces")
    parser.add_argument("--ask", action="store_true",
                        help="before each client, ask the class how long it will take")
    parser.add_argument("--step", action="store_true",
                        help="only the reactor client, one turn of its loop per Enter")
    parser.add_argument("--lang", choices=["en", "ko"], help="captions in English or Korean")
    parser.add_argument("--build", default=os.path.join(ROOT, "build"), help=argparse.SUPPRESS)
    # For the tests: servers on port 0, never on the chapter's ports.
    parser.add_argument("--any-port", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


class Style:
    """Bold, reverse video and the task colours on a terminal; nothing
    through a pipe; no colours (bold and reverse stay) with NO_COLOR."""

    def __init__(self, tty):
        self.tty = tty
        self.colour = tty and not os.environ.get("NO_COLOR")

    def __call__(self, codes, text):
        if not self.tty:
            return text
        if not self.colour:
            codes = ";".join(c for c in codes.split(";") if not c.startswith(("3", "9")))
        return "\033[%sm%s\033[0m" % (codes, text) if codes else text

    def task(self, task, text):
        return self(ANSI_COLOURS[(task - 1) % len(ANSI_COLOURS)], text)


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


class Keyboard:
    """While the class watches, what is typed is not echoed into the live
    view (where it would leave stray lines), and is thrown away before the
    next question, so that it is not taken as the answer."""

    def __init__(self):
        self.fd = sys.stdin.fileno() if sys.stdin.isatty() else None
        self.saved = None

    def quiet(self):
        if self.fd is not None and self.saved is None:
            import termios
            self.saved = termios.tcgetattr(self.fd)
            attrs = termios.tcgetattr(self.fd)
            attrs[3] &= ~(termios.ECHO | termios.ICANON)
            termios.tcsetattr(self.fd, termios.TCSADRAIN, attrs)

    def flush(self):
        """Throws away what was typed and not read yet (the kernel keeps it
        for whoever reads the terminal next)."""
        if self.fd is not None:
            import termios
            termios.tcflush(self.fd, termios.TCIFLUSH)

    def restore(self):
        if self.fd is not None and self.saved is not None:
            import termios
            self.flush()  # nor is it left for the shell once the demo ends
            termios.tcsetattr(self.fd, termios.TCSADRAIN, self.saved)
            self.saved = None


KEYBOARD = Keyboard()


def human_bytes(n):
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            if unit == "bytes":
                return "%d %s" % (n, "바이트" if LANG == "ko" else "bytes")
            return "%.1f %s" % (n, unit)
        n /= 1024.0


def task_list(tasks):
    if len(tasks) == 1:
        return "Task %d" % tasks[0]
    return ("Task " if LANG == "ko" else "Tasks ") + ", ".join(str(n) for n in tasks)


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


class ClientRun:
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
        KEYBOARD.quiet()
        try:
            return self._run()
        finally:
            KEYBOARD.restore()

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
            bar = self.style.task(task, "#" * filled) + "." * (WIDTH - filled)
            lines.append("  %s [%s] %s / %s" % (self.style.task(task, "Task %d" % task), bar,
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


def server_times(sizes, chunk_sizes, delay):
    """What each server takes alone: one sleep after every chunk."""
    return [-(-size // chunk) * delay for size, chunk in zip(sizes, chunk_sizes)]


def reading(key, ratio_slowest, ratio_sum, longest, seconds):
    if key == "blocking":
        return t("one_server")
    held_loop = longest is not None and longest > 0.25 * seconds
    if held_loop:
        return t("hid") if ratio_slowest <= 1.15 else t("little_better")
    if ratio_sum >= 0.9:
        return t("one_server")
    if ratio_slowest <= 1.15:
        return t("all_at_once")
    return t("in_between")


# The side-by-side table's columns: (the TEXT of the label, width in
# terminal columns, right-aligned). The header and every row are laid out
# from this one list with lablib.pad, which counts Hangul as two columns,
# so that each label ends where its numbers do, in English and in Korean.
# A width takes in the spaces that part the column from the one before it
# (the first column: from the one after it), so that a label as wide as
# its column's numbers or wider (클라이언트) still leaves a space.
TABLE = [("col_client", 10, False), ("col_time", 9, True), ("col_slowest", 11, True),
         ("col_sum", 8, True), ("col_longest", 18, True)]
GUESS = ("col_guess", 8, True)  # with --ask


def table_line(cells, table):
    return "  " + "".join(pad(cell, width, right) for cell, (_, width, right) in zip(cells, table))


def print_table(results, slowest, total, style, guesses):
    print()
    print(style("1", "== %s ==" % t("side_by_side")))
    print(t("servers_alone", slowest=slowest, total=total))
    table = TABLE + ([GUESS] if guesses else [])
    print(style("1", table_line([t(label) for label, _, _ in table], table)))
    for r in results:
        took = r["took"]
        has_loop = r["key"] != "blocking" and r["longest"] is not None
        cells = [r["key"], "%.2f s" % took, "%.2f" % (took / slowest), "%.2f" % (took / total),
                 "%.3f s" % r["longest"] if has_loop else "-"]
        if guesses:
            guess = guesses.get(r["key"])
            cells.append("%.1f s" % guess if guess is not None else "-")
        print(table_line(cells, table))
        # What the run says, under its row, from the second column on.
        print(" " * (2 + TABLE[0][1]) + reading(r["key"], took / slowest, took / total, r["longest"], took))


# --- pictures and traces ------------------------------------------------------

def escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def nice_step(rough):
    """1, 2 or 5 times a power of ten: ticks a class can read at a glance."""
    power = 10 ** math.floor(math.log10(rough)) if rough > 0 else 1
    for factor in (1, 2, 5, 10):
        if rough <= factor * power:
            return factor * power
    return 10 * power


def draw_timeline(results, traces, sends, path, title):
    """One group of lanes per client, on one time axis: where its loop (or
    each of its tasks) waited, a mark per read on each task's lane, and a
    lane per server for what it sent meanwhile."""
    groups, end = [], 0.0
    for r in results:
        record = labtrace.load(traces[r["key"]])
        lanes = []  # (name, marks, the task whose colour it has or None)
        if r["key"] != "blocking":
            lanes.append(("reactor", [("wait", s, d, "") for tid, s, d in record.waits if tid == 0], None))
        got = record.got()
        for task in sorted({tid for tid, _, _, _ in got}):
            # Reads first, waits over them: a blocking task's span is mostly
            # its wait in recv(), with the reads in the gaps. A recv that
            # took more than a millisecond was a wait for the server.
            marks = [("read", s, d, "%d bytes at %.3f s" % (n, s)) for tid, s, d, n in got if tid == task]
            marks += [("wait", r.start, r.duration, "") for r in record.reads
                      if r.task == task and r.duration > 0.001]
            lanes.append(("Task %d" % task, marks, task))
        for port, sent in sends[r["key"]]:
            lanes.append(("server :%d sent" % port,
                          [("sent", s - record.epoch, 0, "%d bytes" % n) for s, n in sent], None))
        longest = record.longest_callback()
        for _, marks, _ in lanes:
            for _, s, d, _ in marks:
                end = max(end, s + d)
        groups.append((r["key"], lanes, longest))
    end = end or 1.0
    left, width, lane_h, gap, top = 250, 1100, 26, 30, 120
    height = top + sum(len(lanes) * lane_h + gap for _, lanes, _ in groups) + 60
    scale = width / end
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
           'font-family="DejaVu Sans, Arial, sans-serif">' % (left + width + 40, height, left + width + 40, height),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="20" y="36" font-size="24" font-weight="bold">%s</text>' % escape(title),
           '<text x="20" y="62" font-size="15" fill="#333">one lane per task: one mark per read '
           '(its width: how long the read took); grey: waiting; servers: a tick per chunk sent</text>']
    legend = [(COLOURS, "a read, in its task's colour"), (["#bbbbbb"], "waiting"),
              (["#555555"], "a chunk a server sent"), (["#000000"], "the longest callback")]
    x = 20
    for colours, label in legend:
        for colour in colours:
            out.append('<rect x="%d" y="78" width="14" height="14" fill="%s"/>' % (x, colour))
            x += 16
        out.append('<text x="%d" y="90" font-size="14">%s</text>' % (x + 4, escape(label)))
        x += 30 + 8 * len(label)
    y = top
    for key, lanes, longest in groups:
        out.append('<text x="20" y="%d" font-size="17" font-weight="bold">%s</text>' % (y - 8, key))
        for name, marks, task in lanes:  # task: None for the reactor's lane and the servers'
            colour = COLOURS[(task - 1) % len(COLOURS)] if task else "#555555"
            out.append('<g class="lane" data-client="%s" data-lane="%s"%s>' % (
                key, escape(name), ' data-task="%d"' % task if task else ""))
            out.append('<text x="30" y="%d" font-size="15">%s</text>' % (y + 17, escape(name)))
            out.append('<rect x="%d" y="%d" width="%d" height="%d" fill="#f4f4f4"/>'
                       % (left, y + 3, width, lane_h - 6))
            blocking = key == "blocking"
            for kind, s, d, tip in marks:
                fill = {"wait": "#bbbbbb", "read": colour, "sent": "#555555"}[kind]
                h = lane_h - 6 if kind != "sent" else (lane_h - 6) // 2
                if blocking and kind == "wait":
                    h = lane_h - 12  # the task's colour shows above its waits
                out.append('<rect class="%s" x="%.1f" y="%d" width="%.1f" height="%d" fill="%s">'
                           '<title>%s</title></rect>'
                           % (kind, left + s * scale, y + 3 + (lane_h - 6 - h), max(d * scale, 1.2), h,
                              fill, escape(tip or kind)))
            out.append('</g>')
            y += lane_h
        if longest is not None and longest.duration > 0.05 * end:
            x0 = left + longest.start * scale
            out.append('<rect class="longest" x="%.1f" y="%d" width="%.1f" height="4" fill="black"/>'
                       % (x0, y + 2, longest.duration * scale))
            out.append('<text x="%.1f" y="%d" font-size="14">longest callback: %s, %.2f s</text>'
                       % (x0, y + 20, escape(longest.describe()), longest.duration))
            y += 14
        y += gap
    out.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>' % (left, y, left + width, y))
    step, tick = nice_step(end / 10), 0.0
    while tick <= end + 1e-9:
        x0 = left + tick * scale
        out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="black"/>' % (x0, y, x0, y + 6))
        out.append('<text x="%.1f" y="%d" font-size="14" text-anchor="middle">%g s</text>'
                   % (x0, y + 22, round(tick, 6)))
        tick += step
    out.append("</svg>")
    with open(path, "w") as handle:
        handle.write("\n".join(out) + "\n")


def draw_doread(trace, path, turns=10):
    """The chapter's Figure 7 ("the doRead callback"), from a real run of
    the reactor client: the loop on top, turn after turn: it waits until a
    socket is readable, then calls doRead on each task that is. The first
    `turns` turns, one column each (not to scale: waits last far longer
    than callbacks)."""
    record = labtrace.load(trace)
    events = sorted([("wait", s, d, None) for tid, s, d in record.waits if tid == 0] +
                    [("call", c.start, c.duration or 0, c) for c in record.callbacks
                     if c.name == labtrace.E.doRead and c.task()], key=lambda e: e[1])
    columns_, current = [], None
    for kind, start, duration, callback in events:
        if kind == "wait":
            current = {"wait": duration, "calls": []}
            columns_.append(current)
        elif current is not None:
            current["calls"].append(callback)
    columns_ = [c for c in columns_ if c["calls"]][:turns]
    tasks = sorted({c.task() for col in columns_ for c in col["calls"]})
    # A turn is as wide as the doRead calls it made, one beside the other,
    # so that no arrow crosses another task's box.
    left, call_w, top, lane_h = 150, 96, 110, 64
    width = left + sum(call_w * len(col["calls"]) + 14 for col in columns_) + 30
    height = top + 90 + lane_h * len(tasks) + 10
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
           'font-family="DejaVu Sans, Arial, sans-serif">' % (width, height, width, height),
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
           'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>',
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="20" y="34" font-size="22" font-weight="bold">Figure 7, from a real run: the '
           'reactor loop and its doRead calls</text>',
           '<text x="20" y="58" font-size="14" fill="#333">async-client/get-poetry, one turn of '
           'the loop after another: it waits (grey, how long) until a socket is readable,</text>',
           '<text x="20" y="76" font-size="14" fill="#333">then calls doRead on each task whose '
           'socket is (the bytes it read); doRead returns to the loop (dashed). Not to scale;</text>',
           '<text x="20" y="94" font-size="14" fill="#333">"ready": a socket was readable already, '
           'so the loop did not wait at all.</text>']
    loop_y = top + 10
    out.append('<text x="20" y="%d" font-size="16" font-weight="bold">reactor loop</text>' % (loop_y + 22))
    lane_y = {task: loop_y + 70 + i * lane_h for i, task in enumerate(tasks)}
    for task, y in lane_y.items():
        out.append('<text x="20" y="%d" font-size="16" fill="%s">Task %d</text>'
                   % (y + 26, COLOURS[(task - 1) % len(COLOURS)], task))
    x = left
    for col in columns_:
        turn_w = call_w * len(col["calls"]) - 10
        out.append('<g class="turn">')
        out.append('<rect class="wait" x="%d" y="%d" width="%d" height="32" rx="4" fill="#cccccc"/>'
                   % (x, loop_y, turn_w))
        waited = "wait %.1f ms" % (col["wait"] * 1000) if col["wait"] >= 0.0001 else "ready"
        out.append('<text x="%d" y="%d" font-size="14" text-anchor="middle">%s</text>'
                   % (x + turn_w // 2, loop_y + 21, waited))
        for k, callback in enumerate(col["calls"]):
            y = lane_y[callback.task()]
            bx = x + k * call_w
            colour = COLOURS[(callback.task() - 1) % len(COLOURS)]
            got = callback.bytes()
            # The reactor calls doRead (down), doRead returns to the loop (up, dashed).
            out.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333" stroke-width="1.5" '
                       'marker-end="url(#arrow)"/>' % (bx + 16, loop_y + 32, bx + 16, y))
            out.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333" stroke-width="1" '
                       'stroke-dasharray="4,3" marker-end="url(#arrow)"/>'
                       % (bx + call_w - 26, y, bx + call_w - 26, loop_y + 32))
            out.append('<rect class="doread" x="%d" y="%d" width="%d" height="40" rx="4" fill="%s"/>'
                       % (bx, y, call_w - 10, colour))
            out.append('<text x="%d" y="%d" font-size="14" fill="white" text-anchor="middle">'
                       'doRead</text>' % (bx + (call_w - 10) // 2, y + 17))
            out.append('<text x="%d" y="%d" font-size="13" fill="white" text-anchor="middle">'
                       '%d bytes</text>' % (bx + (call_w - 10) // 2, y + 33, got))
        out.append('</g>')
        x += turn_w + 24
    out.append("</svg>")
    with open(path, "w") as handle:
        handle.write("\n".join(out) + "\n")


def write_combined_trace(traces, path):
    """One Perfetto trace with a process per client (blocking, reactor,
    broken), each from its own zero, so that they show side by side."""
    events = []
    for pid, (key, trace) in enumerate(traces.items(), start=1):
        record = labtrace.load(trace)
        for event in record.events:
            event = dict(event, pid=pid)
            if event.get("ph") == "M" and event.get("name") == labtrace.E.process_name:
                event["args"] = {"name": key}
            events.append(event)
    with open(path, "w") as handle:
        json.dump({"displayTimeUnit": "ms", "traceEvents": events}, handle)
        handle.write("\n")


# --- the demo -----------------------------------------------------------------

def ask(style):
    """The class's guess, in seconds; None for no guess (Enter, or the end
    of stdin). Asked again when the answer is not a number of seconds."""
    # What was typed before the question (while the last client ran, or
    # while its results were printed) is not an answer.
    KEYBOARD.flush()
    for _ in range(3):
        sys.stdout.write(style("1", t("ask")))
        sys.stdout.flush()
        line = sys.stdin.readline()
        if not line:
            print()
            return None
        if not line.strip():
            return None
        try:
            value = float(line.strip().replace(",", "."))
        except ValueError:
            value = None
        if value is not None and math.isfinite(value) and value >= 0:
            return value
        print(t("not_a_guess", text=line.strip()))
    return None


def step_through(program, servers, style):
    """--step: the reactor client one turn at a time, one Enter per turn."""
    print(style("1", "== %s ==" % t("reactor")))
    print(t("step_intro"))
    print(style("1", "$ build/async-client/get-poetry --step " + " ".join(str(s.port) for s in servers)))
    # Unbuffered (bufsize=0): an Enter we forward goes at once, and one the
    # client can no longer take fails there and then, not later on a flush.
    proc = subprocess.Popen([program, "--step"] + [str(s.port) for s in servers], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, bufsize=0)
    keys, out = sys.stdin.fileno(), proc.stdout.fileno()
    typed, shown = b"", b""  # the starts of lines still to come, from the class and from the client
    while True:
        ready, _, _ = select.select([out] + ([keys] if keys is not None else []), [], [])
        if keys in ready:
            # os.read, not sys.stdin.readline(): through a pipe several lines
            # come at once, and readline would keep all but the first in
            # Python's buffer, where select() never sees them.
            data = os.read(keys, 1024)
            *lines, typed = (typed + data).split(b"\n")
            forwarding = bool(data)  # the end of our stdin: the end of the turns
            for line in lines:
                if line.strip().lower() == b"q":
                    forwarding = False
                    break
                try:
                    proc.stdin.write(b"\n")  # one Enter, one turn
                except BrokenPipeError:  # it has ended: nobody to forward to
                    forwarding = False
                    break
            if not forwarding:
                proc.stdin.close()  # the end of its stdin: it runs on freely
                keys = None
        if out in ready:
            data = os.read(out, 65536)
            if not data:
                break
            *complete, shown = (shown + data).split(b"\n")
            for raw in complete:
                line = raw.decode(errors="replace")
                print("  " + (style("1;7", line) if line.startswith("step ") else line))
    return proc.wait()


def main():
    global LANG
    args = parse_args()
    LANG = pick_lang(args.lang)
    # Lines stream as they happen, through a pipe too, whatever the
    # environment: the chapter's output is about when things happen.
    sys.stdout.reconfigure(line_buffering=True)
    style = Style(sys.stdout.isatty())
    work = tempfile.mkdtemp(prefix="poetry-lab-demo-")
    servers = []
    try:
        poetry = os.path.join(ROOT, "poetry")
        if args.saga:
            print(style("1", "== %s ==" % t("sagas")))
            names = ("saga-one.txt", "saga-two.txt", "saga-three.txt")
            poems = [write_saga(os.path.join(work, n), 48 * 1024 * 1024, i) for i, n in enumerate(names, 1)]
            print()
            delay, chunk = ("0.005" if args.fast else "0.02"), 256 * 1024
            specs = [(p, ["--num-bytes", str(chunk), "--delay", delay]) for p in poems]
            chunks = [chunk] * 3
        else:
            delay = "0.01" if args.fast else "0.1"
            specs = [(os.path.join(poetry, "ecstasy.txt"), ["--num-bytes", "30", "--delay", delay]),
                     (os.path.join(poetry, "fascination.txt"), ["--delay", delay]),
                     (os.path.join(poetry, "science.txt"), ["--delay", delay])]
            chunks = [30, 10, 10]
        sizes = [os.path.getsize(p) for p, _ in specs]
        alone = server_times(sizes, chunks, float(delay))
        slowest, total = max(alone), sum(alone)
        # A heartbeat slower than the servers' delay, so that it is only ever
        # late when something holds the loop.
        heartbeat = max(float(delay), 0.05)
        # A callback holding the loop longer than this is a hold (ten times
        # shorter with --fast, as the delay is): see ClientRun.
        slow = 0.05 if args.fast else 0.5

        heading = "servers_saga" if args.saga else "servers_fast" if args.fast else "servers"
        print(style("1", "== %s ==" % t(heading, delay=delay)))
        program = os.path.join(args.build, "slow-server", "slowpoetry")
        for want, (poem, options), size, chunk, seconds in zip(
                (0, 0, 0) if args.any_port else (10000, 10001, 10002), specs, sizes, chunks, alone):
            try:
                server = SlowServer(program, poem, *options, port=want)
            except ServerError as error:
                if "Address already in use" not in error.stderr or want == 0:
                    sys.exit("lab demo: the server for %s did not start: %s" % (poem, error))
                server = SlowServer(program, poem, *options)
                print(t("taken", want=want, port=server.port))
            servers.append(server)
            print(t("server_line", port=server.port, poem=os.path.basename(poem), size=human_bytes(size),
                    chunk=chunk, alone=seconds))
        if not args.ask:  # with --ask the class works it out
            print(t("alone", slowest=slowest, total=total))
        print()

        if args.step:
            status = step_through(os.path.join(args.build, "async-client", "get-poetry"), servers, style)
            sys.exit(status)

        results, traces, sends, guesses = [], {}, {}, {}
        for key, path in CLIENTS:
            print(style("1", "== %s ==" % t(key + "_ask" if args.ask else key)))
            if args.ask:
                guesses[key] = ask(style)
            traces[key] = os.path.join(work, "%s.trace.json" % key)
            result = run_client(key, args.build, path, servers, sizes, style, traces[key],
                                heartbeat, slow)
            results.append(result)
            sends[key] = [(s.port, s.sends(result["start"], result["end"])) for s in servers]
            if args.ask and guesses[key] is not None:
                print(t("guessed", guess=guesses[key], took=result["took"]))
            print()
        print_table(results, slowest, total, style, {k: v for k, v in guesses.items() if v is not None})
        print()
        print(t("notice_saga" if args.saga else "notice"))

        if args.out:
            os.makedirs(args.out, exist_ok=True)
            for key, trace in traces.items():
                shutil.copy(trace, os.path.join(args.out, "%s.trace.json" % key))
            timeline = os.path.join(args.out, "timeline.svg")
            draw_timeline(results, traces, sends, timeline, "Part 4, %s: %s" % (
                "epic sagas" if args.saga else "the chapter's poems",
                ", ".join("%s %.1f s" % (r["key"], r["took"]) for r in results)))
            figure7 = os.path.join(args.out, "reactor-doread.svg")
            draw_doread(traces["reactor"], figure7)
            combined = os.path.join(args.out, "demo.trace.json")
            write_combined_trace(traces, combined)
            print()
            print(t("timeline", path=timeline))
            print(t("figure7", path=figure7))
            for path in [os.path.join(args.out, "%s.trace.json" % key) for key in traces] + [combined]:
                print(t("trace", path=path))
            print(t("perfetto"))
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    try:
        with reader_may_leave():
            try:
                main()
            finally:
                KEYBOARD.restore()
    except KeyboardInterrupt:
        print()
        print(t("stopped"))
        sys.exit(130)
