"""What the --trace record proves went wrong underneath, for the verdict:
a callback that held the reactor, a timer that stopped the whole reactor
while poems were still coming, why a run hung. A cause is said only when
the record shows it."""
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
