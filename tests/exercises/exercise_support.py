"""What the exercise checks share: running the learner's program so that no
mistake of theirs can break the checker, servers that misbehave on purpose,
reading the program's --trace record, and failures worded for the learner
(in English or Korean).

Every check runs the program with --trace FILE: the record of what the
reactor and the sockets did (lib/trace.hpp, read by tools/labtrace.py).
That is how a check grades what the chapter teaches and not only what was
printed: was the reactor ever held inside a callback, did a timer end the
poem, did the poems arrive side by side. What the program printed is read
from its stdout, a pseudo-terminal as on a learner's screen (so that C and
C++ streams are line-buffered there too), each line with when it came:
lab::say, std::cout and printf all count the same.
"""
import errno
import os
import pty
import selectors
import signal
import socket
import subprocess
import sys
import threading
import time
import tty
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "blackbox"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))

import labtrace  # noqa: E402
import lablib  # noqa: E402
from lablib import GOT, die_with_parent, free_port, kill_group, pick_lang  # noqa: E402,F401 (free_port: for the checks)
from labtest import LabTestCase, SANITIZER_MARKS, Server  # noqa: E402,F401 (Server: for the checks)

# The program under test: the learner's exercise, the solution, or a fixture.
PROGRAM = os.environ.get("LAB_EXERCISE_PROGRAM", "")
LANG = pick_lang()

# How much longer than a correct program needs a run may take before it
# counts as hanging. `./lab check` uses a few seconds; the test suite, where
# the same checks run under the sanitizers on a busy machine, a lot more.
MARGIN = float(os.environ.get("LAB_CHECK_MARGIN", "15"))
# A callback that keeps the reactor longer than this is holding it. Correct
# callbacks here take microseconds; the wrong ones, a second or more.
HELD = 0.5
# More output than this is a flood, not a poem report.
FLOOD = 1 << 20
# SIGTERM first, so the program can write its trace; then SIGKILL.
GRACE = 2.0

# Set when a check's verdict is no longer needed (an earlier check failed,
# or the learner quit ./lab watch): running programs are stopped at once.
ABANDON = threading.Event()


class Abandoned(Exception):
    """The check was stopped because its verdict is not needed."""


def tr(en, ko, **values):
    """The learner's language: each message is written in both, side by side."""
    return lablib.say(LANG, en, ko, **values)


def checks_of(module):
    """The checks of an exercise, in the order the verdict numbers them:
    (method name, TestCase class), by name (test_01_..., test_02_...)."""
    found = []
    for value in vars(module).values():
        if isinstance(value, type) and issubclass(value, unittest.TestCase):
            found += [(name, value) for name in dir(value) if name.startswith("test_")]
    return sorted(found)


# --- running the learner's program ------------------------------------------

class Run:
    """What a run of the program did: its lines (with when each arrived),
    its exit, and its --trace record."""

    def __init__(self, args):
        self.args = [str(a) for a in args]
        self.lines, self.times = [], []
        self.stderr = ""
        self.returncode = None
        self.signal = None       # "SIGSEGV" when a signal ended it
        self.hung = False        # still running at the limit: we stopped it
        self.ignored_term = False  # ... and it did not stop on SIGTERM
        self.flooded = False
        self.started = self.ended = 0.0
        self.stopped_at = None   # when we sent SIGTERM to a hung run
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

    def line(self, text):
        """The first stdout line that reads `text`, as a labtrace.Line (its
        time on the trace's clock), or None."""
        for line, when in zip(self.lines, self.times):
            if line == text:
                epoch = self.trace.epoch if self.trace is not None and self.trace.epoch else self.started
                return labtrace.Line(line, when - epoch)
        return None

    def timed_lines(self):
        """Every stdout line as a labtrace.Line, on the trace's clock."""
        epoch = self.trace.epoch if self.trace is not None and self.trace.epoch else self.started
        return [labtrace.Line(line, when - epoch) for line, when in zip(self.lines, self.times)]

    def lines_before_stop(self):
        """What it printed on its own, before a hang made us stop it."""
        if self.stopped_at is None:
            return self.lines
        return [l for l, t in zip(self.lines, self.times) if t < self.stopped_at]

    def got(self, task):
        """The bytes in task `task`'s `got` lines, summed."""
        return sum(int(m.group(2)) for m in map(GOT.match, self.lines)
                   if m and int(m.group(1)) == task)


def hopeless(trace_path, timer_due):
    """Whether the --trace record so far says that the run can only hang:
    the reactor runs with nothing to wait for (every reader gone but its
    waker, no timer armed), or, with a --timeout, no timer fired long after
    it was due. None when it does not; "timer" for the late timer, which is
    final; else the number of events in the record, for the caller to see
    it hold twice: a program between its last removeReader and its stop()
    looks hopeless for a moment.

    The timer's lateness counts from the reactor's run(), as the record
    says, not from the start: a sanitizer build on a busy machine can take
    seconds to get there. Under the test suite's wide MARGIN it waits
    longer still; under ./lab check's, no longer than the check allows."""
    record = labtrace.load(trace_path)
    if record is None:
        return None
    if timer_due is not None and record.runs and record.epoch is not None:
        since_run = time.monotonic() - (record.epoch + record.runs[0])
        if since_run > timer_due + max(2.0, timer_due) + max(0.0, (MARGIN - 5) / 2):
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


def run_program(args, expect, tmp, during=None, timer_due=None):
    """Runs the program with --trace; `expect` is how long a correct one
    takes. A hang, a crash or a flood is recorded in the Run, never raised:
    the check words it for the learner. A run whose --trace record already
    says it can only hang (see hopeless) is stopped then, not at the limit:
    a learner waits seconds for a verdict, not the margin."""
    run = Run(args)
    trace_path = run.trace_path = os.path.join(tmp, "trace-%d.json" % threading.get_ident())
    run.limit = expect + MARGIN
    argv = die_with_parent([PROGRAM, "--trace", trace_path] + run.args)
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
            if ABANDON.is_set():
                kill_group(proc.pid)
                raise Abandoned()
            gave_up = False
            if term_sent is None and now > next_look:  # is it already hopeless, and still?
                events = hopeless(trace_path, timer_due)
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


# --- servers that misbehave on purpose --------------------------------------

def fill_queue(port):
    """Connections that fill a listen(0) queue on `port`: the kernel then
    drops a new SYN, and a connect can only wait (and retry)."""
    fillers = []
    for _ in range(3):
        filler = socket.socket()
        filler.setblocking(False)
        try:
            filler.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        fillers.append(filler)
    return fillers


class QuietServer:
    """Accepts, sends `first` (maybe nothing), then says nothing more and
    keeps the connection open: only a timer can end such a poem."""

    def __init__(self, first=b"", late=False):
        self.first = first
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(0 if late else 8)
        self.port = self.listener.getsockname()[1]
        self.clients = []
        self.closed = threading.Event()
        # A full accept queue makes the kernel drop a new SYN; the client's
        # kernel sends it again about 1 s later (the initial retransmission
        # timeout), by when we have emptied the queue: a connect that
        # completes about a second late, whatever the client does.
        self.fillers = fill_queue(self.port) if late else []
        self.thread = threading.Thread(target=self._serve, args=(late,), daemon=True)
        self.thread.start()

    def _serve(self, late):
        if late:
            # The client's first SYN comes in this second and is dropped; the
            # kernel sends it again a second later, when there is room.
            time.sleep(1.0)
        self.listener.settimeout(0.1)
        while not self.closed.is_set():
            try:
                conn, _ = self.listener.accept()
            except (socket.timeout, OSError):
                continue
            try:
                conn.sendall(self.first)
            except OSError:
                pass
            self.clients.append(conn)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.closed.set()
        self.thread.join(5)
        for sock in self.clients + self.fillers + [self.listener]:
            sock.close()


class Blackhole:
    """A listener whose queue stays full: a connect to it is never answered,
    so it can only time out."""

    def __enter__(self):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(0)
        self.port = self.listener.getsockname()[1]
        self.fillers = fill_queue(self.port)
        return self

    def __exit__(self, *exc):
        for sock in self.fillers + [self.listener]:
            sock.close()


# --- the checks -------------------------------------------------------------

def check(en, ko, *contract):
    """Names a check for the learner, in both languages, and the contract
    items (exercises/NAME/README.md) it is about."""
    def mark(method):
        method.title = {"en": en, "ko": ko}
        method.contract = contract
        return method
    return mark


def excerpt(lines, last=8):
    """The last lines of some output, indented, with runs of one line
    repeated shown once ("x 40"): a trickling poem prints the same line
    hundreds of times."""
    if not lines:
        return tr("    (nothing)", "    (아무것도 없음)")
    runs = []  # [line, count]
    for line in lines:
        if runs and runs[-1][0] == line:
            runs[-1][1] += 1
        else:
            runs.append([line, 1])
    shown, before = runs[-last:], sum(count for _, count in runs[:-last])
    out = []
    if before:
        out.append(tr("    ... ({n} lines before these)", "    ... (이 앞에 {n}줄)", n=before))
    for line, count in shown:
        out.append("    " + line + ("   (x %d)" % count if count > 1 else ""))
    return "\n".join(out)


def stderr_excerpt(run, last=3):
    lines = [l for l in run.stderr_lines() if l.strip()]
    if not lines:
        return tr("(stderr: nothing)", "(stderr: 없음)")
    return tr("stderr:", "stderr:") + "\n" + excerpt(lines, last)


class ExerciseTestCase(LabTestCase):
    longMessage = False  # our messages alone: they are what the learner reads
    last_run = None
    # How a check that finds the reactor held ends its advice (per exercise).
    HELD_ADVICE = ("", "")

    def fail(self, msg=None, items=None, notes=True):
        """Fails the check. The verdict names `items` of the contract when
        given (instead of the check's own), and adds what the --trace record
        says was the root cause, when it says something the message does not."""
        text = msg or ""
        if notes and self.last_run is not None:
            text = "\n".join([text] + root_causes(self.last_run, self.number_of("reactor_is_never_held")))
        if items:
            text = "{items:%s}" % " ".join(items) + text
        raise self.failureException(text)

    def number_of(self, check):
        """The number the verdict gives the check named `check`."""
        checks = checks_of(sys.modules[type(self).__module__])
        return next((i for i, (name, _) in enumerate(checks, start=1) if name.endswith(check)), None)

    def run_program(self, *args, expect=1.0, during=None, hang=None, timer_due=None):
        """Runs the learner's program; a hang, a crash or a flood fails the
        check with what the program printed and, where the record says,
        why. `hang` words the likely cause when the record does not."""
        if ABANDON.is_set():
            raise Abandoned()
        run = run_program(args, expect, self.tmp, during, timer_due)
        self.last_run = run
        if run.flooded:
            self.fail(tr("`{cmd}` printed more than {mib} MiB, so it was stopped. Does a loop "
                         "print without end? The first lines were:\n{out}",
                         "`{cmd}` 실행이 {mib} MiB 넘게 출력해서 검사기가 중단시켰습니다. 끝없이 출력하는 "
                         "반복문이 있나요? 처음 몇 줄:\n{out}",
                         cmd=run.command, mib=FLOOD >> 20, out=excerpt(run.lines[:6], 6)))
        if run.signal:
            self.fail(self.crash_text(run))
        if run.hung:
            self.fail(self.hang_text(run, hang))
        for mark in SANITIZER_MARKS:
            if mark in run.stderr:
                report = [l for l in run.stderr_lines() if mark in l or "#0 " in l or "#1 " in l]
                self.fail(tr("`{cmd}` made a memory error (AddressSanitizer or UBSan):\n{out}",
                             "`{cmd}`에서 메모리 오류가 났습니다(AddressSanitizer 또는 UBSan):\n{out}",
                             cmd=run.command, out=excerpt(report[:6], 6)))
        return run

    def crash_text(self, run):
        return tr("`{cmd}` crashed: {sig} ended it. What it printed:\n{out}\n{err}",
                  "`{cmd}`이(가) 비정상 종료했습니다: {sig}. 출력한 것:\n{out}\n{err}",
                  cmd=run.command, sig=run.signal, out=excerpt(run.lines),
                  err=stderr_excerpt(run))

    def hang_text(self, run, hang):
        parts = [tr("`{cmd}` was still running after {secs:.1f} s, when a correct client would "
                    "have ended long before, so it was stopped.",
                    "`{cmd}` 실행이 {secs:.1f}초가 지나도 끝나지 않아 검사기가 중단시켰습니다. 올바른 "
                    "클라이언트라면 훨씬 전에 끝납니다.", cmd=run.command,
                    secs=run.stopped_at - run.started)]
        if run.ignored_term:
            parts[0] += " " + tr("It did not stop on SIGTERM either, so it was killed.",
                                 "SIGTERM에도 멈추지 않아서 강제로 끝냈습니다.")
        parts.append(read_hang(run) or hang or tr("It waits for something that will never come.",
                                                  "오지 않을 무언가를 기다리고 있습니다."))
        parts.append(tr("What it printed before it was stopped:\n{out}",
                        "중단되기 전까지 출력한 것:\n{out}", out=excerpt(run.lines_before_stop())))
        return "\n".join(parts)

    # --- what a check asserts, worded for the learner

    def assertLine(self, run, line, why):
        """`line` was printed on stdout (saying so when it went to stderr)."""
        if line in run.lines:
            return
        if line in run.stderr_lines():
            self.fail(tr("{why}\nThe line\n    {line}\nwas printed on stderr: print it on stdout, "
                         "like the other lines (lab::say, std::cout or printf; not lab::warn or "
                         "std::cerr).",
                         "{why}\n다음 줄이\n    {line}\nstderr에 출력되었습니다. 다른 줄처럼 stdout에 "
                         "출력하세요(lab::warn이나 std::cerr가 아니라 lab::say, std::cout, printf).",
                         why=why, line=line))
        self.fail(tr("{why}\nExpected the line\n    {line}\nbut the program printed:\n{out}\n{err}",
                     "{why}\n다음 줄이 나와야 합니다.\n    {line}\n그런데 프로그램이 출력한 것은:\n{out}\n{err}",
                     why=why, line=line, out=excerpt(run.lines), err=stderr_excerpt(run)))

    def assertClosingLines(self, run, sizes, why):
        """The chapter's closing lines: `Task N: K bytes of poetry` for every
        task, then `Got M poems in`. `sizes` has each task's K where the
        check knows it (the whole poem, or 0 for a failed connect), else
        None: then K is what its `got` lines add up to. Either way the
        `got` lines must add up to it: no byte unreported."""
        tasks = len(sizes)
        expected = ["Task %d: %d bytes of poetry" % (task, run.got(task) if size is None else size)
                    for task, size in enumerate(sizes, start=1)]
        tail = run.lines[-(tasks + 1):-1]
        last = run.lines[-1] if run.lines else ""
        consistent = all(size is None or run.got(task) == size for task, size in enumerate(sizes, 1))
        if tail == expected and consistent and last.startswith("Got %d poems in " % tasks):
            return
        if tail == expected and last.startswith("Got %d poems in " % tasks):
            self.fail(tr("{why}\nThe closing lines are right, but the `got` lines do not add up to "
                         "them: every byte that arrives is reported in a `got` line.\n{out}",
                         "{why}\n마지막 줄들은 맞지만 `got` 줄들을 더한 값이 그와 다릅니다. 도착한 "
                         "바이트는 모두 `got` 줄로 보고해야 합니다.\n{out}",
                         why=why, out=excerpt(run.lines)))
        self.fail(tr("{why}\nExpected the closing lines (each count: the bytes that task "
                     "received)\n{exp}\n    Got {n} poems in ...\nbut the output ended "
                     "with:\n{out}\n{err}",
                     "{why}\n마지막 줄들이 다음과 같아야 합니다(각 바이트 수: 그 작업이 받은 "
                     "바이트).\n{exp}\n    Got {n} poems in ...\n그런데 출력은 이렇게 "
                     "끝났습니다:\n{out}\n{err}",
                     why=why, exp="\n".join("    " + l for l in expected), n=tasks,
                     out=excerpt(run.lines, tasks + 2), err=stderr_excerpt(run)))

    def assertEnding(self, run, sizes, why, status, status_why):
        """The closing lines (assertClosingLines), then the exit status."""
        self.assertClosingLines(run, sizes, why)
        self.assertExit(run, status, status_why)

    def assertExit(self, run, status, why):
        if run.returncode != status:
            self.fail(tr("{why} The exit status should be {want}, not {got}.",
                         "{why} 종료 상태는 {want}이어야 합니다(지금은 {got}).",
                         why=why, want=status, got=run.returncode))

    def assertNeverHeld(self, run):
        """No callback kept the reactor past HELD: the chapter's lesson."""
        self.assertTrace(run)
        held = run.trace.held(HELD)
        if not held:
            return
        callback, seconds = max(held, key=lambda pair: pair[1])
        advice_en, advice_ko = self.HELD_ADVICE
        # Who else had a connection open all that time, and so waited.
        end = callback.start + seconds
        holder = run.trace.task_of(callback)
        waiting = sorted({run.trace.task_of(c) for c in run.trace.callbacks
                          if run.trace.task_of(c) and run.trace.task_of(c) != holder
                          and c.start >= end - 1e-6})
        names = ", ".join("Task %d" % t for t in waiting)
        self.fail(tr("Your {what} held the reactor for {secs:.1f} s{while_}: nothing else could "
                     "run meanwhile. That is the broken client's mistake (the chapter's "
                     "get-poetry-broken): a callback must do what it can at once and return "
                     "(read what is there, with a non-blocking socket), never wait.",
                     "{what} 콜백이 reactor를 {secs:.1f}초 동안 붙잡았습니다. 그동안{while_} 다른 "
                     "어떤 것도 실행될 수 없었습니다. 장의 깨진 클라이언트(get-poetry-broken)가 "
                     "하는 실수입니다. 콜백은 지금 할 수 있는 일만 하고(논블로킹 소켓에 와 있는 "
                     "것만 읽고) 바로 돌아와야 하며, 절대 기다리면 안 됩니다.",
                     what=callback.describe(), secs=seconds,
                     while_=(tr(" while {names} waited", " {names}은(는) 기다려야 했고,",
                                names=names) if names else ""))
                  + " " + tr(advice_en, advice_ko), notes=False)

    def assertOverlap(self, run, tasks, alone):
        """The poems arrived side by side: each task's `got` lines are
        interleaved with another's, as in the chapter's reactor client."""
        order = [int(m.group(1)) for m in map(GOT.match, run.lines) if m]
        firsts = {t: order.index(t) for t in tasks if t in order}
        lasts = {t: len(order) - 1 - order[::-1].index(t) for t in tasks if t in order}
        if len(firsts) == len(tasks) and all(
                any(firsts[other] < lasts[t] and firsts[t] < lasts[other] for other in tasks if other != t)
                for t in tasks):
            return
        took = run.ended - run.started
        self.fail(tr("The poems did not arrive side by side: each task's `got` lines came only "
                     "after the one before had finished, and the run took {took:.1f} s, about the "
                     "sum of the servers' times ({sum:.1f} s), not the slowest ({slow:.1f} s). "
                     "Connect to every server first, then run the reactor once: it waits on all "
                     "of them at the same time.",
                     "시들이 나란히 오지 않았습니다. 각 작업의 `got` 줄은 앞 작업이 끝난 뒤에야 "
                     "나왔고, 실행은 {took:.1f}초 걸렸습니다. 가장 느린 서버의 시간({slow:.1f}초)이 "
                     "아니라 서버 시간의 합({sum:.1f}초)에 가깝습니다. 먼저 모든 서버에 연결한 다음 "
                     "reactor를 한 번만 실행하세요. reactor는 모든 서버를 동시에 기다립니다.",
                     took=took, sum=sum(alone), slow=max(alone)))

    def assertTrace(self, run):
        if run.trace is None:
            self.fail(tr("`{cmd}` wrote no --trace record, which the checks need. Keep "
                         "lab::parse_args and lab::Reactor reactor(options) in main: --trace "
                         "is handled there.",
                         "`{cmd}` 실행이 검사에 필요한 --trace 기록을 남기지 않았습니다. main의 "
                         "lab::parse_args와 lab::Reactor reactor(options)를 그대로 두세요. "
                         "--trace는 거기서 처리됩니다.",
                         cmd=run.command))


def root_causes(run, held_check):
    """What the --trace record shows went wrong underneath, in a line or
    two for the verdict: a callback that held the reactor (everything else
    waited), or a timer that stopped the whole reactor while poems were
    still coming."""
    trace = run.trace
    if trace is None:
        return []
    notes = []
    held = trace.held(HELD)
    if held:
        callback, seconds = max(held, key=lambda pair: pair[1])
        notes.append(tr("Underneath: your {what} held the reactor for {secs:.1f} s, and while a "
                        "callback holds it nothing else runs (check {n} is about that).",
                        "근본 원인: {what} 콜백이 reactor를 {secs:.1f}초 동안 붙잡았습니다. 콜백이 "
                        "붙잡고 있는 동안에는 다른 어떤 것도 실행되지 않습니다(검사 {n}에서 "
                        "다룹니다).", what=callback.describe(), secs=seconds, n=held_check))
    for callback in trace.stopped_from(labtrace.E.callLater):
        # The poems that were still coming when that timer stopped the
        # reactor: connected, and not over before its callback was.
        until = callback.end if callback.end is not None else trace.last
        open_tasks = [str(c.task) for c in trace.connects
                      if not c.error and (trace.ended(c.task) is None or trace.ended(c.task) > until)]
        if open_tasks:
            notes.append(tr("Underneath: a timer called reactor.stop() while Task {tasks} was still "
                            "going. stop() ends every poem, not only the one that timed out: let "
                            "connectionLost stop the reactor once no poem is left.",
                            "근본 원인: Task {tasks}이(가) 아직 진행 중인데 타이머가 reactor.stop()을 "
                            "불렀습니다. stop()은 시간 초과된 시 하나가 아니라 모든 시를 끝냅니다. 남은 "
                            "시가 없을 때 connectionLost가 reactor를 멈추게 하세요.",
                            tasks=", ".join(open_tasks)))
            break
    return notes


def read_hang(run):
    """Why a run hung, read from its output and its --trace record; None
    when the record does not say."""
    trace = run.trace
    if trace is None:
        return None
    stuck = trace.stuck_in()
    if stuck is not None:
        return tr("It was stuck inside {what} (for the last {secs:.1f} s of the run): a callback "
                  "that waits holds the whole reactor, and nothing else can happen.",
                  "{what} 안에서 멈춰 있었습니다(실행의 마지막 {secs:.1f}초 동안). 기다리는 콜백은 "
                  "reactor 전체를 붙잡아서 다른 어떤 일도 일어날 수 없습니다.",
                  what=stuck.describe(), secs=run.ended - run.started - stuck.start)
    cutoff = trace.interrupted_at() or float("inf")  # after that, it is us stopping it
    for line in run.timed_lines():
        words = line.text.split(":", 1)
        if len(words) == 2 and words[1].strip().startswith("timed out") and words[0].startswith("Task "):
            task = words[0]
            number = int(task.split()[1]) if task.split()[1:] and task.split()[1].isdigit() else None
            # The line had been printed by the time it came: what started
            # after that came after it.
            later = [c for c in trace.callbacks if c.name == labtrace.E.doRead and line.t < c.start < cutoff
                     and (c.of == task or trace.task_of(c) == number)]
            if later:
                return tr("Your timeout fired ({line}), but its socket was still being read: take it "
                          "out of the reactor (removeReader) and let connectionLost run, so that the "
                          "last task to end stops the reactor.",
                          "시간 초과는 일어났지만({line}), 그 소켓은 계속 읽히고 있었습니다. 소켓을 "
                          "reactor에서 빼고(removeReader) connectionLost가 실행되게 하세요. 그래야 "
                          "마지막으로 끝나는 작업이 reactor를 멈춥니다.",
                          line=line.text)
            if not trace.removed_before(task, cutoff):
                return tr("Your timeout fired ({line}), but that socket never left the reactor: no "
                          "removeReader, so connectionLost never ran, and nothing stopped the reactor "
                          "when the last poem was over. Take it out of the reactor and call "
                          "connectionLost, as a lost connection does.",
                          "시간 초과는 일어났지만({line}), 그 소켓은 reactor에서 빠지지 않았습니다. "
                          "removeReader가 없으니 connectionLost가 실행되지 않았고, 마지막 시가 끝났을 "
                          "때 reactor를 멈출 것이 없었습니다. 끊긴 연결처럼 reactor에서 빼고 "
                          "connectionLost를 부르세요.", line=line.text)
    if "--timeout" in run.args and not trace.timers:
        return tr("No timer was ever armed: callLater was never called. A server that has "
                  "gone silent sends nothing, so no doRead is called that could look at the "
                  "clock: only a timer wakes the reactor for a poem that never finishes.",
                  "타이머가 한 번도 걸리지 않았습니다. callLater가 호출되지 않았습니다. 조용해진 "
                  "서버는 아무것도 보내지 않으므로 시간을 확인할 doRead도 불리지 않습니다. 끝나지 "
                  "않는 시를 위해 reactor를 깨울 수 있는 것은 타이머뿐입니다.")
    resets = max([len(t.resets) for t in trace.timers.values()] or [0])
    if resets >= 3:
        return tr("Your timer was pushed back {n} times (reset or delay on every read), so it "
                  "measures the gap between reads, not the whole poem: a server that keeps "
                  "sending a little never times out.",
                  "타이머가 {n}번 뒤로 밀렸습니다(읽을 때마다 reset이나 delay). 그래서 시 전체가 "
                  "아니라 읽기 사이의 간격을 재고 있습니다. 조금씩 계속 보내는 서버는 절대 시간 "
                  "초과되지 않습니다.", n=resets)
    failed = [c for c in trace.connects if c.error]
    if trace.runs and trace.connects and len(failed) == len(trace.connects):
        return tr("Every connection failed, yet the reactor was started: with nothing to read, "
                  "no connectionLost will ever come to stop it, and run() waits forever. (Asking "
                  "whether reactor.getReaders() is empty does not tell: as in Twisted, the "
                  "reactor's own waker is always among its readers. Ask your sockets.)",
                  "모든 연결이 실패했는데도 reactor를 시작했습니다. 읽을 것이 없으니 reactor를 멈출 "
                  "connectionLost가 오지 않고, run()은 영원히 기다립니다. (reactor.getReaders()가 "
                  "비었는지 물어서는 알 수 없습니다. Twisted처럼 reactor 자신의 waker가 언제나 "
                  "reader 목록에 있습니다. 소켓들에게 물어보세요.)")
    return None
