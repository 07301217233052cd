"""Exercise 2: --timeout with callLater, cancelled when the poem arrives.
Each check's message is what `./lab check` shows the learner; the contract
items (T1 ...) are those of exercises/timeout/README.md."""
import time

from poetrylab.checker.benches import QuietServer
from poetrylab.processes import free_port
from poetrylab.checker import diagnoses
from poetrylab.checker.case import ExerciseTestCase, check, excerpt, joined, tr
from poetrylab.trace import E

SHORT = b"Short and sweet,\nthis poem is done.\n"
# Enough verse to trickle forever at 10 bytes every 20 ms: never finishes in a test.
ENDLESS = b"the slowest poem in the world goes on and on\n" * 5000
# 500 bytes at 10 bytes every 20 ms: about a second, alone.
SECOND = b"a poem that takes one second to arrive\n" * 12 + b"the end\n" * 4


def timed_out(task, seconds):
    return "Task %d: timed out after %s seconds" % (task, seconds)


class Timeout(ExerciseTestCase):

    HELD_ADVICE = ("To wait for time to pass, let the reactor wait: arm a timer with callLater.",
                   "시간이 지나기를 기다리려면 reactor가 기다리게 하세요. callLater로 타이머를 거세요.")

    NEVER_ENDS = tr("This server never finishes its poem, so only a timeout can end the run, and "
                    "none ended it.",
                    "이 서버는 시를 끝내지 않으므로 시간 초과만이 실행을 끝낼 수 있는데, 아무것도 "
                    "끝내지 않았습니다.")

    def trickle(self):
        return self.server(self.write_poem("endless.txt", ENDLESS), num_bytes=10, delay="0.02")

    def assertFromTimer(self, run, task, seconds):
        """Task `task`'s poem was given up by a timer that fired on time:
        its reader left the reactor (or its socket was closed) inside a
        callLater callback, not before `seconds` after its connect, nor
        from a doRead. (The `timed out` line is checked apart: printed
        however the learner likes.)"""
        self.assertTrace(run)
        line = timed_out(task, seconds)
        ended = run.trace.ended(task)
        if ended is None or (run.trace.stops and ended > max(run.trace.stops)):
            self.fail(tr("`{line}` was printed, but Task {task}'s socket stayed in the reactor "
                         "until the reactor itself stopped. When the timeout fires, take the "
                         "socket out of the reactor (removeReader) and let connectionLost run, "
                         "as a lost connection does: then the last task to end stops the reactor.",
                         "`{line}` 줄은 출력되었지만 Task {task}의 소켓은 reactor 자체가 멈출 때까지 "
                         "reactor에 남아 있었습니다. 시간 초과가 일어나면 끊긴 연결처럼 소켓을 "
                         "reactor에서 빼고(removeReader) connectionLost가 실행되게 하세요. 그래야 "
                         "마지막으로 끝나는 작업이 reactor를 멈춥니다.", line=line, task=task), picture=True)
        callback = run.trace.ended_in(task)
        if callback is None or callback.name != E.callLater:
            where = callback.describe() if callback else tr("main, outside the reactor",
                                                            "reactor 밖의 main")
            self.fail(tr("`{line}` was printed, but Task {task}'s poem was given up from {where}, "
                         "not by a timer. A deadline checked when bytes arrive is never checked "
                         "when none do: a silent server would keep the client waiting forever. "
                         "Arm a timer with callLater when the connection is made; the reactor "
                         "fires it on time whatever arrives.",
                         "`{line}` 줄은 출력되었지만 Task {task}의 시는 타이머가 아니라 {where}에서 "
                         "포기되었습니다. 바이트가 올 때 확인하는 마감 시간은 아무것도 오지 않으면 "
                         "확인되지 않습니다. 조용한 서버라면 클라이언트는 영원히 기다립니다. 연결이 "
                         "이루어질 때 callLater로 타이머를 거세요. reactor는 무엇이 오든 제시간에 "
                         "타이머를 실행합니다.", line=line, task=task, where=where), picture=True)
        # When it fired, against when it should have; why, when the record
        # proves it (diagnoses.timer_cause), else what it shows of the timer.
        timer = run.trace.timers.get(callback.timer)
        connect = self.connect_of(run, task)
        after, secs = callback.start - connect.end, float(seconds)
        wrong_delay = timer is not None and timer.delay is not None and not timer.resets and \
            abs(timer.delay - secs) > 0.001 + 0.01 * secs
        late = after > secs + max(2.0, secs)  # a timer is never that late on its own
        early = after < secs - 0.05
        if wrong_delay or late or early:
            self.fail(joined([
                tr("`{line}`: a timer gave up Task {task}'s poem {after:.2f} s after it connected; "
                   "{when}.",
                   "`{line}`: 타이머가 Task {task}의 시를 연결 후 {after:.2f}초 만에 포기했습니다. "
                   "{when}.", line=line, task=task, after=after,
                   when=tr("too early for --timeout {secs}", "--timeout {secs}에 비해 너무 이릅니다", secs=seconds)
                   if early else tr("too late for --timeout {secs}", "--timeout {secs}에 비해 너무 늦습니다",
                                    secs=seconds)
                   if late else tr("--timeout said {secs}", "--timeout은 {secs}이었(였)습니다", secs=seconds)),
                diagnoses.timer_cause(run.trace, timer, connect, secs, task)], " "), picture=True)

    def short_and_endless(self):
        """Task 1's poem arrives at once; task 2's never ends: --timeout 1.5."""
        short = self.write_poem("short.txt", SHORT)
        with self.server(short) as fast, self.trickle() as slow:
            return self.run_program("--timeout", "1.5", fast.port, slow.port, expect=1.5, timer_due=1.5,
                                    hang=self.NEVER_ENDS)

    def assertTimersCancelled(self, run):
        """Every timer armed for a poem that arrived was cancelled with what
        callLater returned: not left to fire later, however harmlessly."""
        self.assertTrace(run)
        left = [t for t in run.trace.timers.values() if t.cancelled is None]
        if left:
            self.fail(tr("Both poems arrived in time, but not every timer you armed was "
                         "cancelled: {n} of {of} stayed armed after its poem was over, to fire later "
                         "(even if it then does nothing, it keeps a dead poem's work queued in the "
                         "reactor). Keep what callLater returns and cancel() it when the poem ends, "
                         "in connectionLost.",
                         "시 두 편 모두 제시간에 도착했지만, 걸어 둔 타이머 {of}개 중 {n}개가 취소되지 "
                         "않았습니다. 시가 끝난 뒤에도 걸려 있다가 나중에 울립니다(울려서 아무 일도 "
                         "하지 않더라도, 끝난 시의 일이 reactor에 남아 있는 것입니다). callLater가 "
                         "반환하는 것을 보관했다가 시가 끝날 때 connectionLost에서 cancel()하세요.",
                         n=len(left), of=len(run.trace.timers)), picture=True)

    def connect_of(self, run, task):
        connects = sorted(run.trace.connects, key=lambda c: c.start)
        if len(connects) < task:
            self.fail(tr("The client connected to {n} server(s), not to each of the {task} named.",
                         "클라이언트가 이름이 주어진 서버 {task}개 모두가 아니라 {n}개에만 "
                         "연결했습니다.", n=len(connects), task=task))
        return connects[task - 1]

    @check("a slow poem times out, the others go on",
           "느린 시는 시간 초과되고, 나머지는 계속된다", "T3", "T5", "T6")
    def slow_poem_times_out_and_the_others_go_on(self):
        run = self.short_and_endless()
        self.assertLine(run, timed_out(2, "1.5"),
                        tr("Task 2's poem never finishes, so 1.5 s after it connected the client "
                           "should say so (the seconds printed with <<, as 1.5).",
                           "Task 2의 시는 끝나지 않으므로, 연결하고 1.5초 뒤에 클라이언트가 그렇다고 "
                           "말해야 합니다(초는 <<로 출력해서 1.5)."))
        if timed_out(1, "1.5") in run.lines:
            self.assertTrace(run)
            fired = [t for t in run.trace.timers.values() if t.fired is not None and t.cancelled is None]
            if run.trace.whole(1) and fired:
                self.fail(tr("Task 1's poem arrived whole, in time, yet it was reported as timed "
                             "out: a timer that nobody had cancelled fired later. Keep what "
                             "callLater returns and cancel it when the poem is done.",
                             "Task 1의 시는 제시간에 온전히 도착했는데도 시간 초과로 보고되었습니다. "
                             "아무도 취소하지 않은 타이머가 나중에 울린 것입니다. callLater가 반환하는 "
                             "것을 보관했다가 시가 끝나면 취소(cancel)하세요."), picture=True)
            self.fail(tr("Task 1's poem arrives at once, yet it was reported as timed out: it was "
                         "not read in time.",
                         "Task 1의 시는 곧바로 도착하는데도 시간 초과로 보고되었습니다. 시가 제때 "
                         "읽히지 못한 것입니다."))
        self.assertEnding(run, [len(SHORT), None], tr("After a timeout the other tasks go on, then come the "
                                     "closing lines.",
                                     "시간 초과 뒤에도 다른 작업은 계속되고, 그다음 마지막 "
                                     "줄들이 나옵니다."),
                          1, tr("A poem timed out.", "시 한 편이 시간 초과되었습니다."))

    @check("the timeout bounds the whole poem", "시간 제한은 시 전체에 걸린다", "T4")
    def timeout_bounds_the_whole_poem(self):
        with self.trickle() as slow:
            run = self.run_program("--timeout", "0.5", slow.port, expect=0.5, timer_due=0.5,
                                   hang=self.NEVER_ENDS)
        self.assertLine(run, timed_out(1, "0.5"),
                        tr("A server that keeps sending a few bytes at a time must still time out: "
                           "the timeout bounds the whole poem, from connect to the end, not the "
                           "gap between two reads.",
                           "몇 바이트씩 계속 보내는 서버도 시간 초과되어야 합니다. 시간 제한은 "
                           "읽기 사이의 간격이 아니라 연결부터 끝까지 시 전체에 걸립니다."))
        self.assertExit(run, 1, tr("A poem timed out.", "시 한 편이 시간 초과되었습니다."))

    @check("every poem times out", "모든 시가 시간 초과된다", "T3", "T6")
    def every_poem_times_out(self):
        with self.trickle() as a, self.trickle() as b:
            run = self.run_program("--timeout", "0.4", a.port, b.port, expect=0.4, timer_due=0.4,
                                   hang=self.NEVER_ENDS)
        for task in (1, 2):
            self.assertLine(run, timed_out(task, "0.4"),
                            tr("Both poems were too slow: both tasks should time out.",
                               "시 두 편 모두 너무 느립니다. 두 작업 모두 시간 초과되어야 합니다."))
        self.assertEnding(run, [None, None], tr("When every poem timed out the client still prints the "
                                     "closing lines.",
                                     "모든 시가 시간 초과되어도 마지막 줄들은 출력합니다."),
                          1, tr("Poems timed out.", "시가 시간 초과되었습니다."))

    @check("poems in time do not time out", "제시간에 온 시는 시간 초과되지 않는다",
           "T1", "T5", "T6")
    def poems_in_time_do_not_time_out(self):
        short = self.write_poem("short.txt", SHORT)
        for timeout in (["--timeout", "20"], []):
            with self.server(short) as a, self.server(short) as b:
                run = self.run_program(*(timeout + [a.port, b.port]), expect=0.2,
                                       hang=tr("Both poems arrived at once. Is the client waiting "
                                               "for a timer that should have been cancelled?",
                                               "시 두 편 모두 바로 도착했습니다. 취소되었어야 할 "
                                               "타이머를 기다리고 있나요?"))
            late = [l for l in run.lines if "timed out" in l]
            if late:
                self.fail(tr("`{cmd}`: every poem arrived at once, yet this was printed:\n{out}",
                             "`{cmd}`: 모든 시가 바로 도착했는데도 다음이 출력되었습니다:\n{out}",
                             cmd=run.command, out=excerpt(late)))
            self.assertEnding(run, [len(SHORT)] * 2, tr("Poems that arrive in time are reported as usual.",
                                         "제시간에 온 시는 평소처럼 보고됩니다."),
                              0, tr("Nothing timed out.", "아무것도 시간 초과되지 않았습니다."))
            self.assertTimersCancelled(run)

    @check("a bad --timeout is refused", "잘못된 --timeout은 거부된다", "T7")
    def bad_timeout_is_refused(self):
        for value in ["0", "-1", "soon", "nan", "inf"]:
            run = self.run_program("--timeout", value, free_port(), expect=0.1)
            self.assertExit(run, 1, tr("--timeout {v} makes no sense and should be refused.",
                                       "--timeout {v}은(는) 말이 되지 않으므로 거부되어야 합니다.",
                                       v=value))
            if "--timeout" not in run.stderr:
                self.fail(tr("The error for --timeout {v} should name --timeout, on stderr.",
                             "--timeout {v}에 대한 오류는 stderr에 --timeout을 언급해야 합니다.",
                             v=value))

    @check("a lost poem does not time out later", "끊긴 시는 나중에 시간 초과되지 않는다", "T5")
    def lost_poem_does_not_time_out_later(self):
        # Task 1's server is stopped mid-poem (the connection is reset) long
        # before --timeout; task 2 trickles on until its timeout. By then task
        # 1 is over, and its timer must be gone with it.
        with self.trickle() as doomed, self.trickle() as slow:
            stopped = []

            def stop_doomed(run):
                # Mid-poem, and once Task 1's connect is over as the client
                # sees it: a reset while it still checks its connect would
                # read as a failed connect, not a lost poem.
                def mid_poem():
                    record = run.trace_so_far()
                    return doomed.sending_lines() >= 5 and record is not None and record.connects
                deadline = time.monotonic() + 20
                while not mid_poem() and time.monotonic() < deadline:
                    time.sleep(0.01)
                if mid_poem():
                    stopped.append(doomed.stop())
            run = self.run_program("--timeout", "1.5", doomed.port, slow.port, expect=1.5, timer_due=1.5,
                                   during=stop_doomed, hang=self.NEVER_ENDS)
        if not stopped:
            self.fail(tr("Task 1's server was to be stopped mid-poem, but it never got that far: "
                         "the client never connected to it, or stopped reading from it first "
                         "(closed it?), though its poem was still coming.\n{out}",
                         "Task 1의 서버를 시 중간에 멈출 참이었는데, 서버가 거기까지 가지 "
                         "못했습니다. 시가 아직 오는 중인데 클라이언트가 그 서버에 연결하지 "
                         "않았거나, 먼저 읽기를 그만두었습니다(닫았나요?).\n{out}",
                         out=excerpt(run.lines)))
        if not [l for l in run.lines if l.startswith("Task 1: lost the connection")]:
            self.fail(tr("Task 1's server was stopped mid-poem: expected 'Task 1: lost the "
                         "connection to ...', got:\n{out}",
                         "Task 1의 서버가 시 중간에 멈췄습니다. 'Task 1: lost the connection to "
                         "...' 줄이 나와야 하는데, 실제 출력은:\n{out}", out=excerpt(run.lines)))
        if timed_out(1, "1.5") in run.lines:
            self.fail(tr("Task 1's connection was lost long before its timeout, yet later it was "
                         "also reported as timed out: cancel the timer whenever the poem is over "
                         "(in connectionLost), not only when it ends cleanly.",
                         "Task 1의 연결은 시간 제한보다 훨씬 전에 끊겼는데, 나중에 시간 초과로도 "
                         "보고되었습니다. 시가 정상적으로 끝날 때만이 아니라 어떻게든 끝나면 "
                         "(connectionLost에서) 타이머를 취소하세요."))
        self.assertLine(run, timed_out(2, "1.5"), tr("Task 2 never finishes, so it should time "
                                                     "out after 1.5 s.",
                                                     "Task 2는 끝나지 않으므로 1.5초 뒤에 시간 "
                                                     "초과되어야 합니다."))

    @check("the reactor is never held", "reactor를 붙잡지 않는다", "T8")
    def reactor_is_never_held(self):
        self.assertNeverHeld(self.short_and_endless())

    @check("silent servers time out, from a timer", "조용한 서버도 타이머로 시간 초과된다",
           "T2", "T4")
    def silent_servers_time_out_from_a_timer(self):
        half = SHORT[:len(SHORT) // 2]
        with QuietServer() as mute, QuietServer(half) as halfway:
            run = self.run_program("--timeout", "0.5", mute.port, halfway.port, expect=0.5, timer_due=0.5,
                                   hang=tr("One server sends nothing at all and the other stops "
                                           "halfway: no doRead comes for them, so only a timer "
                                           "(callLater) can end their poems.",
                                           "한 서버는 아무것도 보내지 않고 다른 서버는 중간에 "
                                           "멈춥니다. 이들에게는 doRead가 오지 않으므로 타이머"
                                           "(callLater)만이 시를 끝낼 수 있습니다."))
        for task in (1, 2):
            self.assertLine(run, timed_out(task, "0.5"),
                            tr("Task 1's server sends nothing and Task 2's stops halfway: both "
                               "must time out after 0.5 s.",
                               "Task 1의 서버는 아무것도 보내지 않고 Task 2의 서버는 중간에 "
                               "멈춥니다. 둘 다 0.5초 뒤에 시간 초과되어야 합니다."))
            self.assertFromTimer(run, task, "0.5")
        self.assertClosingLines(run, [0, len(half)], tr("Then the closing lines, as always.",
                                           "그다음 언제나처럼 마지막 줄들이 나옵니다."))

    @check("a timer per poem, from its connect", "타이머는 시마다 하나씩, 연결 시점부터", "T2")
    def a_timer_per_poem_from_its_connect(self):
        # Task 2's connect completes about a second after Task 1's (its
        # server's queue is full at first). With a timer per poem, started
        # at its connect, the two timeouts come a second apart, from two
        # timers; one timer for all poems cannot do that.
        # How late Task 2's connect is depends on when the kernel resends
        # its SYN: too early proves nothing, too late (a second resend, at
        # 3 s) makes every timer late. Either is the test bench's luck, not
        # the learner's doing: try once more.
        for attempt in (1, 2):
            with self.trickle() as slow, QuietServer(late=True) as late:
                run = self.run_program("--timeout", "1", slow.port, late.port, expect=4, timer_due=1,
                                       hang=self.NEVER_ENDS)
            self.assertTrace(run)
            gap = self.connect_of(run, 2).end - self.connect_of(run, 1).end
            if 0.5 <= gap <= 1.8:
                break
        if gap < 0.5:  # the check would prove nothing
            raise RuntimeError("Task 2's connect was not late (%.2f s): the check cannot tell a "
                               "timer per poem from a shared one" % gap)
        for task in (1, 2):
            self.assertLine(run, timed_out(task, "1"), tr("Neither poem ever finishes: both time "
                                                           "out.",
                                                           "어느 시도 끝나지 않으므로 둘 다 시간 "
                                                           "초과됩니다."))
            self.assertFromTimer(run, task, "1")
        one, two = run.trace.ended_in(1), run.trace.ended_in(2)
        if one is two or one.timer == two.timer:
            self.fail(tr("One timer timed out both poems at once, though Task 2 connected "
                         "{gap:.1f} s after Task 1. Each poem needs its own timer, started when "
                         "its own connection is made.",
                         "Task 2는 Task 1보다 {gap:.1f}초 늦게 연결되었는데, 타이머 하나가 시 두 편을 "
                         "한꺼번에 시간 초과시켰습니다. 시마다 자기 연결이 이루어질 때 시작하는 "
                         "자기 타이머가 있어야 합니다.",
                         gap=self.connect_of(run, 2).end - self.connect_of(run, 1).end))
        connects = sorted(run.trace.connects, key=lambda c: c.start)
        for task, callback in ((1, one), (2, two)):
            timer = run.trace.timers.get(callback.timer)
            mine = connects[task - 1]
            following = connects[task].start if task < len(connects) else None
            if timer.armed < mine.end:
                self.fail(tr("Task {task}'s timer was started before its connection was made, so "
                             "it also counted the {secs:.1f} s spent connecting. Start it once "
                             "connect_to has returned.",
                             "Task {task}의 타이머가 연결되기 전에 시작되어 연결에 걸린 "
                             "{secs:.1f}초까지 셌습니다. connect_to가 돌아온 뒤에 시작하세요.",
                             task=task, secs=mine.end - timer.armed))
            if following is not None and timer.armed > following:
                self.fail(tr("Task {task}'s timer was started {secs:.1f} s after Task {task} "
                             "connected, after the next task's connect, so it timed out that "
                             "much late. Start each poem's timer when its own connection is "
                             "made.",
                             "Task {task}의 타이머가 Task {task}의 연결보다 {secs:.1f}초 늦게, 다음 "
                             "작업의 연결 뒤에 시작되어서 그만큼 늦게 시간 초과되었습니다. 각 시의 "
                             "타이머는 자기 연결이 이루어질 때 시작하세요.",
                             task=task, secs=timer.armed - mine.end))

    @check("poems arrive side by side", "시들이 나란히 도착한다", "T9")
    def poems_arrive_side_by_side(self):
        poem = self.write_poem("second.txt", SECOND)
        with self.server(poem, num_bytes=10, delay="0.02") as a, \
                self.server(poem, num_bytes=10, delay="0.02") as b:
            run = self.run_program("--timeout", "30", a.port, b.port, expect=1.2)
        alone = [len(SECOND) / 10 * 0.02] * 2
        self.assertOverlap(run, [1, 2], alone)

