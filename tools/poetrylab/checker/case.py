"""What a check is made of: an ExerciseTestCase runs the learner's program
(runner.py), against slow poetry servers and ones that misbehave on purpose
(benches.py), and fails with a message worded for the learner, in English
and Korean (a Message), naming the contract's items it is about, with what
the --trace record proves went wrong underneath (diagnoses.py).

An exercise's checks (exercises/NAME/.meta/checks.py) are the methods
marked @check of its ExerciseTestCase, numbered in the order they are
written.
"""
import os
import tempfile
import unittest

from poetrylab.chapter import GOT
from poetrylab.checker import diagnoses
from poetrylab.checker.diagnoses import HELD, joined, tr
from poetrylab.checker.runner import FLOOD, Abandoned, run_program
from poetrylab.messages import Message
from poetrylab.servers import SlowServer

# The servers' delay in the checks: a poem of a few hundred bytes in a second.
FAST_DELAY = "0.005"
# Whatever a sanitizer prints means a memory error, whatever the exit status.
SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                   "ERROR: UndefinedBehaviorSanitizer")


class CheckFailed(AssertionError):
    """A check's verdict: what was expected and what happened (a Message),
    the contract items it is about (None: the check's own), and what the
    record proves went wrong underneath."""

    def __init__(self, message, items=None, causes=(), run=None):
        super().__init__(message.text("en"))
        self.message, self.items, self.causes = message, tuple(items) if items else None, list(causes)
        self.run = run  # set when a picture of the run would show what went wrong


def check(en, ko, *contract):
    """Names a check for the learner, in both languages, and the contract
    items (exercises/NAME/README.md) it is about."""
    def mark(method):
        method.title = Message(en, ko)
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
    return joined(out)


def stderr_excerpt(run, last=3):
    lines = [l for l in run.stderr_lines() if l.strip()]
    if not lines:
        return tr("(stderr: nothing)", "(stderr: 없음)")
    return joined(["stderr:", excerpt(lines, last)])


class ExerciseTestCase(unittest.TestCase):
    longMessage = False  # our messages alone: they are what the learner reads
    last_run = None
    context = None  # the checker's: the program, the server, the margin, cancel
    numbers = {}    # the number the verdict gives each check, by name
    # How a check that finds the reactor held ends its advice (per exercise).
    HELD_ADVICE = ("", "")

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="poetry-lab-check-")
        self.tmp = self._tmp.name

    def tearDown(self):
        self._tmp.cleanup()

    def write_poem(self, name, data):
        path = os.path.join(self.tmp, name)
        with open(path, "wb") as handle:
            handle.write(data)
        return path

    def server(self, poem, *options, delay=FAST_DELAY, num_bytes=None):
        """A slowpoetry on port 0 of 127.0.0.1, with a short delay; use as a
        context manager. One that does not start is the bench's problem,
        never a verdict on the program (ServerError)."""
        extra = ["--delay", delay] + (["--num-bytes", str(num_bytes)] if num_bytes is not None else [])
        return SlowServer(self.context.server, poem, *(extra + list(options)), iface="127.0.0.1")

    def fail(self, msg=None, items=None, notes=True, picture=False):
        """Fails the check. The verdict names `items` of the contract when
        given (instead of the check's own), and adds what the --trace record
        proves went wrong underneath, when it says something the message
        does not; with `picture`, a drawing of the run comes with it (for
        what the reactor and the timers did)."""
        causes = []
        if notes and self.last_run is not None:
            causes = diagnoses.root_causes(self.last_run, self.number_of("reactor_is_never_held"))
        raise CheckFailed(msg or tr("", ""), items, causes, self.last_run if picture else None)

    def number_of(self, check):
        """The number the verdict gives the check named `check`."""
        return self.numbers.get(check)

    def run_program(self, *args, expect=1.0, during=None, hang=None, timer_due=None):
        """Runs the learner's program; a hang, a crash or a flood fails the
        check with what the program printed and, where the record says,
        why. `hang` words the likely cause when the record does not."""
        if self.context.cancel.is_set():
            raise Abandoned()
        run = run_program(self.context, args, expect, self.tmp, during, timer_due)
        self.last_run = run
        if run.flooded:
            self.fail(tr("`{cmd}` printed more than {mib} MiB, so it was stopped. Does a loop "
                         "print without end? The first lines were:\n{out}",
                         "`{cmd}` 실행이 {mib} MiB 넘게 출력해서 검사기가 중단시켰습니다. 끝없이 출력하는 "
                         "반복문이 있나요? 처음 몇 줄:\n{out}",
                         cmd=run.command, mib=FLOOD >> 20, out=excerpt(run.lines[:6], 6)))
        if run.signal:
            self.fail(self.crash_text(run))
        if run.hung:  # with --timeout, what the timers did shows
            self.fail(self.hang_text(run, hang), picture=diagnoses.timeout_of(run) is not None)
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
            parts[0] = parts[0] + tr("It did not stop on SIGTERM either, so it was killed.",
                                     "SIGTERM에도 멈추지 않아서 강제로 끝냈습니다.")
        cause = diagnoses.read_hang(run)
        if cause is None:  # no cause proven: what was seen, plainly
            cause = hang or tr("It was still waiting.", "아직 기다리고 있었습니다.")
            seen = diagnoses.timers_seen(run)
            if seen is not None:
                cause = joined([cause, seen], " ")
        parts.append(cause)
        parts.append(tr("What it printed before it was stopped:\n{out}",
                        "중단되기 전까지 출력한 것:\n{out}", out=excerpt(run.lines_before_stop())))
        return joined(parts)

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
                         "{why} 종료 상태가 {want}이(가) 되어야 합니다(지금은 {got}).",
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
                  + tr(advice_en, advice_ko), notes=False, picture=True)

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
                     took=took, sum=sum(alone), slow=max(alone)), picture=True)

    def assertTrace(self, run):
        if run.trace is None:
            self.fail(tr("`{cmd}` wrote no --trace record, which the checks need. Keep "
                         "lab::parse_args and lab::Reactor reactor(options) in main: --trace "
                         "is handled there.",
                         "`{cmd}` 실행이 검사에 필요한 --trace 기록을 남기지 않았습니다. main의 "
                         "lab::parse_args와 lab::Reactor reactor(options)를 그대로 두세요. "
                         "--trace는 거기서 처리됩니다.",
                         cmd=run.command))
