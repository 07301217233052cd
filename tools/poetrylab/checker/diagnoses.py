"""What the --trace record proves went wrong underneath, for the verdict:
a callback that held the reactor, a timer that stopped the whole reactor
while poems were still coming, why a run hung. A cause is said only when
the record shows it."""
import re

from poetrylab import trace as labtrace
from poetrylab.messages import Message

# A callback that keeps the reactor longer than this is holding it. Correct
# callbacks here take microseconds; the wrong ones, a second or more.
HELD = 0.5


def tr(en, ko, **values):
    """A message in both languages, side by side: the verdict is shown in
    the learner's."""
    return Message(en, ko, **values)


def joined(parts, separator="\n"):
    """Messages (or plain lines) one after the other, `separator` between."""
    en = separator.join(p.text("en") if isinstance(p, Message) else p for p in parts)
    ko = separator.join(p.text("ko") if isinstance(p, Message) else p for p in parts)
    return Message(en, ko)


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
        # reactor: connected, not over before its callback began, and not
        # the one it was for (whose `timed out` line came with it).
        mine = {int(l.text.split()[1].rstrip(":")) for l in run.timed_lines()
                if re.match(r"^Task \d+: timed out", l.text) and l.t >= callback.start}
        cut = [c.task for c in trace.connects if not c.error and c.task not in mine
               and (trace.ended(c.task) is None or trace.ended(c.task) > callback.start)]
        if cut:
            notes.append(tr("Underneath: a timer called reactor.stop() while {tasks} still had poetry "
                            "coming: stop() ends every poem, not only the one that timed out. Let "
                            "connectionLost stop the reactor once no poem is left.",
                            "근본 원인: {tasks}에 아직 시가 오고 있는데 타이머가 reactor.stop()을 "
                            "불렀습니다. stop()은 시간 초과된 시 하나가 아니라 모든 시를 끝냅니다. 남은 "
                            "시가 없을 때 connectionLost가 reactor를 멈추게 하세요.",
                            tasks=task_list(cut)))
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
            closed = any(tk == number for t, tk, _ in trace.closes if t < cutoff)
            stopped = any(t < cutoff for t in trace.stops)
            if trace.removed_before(task, cutoff) and not closed and not stopped:
                return tr("Your timeout fired ({line}) and took {task} out of the reactor, but its "
                          "socket was never closed and nothing called reactor.stop(): "
                          "connectionLost, which closes the socket and stops the reactor when no "
                          "poem is left, never ran for it. Call it, as a lost connection does.",
                          "시간 초과가 일어나서({line}) {task}을(를) reactor에서 뺐지만, 그 소켓은 "
                          "닫히지 않았고 아무도 reactor.stop()을 부르지 않았습니다. 소켓을 닫고, 남은 "
                          "시가 없으면 reactor를 멈추는 connectionLost가 그 작업에는 실행되지 "
                          "않았습니다. 끊긴 연결처럼 connectionLost를 부르세요.", line=line.text, task=task)
            if not trace.removed_before(task, cutoff):
                return tr("Your timeout fired ({line}), but that socket never left the reactor: no "
                          "removeReader, so connectionLost never ran, and nothing stopped the reactor "
                          "when the last poem was over. Take it out of the reactor and call "
                          "connectionLost, as a lost connection does.",
                          "시간 초과는 일어났지만({line}), 그 소켓은 reactor에서 빠지지 않았습니다. "
                          "removeReader가 없으니 connectionLost가 실행되지 않았고, 마지막 시가 끝났을 "
                          "때 reactor를 멈출 것이 없었습니다. 끊긴 연결처럼 reactor에서 빼고 "
                          "connectionLost를 부르세요.", line=line.text)
    timeout = timeout_of(run)
    lazy = lazy_timers(trace)
    if timeout is not None and lazy:
        return tr("Your timers are armed in doRead, when a poem's first bytes come ({armed}). "
                  "{without} never sent any, so no doRead came for it and its timer never "
                  "started: a silent server is exactly what the timeout is for. Start each "
                  "poem's timer when its connection is made.",
                  "타이머를 doRead에서, 시의 첫 바이트가 올 때 걸고 있습니다({armed}). {without}에는 "
                  "바이트가 오지 않아 doRead도 불리지 않았고, 그 타이머는 시작되지 않았습니다. "
                  "시간 초과가 필요한 것이 바로 이런 조용한 서버입니다. 각 시의 타이머는 연결이 "
                  "이루어질 때 시작하세요.", armed=lazy[0], without=lazy[1])
    if timeout is not None and trace.timers and not any(t.fired for t in trace.timers.values()):
        unit = wrong_unit(min(t.delay or 0 for t in trace.timers.values()), timeout)
        if unit is not None:
            return unit
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


def timeout_of(run):
    """The seconds of --timeout in the run's command line, or None."""
    if "--timeout" not in run.args:
        return None
    try:
        return float(run.args[run.args.index("--timeout") + 1])
    except (IndexError, ValueError):
        return None


def task_list(tasks):
    """"Task 2", "Tasks 2 and 3" (in Korean, "Task 2", "Task 2, 3")."""
    tasks = sorted(tasks)
    if len(tasks) == 1:
        return Message("Task %d" % tasks[0], "Task %d" % tasks[0])
    head = ", ".join(str(t) for t in tasks[:-1])
    return Message("Tasks %s and %d" % (head, tasks[-1]), "Task %s, %d" % (head, tasks[-1]))


def lazy_timers(trace):
    """When timers were armed inside doRead callbacks (on a poem's first
    bytes) and some connected task got none: (where they were armed, the
    tasks without one); else None."""
    armed_in = {}
    for timer in trace.timers.values():
        callback = trace.callback_at(timer.armed)
        if callback is not None and callback.name == labtrace.E.doRead:
            armed_in[timer.id] = trace.task_of(callback)
    if not armed_in:
        return None
    connected = {c.task for c in trace.connects if not c.error}
    without = connected - set(armed_in.values())
    if not without:
        return None
    where = ", ".join("Task %d doRead" % t for t in sorted(set(armed_in.values()) - {None}))
    return where, task_list(without)


def wrong_unit(delay, seconds):
    """A timer armed for the seconds times (or over) 1000: milliseconds
    where callLater takes seconds. None when it is not that."""
    if not delay or not seconds:
        return None
    for factor, en, ko in ((1000, "times 1000 (milliseconds?)", "에 1000을 곱한 값(밀리초인가요?)"),
                           (0.001, "over 1000", "을(를) 1000으로 나눈 값")):
        if abs(delay - seconds * factor) <= 0.01 * seconds * factor:
            return tr("Your timer was armed for {delay:g} s: --timeout's {secs:g} seconds {how}. "
                      "callLater takes seconds, as --timeout does: give it the seconds as they are.",
                      "타이머가 {delay:g}초로 걸렸습니다. --timeout의 {secs:g}초{how}입니다. callLater는 "
                      "--timeout처럼 초를 받습니다. 초를 그대로 넘기세요.",
                      delay=delay, secs=seconds, how=Message(en, ko))
    return None


def timer_cause(trace, timer, connect, seconds, task):
    """Why the timer that gave up Task `task` did not fire `seconds` after
    its connect, when the record proves it: armed before the connect, a
    ticker, a delay in the wrong unit, moved. Otherwise what was observed
    of it, plainly."""
    if timer is None:
        return None
    if timer.armed < connect.end - 0.001:
        return tr("That timer was armed {secs:.2f} s before Task {task}'s connection was made, "
                  "so it also counted the time spent connecting: start each poem's timer once "
                  "its connection is made.",
                  "그 타이머는 Task {task}의 연결이 이루어지기 {secs:.2f}초 전에 걸려서 연결에 걸린 "
                  "시간까지 셌습니다. 각 시의 타이머는 연결이 이루어진 뒤에 시작하세요.",
                  secs=connect.end - timer.armed, task=task)
    alike = [t for t in trace.timers.values() if t.delay is not None and timer.delay is not None
             and abs(t.delay - timer.delay) <= 0.001 + 0.01 * timer.delay]
    if timer.delay is not None and timer.delay < seconds / 2 and len(alike) >= 3:
        return tr("That timer is a ticker: one of {n} timers of {delay:g} s, armed again and again, "
                  "that look at the deadlines when they fire. The lesson is one timer per poem, "
                  "armed for --timeout's seconds when its connection is made, that fires once, "
                  "or is cancelled.",
                  "그 타이머는 반복 타이머입니다. {delay:g}초짜리 타이머 {n}개가 거듭 걸리며, 울릴 "
                  "때마다 마감 시간을 확인합니다. 이 연습 문제가 가르치는 것은 시마다 타이머 하나를, "
                  "연결이 이루어질 때 --timeout의 초만큼 걸어서 한 번 울리게 하거나 취소하는 "
                  "것입니다.", n=len(alike), delay=timer.delay)
    unit = wrong_unit(timer.delay, seconds)
    if unit is not None:
        return unit
    if timer.resets:
        return tr("That timer was moved {n} times (reset or delay) after it was armed.",
                  "그 타이머는 걸린 뒤에 {n}번 옮겨졌습니다(reset이나 delay).", n=len(timer.resets))
    if timer.delay is not None and abs(timer.delay - seconds) > 0.001 + 0.01 * seconds:
        return tr("That timer was armed for {delay:g} s, not the {secs:g} s that --timeout said: "
                  "give callLater --timeout's seconds.",
                  "그 타이머는 --timeout이 말한 {secs:g}초가 아니라 {delay:g}초로 걸렸습니다. callLater에는 "
                  "--timeout의 초를 넘기세요.", delay=timer.delay, secs=seconds)
    return tr("That timer was armed {after:.2f} s after Task {task} connected, for {delay:g} s.",
              "그 타이머는 Task {task}이(가) 연결되고 {after:.2f}초 뒤에 {delay:g}초로 걸렸습니다.",
              after=timer.armed - connect.end, task=task, delay=timer.delay or 0)


def timers_seen(run):
    """What the record shows of the run's timers, in a line; None for a run
    without --timeout."""
    if timeout_of(run) is None or run.trace is None:
        return None
    timers = list(run.trace.timers.values())
    if not timers:
        return tr("The record shows no timer armed.", "기록에는 걸린 타이머가 없습니다.")
    delays = ", ".join("%g s" % t.delay for t in timers[:4] if t.delay is not None)
    return tr("The record shows {n} timer(s) armed ({delays}{more}), {fired} fired, {cancelled} cancelled.",
              "기록에는 타이머 {n}개가 걸렸고({delays}{more}), {fired}개가 울렸고, {cancelled}개가 "
              "취소되었습니다.", n=len(timers), delays=delays, more=", ..." if len(timers) > 4 else "",
              fired=sum(1 for t in timers if t.fired), cancelled=sum(1 for t in timers if t.cancelled is not None))
