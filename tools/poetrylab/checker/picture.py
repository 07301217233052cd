"""A picture of the learner's own run, for a verdict about behaviour (the
reactor held, poems one at a time, a timer missing, early, late or never
cancelled): drawn from the run's --trace record like docs/timeline.svg.
One lane for the reactor (where it waited, its callbacks, the one that held
it marked and labelled), one per task (a mark per read, its connect, when
it ended), and one for the timers (armed, fired, cancelled)."""
import os
import tempfile

from poetrylab import trace as labtrace
from poetrylab.messages import say

COLOURS = ["#1f77b4", "#d62728", "#2ca02c"]  # the tasks', as in the demo
LEFT, WIDTH, LANE, TOP = 200, 1000, 30, 150


def escape(text):
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


class Svg:
    def __init__(self, end):
        self.out, self.scale = [], WIDTH / max(end, 0.001)

    def x(self, t):
        return LEFT + max(t, 0) * self.scale

    def rect(self, kind, t, duration, y, height, fill, tip):
        self.out.append('<rect class="%s" x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"><title>%s</title></rect>'
                        % (kind, self.x(t), y, max(duration * self.scale, 1.5), height, fill, escape(tip)))

    def text(self, x, y, text, size=14, extra=""):
        self.out.append('<text x="%.1f" y="%d" font-size="%d"%s>%s</text>' % (x, y, size, extra, escape(text)))


def draw(trace, title, lang, held=0.5):
    """The SVG of one run, as text, with its labels in `lang`."""
    def s(en, ko, **values):
        return say(lang, en, ko, **values)
    end = max([trace.last] + [t.armed + (t.delay or 0) for t in trace.timers.values() if t.fired is None
                              and t.cancelled is None and (t.delay or 0) < 60] or [1.0]) * 1.02
    svg = Svg(end)
    tasks = sorted({c.task for c in trace.connects})
    # A row per timer while they are few; a ticker's hundred share one.
    timers = list(trace.timers.values())
    rows = len(timers) if 0 < len(timers) <= 6 else 1
    height = TOP + LANE * (len(tasks) + 1 + rows) + 90
    svg.out.append('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
                   'font-family="DejaVu Sans, Noto Sans CJK KR, Noto Sans KR, sans-serif">' % (LEFT + WIDTH + 40, height,
                                                                      LEFT + WIDTH + 40, height))
    svg.out.append('<rect width="100%" height="100%" fill="white"/>')
    svg.text(20, 34, title, 20, ' font-weight="bold"')
    svg.text(20, 60, s("Your run, from its --trace record: the reactor's lane (grey: it waited; dark: a "
                       "callback ran; red: one held it), a lane per task (a mark per read),",
                       "--trace 기록으로 그린 여러분의 실행: reactor 레인(회색: 기다림, 진한 색: 콜백 실행, "
                       "빨간색: reactor를 붙잡은 콜백), 작업마다 레인 하나(읽기마다 표시 하나),"), 13,
             ' fill="#333"')
    svg.text(20, 78, s("and the timers: a line from where each was armed to when it was due; ● fired, "
                       "✕ cancelled, ▷ still armed when the run ended.",
                       "그리고 타이머: 걸린 곳에서 울릴 때까지의 선, ● 울림, ✕ 취소, ▷ 실행이 끝날 때도 걸려 "
                       "있음."), 13, ' fill="#333"')
    y = TOP
    # The reactor's lane.
    svg.text(20, y + 19, "reactor")
    svg.out.append('<g class="lane" data-lane="reactor">')
    for track, start, duration in trace.waits:
        if track == 0:
            svg.rect("wait", start, duration, y + 4, LANE - 8, "#cccccc", "wait")
    for callback in trace.callbacks:
        stop = callback.end if callback.end is not None else trace.last
        hold = stop - callback.start > held
        svg.rect("held" if hold else "callback", callback.start, stop - callback.start, y + 4, LANE - 8,
                 "#c00000" if hold else "#444444", "%s %.3f s" % (callback.describe(), stop - callback.start))
        if hold:
            svg.text(svg.x(callback.start), y - 4, s("{what} held the reactor for {secs:.2f} s",
                                                     "{what} 콜백이 reactor를 {secs:.2f}초 붙잡음",
                                                     what=callback.describe(), secs=stop - callback.start),
                     13, ' fill="#c00000" font-weight="bold"')
    svg.out.append('</g>')
    y += LANE + 8
    for task in tasks:
        colour = COLOURS[(task - 1) % len(COLOURS)]
        svg.text(20, y + 19, "Task %d" % task, extra=' fill="%s"' % colour)
        svg.out.append('<g class="lane" data-lane="Task %d">' % task)
        svg.out.append('<rect x="%d" y="%d" width="%d" height="%d" fill="#f4f4f4"/>' % (LEFT, y + 4, WIDTH, LANE - 8))
        connect = trace.connect_of(task)
        if connect is not None:
            svg.rect("connect", connect.start, connect.end - connect.start, y + 4, LANE - 8, "#999999",
                     s("connect", "연결") + (" (%s)" % connect.error if connect.error else ""))
        for read in trace.reads:
            if read.task == task:
                svg.rect("read", read.start, read.duration, y + 4, LANE - 8, colour,
                         "%d bytes at %.3f s" % (read.bytes, read.start))
        ended = trace.ended(task)
        if ended is not None:
            svg.rect("ended", ended, 0, y + 1, LANE - 2, "#000000", s("over", "끝남"))
        svg.out.append('</g>')
        y += LANE
    y += 8
    svg.out.append('<g class="lane" data-lane="timers">')
    if not timers:
        svg.text(20, y + 19, s("timers", "타이머"))
        svg.text(LEFT + 6, y + 20, s("(no timer was armed)", "(걸린 타이머 없음)"), 13, ' fill="#7f3fbf"')
    elif rows == 1:
        svg.text(20, y + 19, s("{n} timers", "타이머 {n}개", n=len(timers)))
    for row, timer in enumerate(timers):
        if rows > 1:
            if row:
                y += LANE
            svg.text(20, y + 19, s("timer {n} ({d:g} s)", "타이머 {n} ({d:g}초)", n=timer.id, d=timer.delay or 0))
        due = timer.armed + (timer.delay or 0)
        ends = timer.fired.start if timer.fired else timer.cancelled if timer.cancelled is not None else \
            min(due, end)
        svg.out.append('<line class="timer" x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#7f3fbf" stroke-width="2">'
                       '<title>%s</title></line>' % (svg.x(timer.armed), y + LANE // 2, svg.x(ends), y + LANE // 2,
                                                     escape("timer %d, %g s" % (timer.id, timer.delay or 0))))
        mark = "●" if timer.fired else "✕" if timer.cancelled is not None else "▷"
        kind = "fired" if timer.fired else "cancelled" if timer.cancelled is not None else "armed"
        svg.out.append('<text class="%s" x="%.1f" y="%d" font-size="14" fill="#7f3fbf" text-anchor="middle">%s</text>'
                       % (kind, svg.x(ends), y + LANE // 2 + 5, mark))
    svg.out.append('</g>')
    y += LANE + 20
    svg.out.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>' % (LEFT, y, LEFT + WIDTH, y))
    for i in range(11):
        t = end * i / 10
        svg.text(svg.x(t), y + 20, "%.2f s" % t, 12, ' text-anchor="middle"')
    svg.out.append("</svg>")
    return "\n".join(svg.out) + "\n"


def write(trace, title, folder, name):
    """Writes the picture in both languages, atomically (runs side by side
    may write the same one): {"en": path, "ko": path}."""
    os.makedirs(folder, exist_ok=True)
    paths = {}
    for lang, suffix in (("en", ".svg"), ("ko", ".ko.svg")):
        path = os.path.join(folder, name + suffix)
        handle = tempfile.NamedTemporaryFile("w", dir=folder, delete=False, suffix=".tmp", encoding="utf-8")
        with handle:
            handle.write(draw(trace, title.text(lang) if hasattr(title, "text") else title, lang))
        os.replace(handle.name, path)
        paths[lang] = path
    return paths


def held_or_timers(trace):
    """Whether the record has something a picture shows: callbacks, timers."""
    return trace is not None and (trace.callbacks or trace.timers) and isinstance(trace, labtrace.Trace)
