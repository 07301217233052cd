"""The pictures of --out DIR, drawn from the runs' --trace records: the
timeline of the three clients, the chapter's Figure 7, and one Perfetto
trace with a process per client. Their words are in the demo's language
(poetrylab.demo.LANG when they are drawn)."""
import json
import math

from poetrylab import demo
from poetrylab import trace as labtrace
from poetrylab.demo import COLOURS
from poetrylab.messages import say
from poetrylab.text import columns

# Hangul is not in DejaVu Sans or Arial: a viewer takes it from the next
# font on the list that has it.
FONTS = "DejaVu Sans, Arial, 'Noto Sans CJK KR', NanumGothic, sans-serif"


def escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def text_width(text, size):
    """About how wide `text` is at font `size`, in pixels: a Hangul
    syllable takes two columns (poetrylab.text.columns), a letter one."""
    return columns(text) * size * 0.6


def svg_open(width, height):
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
            'font-family="%s">' % (width, height, width, height, FONTS))


def nice_step(rough):
    """1, 2 or 5 times a power of ten: ticks a class can read at a glance."""
    power = 10 ** math.floor(math.log10(rough)) if rough > 0 else 1
    for factor in (1, 2, 5, 10):
        if rough <= factor * power:
            return factor * power
    return 10 * power


def client_name(key, lang):
    """A client's name in the picture: its key in English (as the table
    has it), the demo's words for it in Korean."""
    names = {"blocking": say(lang, "blocking", "블로킹 클라이언트"),
             "reactor": say(lang, "reactor", "reactor 클라이언트"),
             "broken": say(lang, "broken", "깨진 클라이언트")}
    return names.get(key, key)


def timeline_title(title, results, lang):
    """The title the demo passes (English) or, in Korean, the same said
    from the results: which poems (the sagas when the title says so), and
    each client's time."""
    if lang != "ko":
        return title
    poems = (say(lang, "epic sagas", "대작") if "saga" in title
             else say(lang, "the chapter's poems", "이 장의 시"))
    times = ", ".join(say(lang, "{name} {took:.1f} s", "{name} {took:.1f}초",
                          name=client_name(r["key"], lang), took=r["took"]) for r in results)
    return say(lang, "Part 4, {poems}: {times}", "파트 4, {poems}: {times}", poems=poems, times=times)


def draw_timeline(results, traces, sends, path, title):
    """One group of lanes per client, on one time axis: where its loop (or
    each of its tasks) waited, a mark per read on each task's lane, and a
    lane per server for what it sent meanwhile."""
    lang = demo.LANG
    waiting = say(lang, "waiting", "기다림")
    groups, end = [], 0.0
    for r in results:
        record = labtrace.load(traces[r["key"]])
        # (name, what it says, marks, the task whose colour it has or None);
        # the name (data-lane) stays English whatever the language.
        lanes = []
        if r["key"] != "blocking":
            lanes.append(("reactor", say(lang, "reactor", "reactor 루프"),
                          [("wait", s, d, waiting) for tid, s, d in record.waits if tid == 0], None))
        got = record.got()
        for task in sorted({tid for tid, _, _, _ in got}):
            # Reads first, waits over them: a blocking task's span is mostly
            # its wait in recv(), with the reads in the gaps. A recv that
            # took more than a millisecond was a wait for the server.
            marks = [("read", s, d, say(lang, "{n} bytes at {s:.3f} s", "{s:.3f}초에 {n}바이트", n=n, s=s))
                     for tid, s, d, n in got if tid == task]
            marks += [("wait", r.start, r.duration, waiting) for r in record.reads
                      if r.task == task and r.duration > 0.001]
            lanes.append(("Task %d" % task, "Task %d" % task, marks, task))
        for port, sent in sends[r["key"]]:
            lanes.append(("server :%d sent" % port,
                          say(lang, "server :{port} sent", "서버 :{port} 전송", port=port),
                          [("sent", s - record.epoch, 0, say(lang, "{n} bytes", "{n}바이트", n=n))
                           for s, n in sent], None))
        longest = record.longest_callback()
        for _, _, marks, _ in lanes:
            for _, s, d, _ in marks:
                end = max(end, s + d)
        groups.append((r["key"], lanes, longest))
    end = end or 1.0
    labels = [label for _, lanes, _ in groups for _, label, _, _ in lanes]
    left = max([250] + [int(30 + text_width(label, 15) + 20) for label in labels])
    width, lane_h, gap, top = 1100, 26, 30, 120
    height = top + sum(len(lanes) * lane_h + gap for _, lanes, _ in groups) + 60
    scale = width / end
    title = timeline_title(title, results, lang)
    caption = say(lang, "one lane per task: one mark per read (its width: how long the read took); "
                        "grey: waiting; servers: a tick per chunk sent",
                  "Task마다 한 줄: 읽기 한 번에 표시 하나(너비: 읽는 데 걸린 시간), 회색: 기다림, "
                  "서버: 보낸 청크마다 눈금 하나")
    out = ['<rect width="100%" height="100%" fill="white"/>',
           '<text x="20" y="36" font-size="24" font-weight="bold">%s</text>' % escape(title),
           '<text x="20" y="62" font-size="15" fill="#333">%s</text>' % escape(caption)]
    widest = max(20 + text_width(title, 26), 20 + text_width(caption, 15))
    legend = [(COLOURS, say(lang, "a read, in its task's colour", "읽기 (Task마다 제 색)")),
              (["#bbbbbb"], waiting),
              (["#555555"], say(lang, "a chunk a server sent", "서버가 보낸 청크")),
              (["#000000"], say(lang, "the longest callback", "가장 긴 콜백"))]
    x = 20
    for colours, label in legend:
        for colour in colours:
            out.append('<rect x="%d" y="78" width="14" height="14" fill="%s"/>' % (x, colour))
            x += 16
        out.append('<text x="%d" y="90" font-size="14">%s</text>' % (x + 4, escape(label)))
        x += 30 + int(text_width(label, 14))
    widest = max(widest, x)
    y = top
    for key, lanes, longest in groups:
        out.append('<text x="20" y="%d" font-size="17" font-weight="bold">%s</text>'
                   % (y - 8, escape(client_name(key, lang))))
        for name, label, marks, task in lanes:  # task: None for the reactor's lane and the servers'
            colour = COLOURS[(task - 1) % len(COLOURS)] if task else "#555555"
            out.append('<g class="lane" data-client="%s" data-lane="%s"%s>' % (
                key, escape(name), ' data-task="%d"' % task if task else ""))
            out.append('<text x="30" y="%d" font-size="15">%s</text>' % (y + 17, escape(label)))
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
                              fill, escape(tip)))
            out.append('</g>')
            y += lane_h
        if longest is not None and longest.duration > 0.05 * end:
            x0 = left + longest.start * scale
            said = say(lang, "longest callback: {who}, {secs:.2f} s", "가장 긴 콜백: {who}, {secs:.2f}초",
                       who=longest.describe(), secs=longest.duration)
            out.append('<rect class="longest" x="%.1f" y="%d" width="%.1f" height="4" fill="black"/>'
                       % (x0, y + 2, longest.duration * scale))
            out.append('<text x="%.1f" y="%d" font-size="14">%s</text>' % (x0, y + 20, escape(said)))
            widest = max(widest, x0 + text_width(said, 14))
            y += 14
        y += gap
    out.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>' % (left, y, left + width, y))
    step, tick = nice_step(end / 10), 0.0
    while tick <= end + 1e-9:
        x0 = left + tick * scale
        out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="black"/>' % (x0, y, x0, y + 6))
        out.append('<text x="%.1f" y="%d" font-size="14" text-anchor="middle">%s</text>'
                   % (x0, y + 22, say(lang, "{t:g} s", "{t:g}초", t=round(tick, 6))))
        tick += step
    out.append("</svg>")
    full = max(left + width + 40, int(widest) + 20)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\n".join([svg_open(full, height)] + out) + "\n")


def draw_doread(trace, path, turns=10):
    """The chapter's Figure 7 ("the doRead callback"), from a real run of
    the reactor client: the loop on top, turn after turn: it waits until a
    socket is readable, then calls doRead on each task that is. The first
    `turns` turns, one column each (not to scale: waits last far longer
    than callbacks)."""
    lang = demo.LANG
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
    ready = say(lang, "ready", "대기 없음")
    for col in columns_:
        col["said"] = (say(lang, "wait {ms:.1f} ms", "{ms:.1f}밀리초 대기", ms=col["wait"] * 1000)
                       if col["wait"] >= 0.0001 else ready)
        col["bytes"] = [say(lang, "{n} bytes", "{n}바이트", n=c.bytes()) for c in col["calls"]]
    loop = say(lang, "reactor loop", "reactor 루프")
    names = [(task, "Task %d" % task) for task in tasks]
    # A turn is as wide as the doRead calls it made, one beside the other,
    # so that no arrow crosses another task's box. A box holds what it says
    # (its bytes); a wait's words may reach 10 px into the 24 between turns.
    left = max([150] + [int(20 + text_width(label, 17) + 20) for label in [loop] + [n for _, n in names]])
    call_w = max([96] + [int(text_width(b, 13) + 14) for col in columns_ for b in col["bytes"]])
    for col in columns_:
        col["width"] = max(call_w * len(col["calls"]) - 10, int(text_width(col["said"], 14) - 20))
    top, lane_h = 110, 64
    heading = say(lang, "Figure 7, from a real run: the reactor loop and its doRead calls",
                  "그림 7, 실제 실행에서: reactor 루프와 doRead 호출")
    caption = [say(lang, "async-client/get-poetry, one turn of the loop after another: it waits (grey, how "
                         "long) until a socket is readable,",
                   "async-client/get-poetry, 루프가 한 바퀴씩 돕니다: 소켓을 읽을 수 있을 때까지 기다렸다가"
                   "(회색, 기다린 시간),"),
               say(lang, "then calls doRead on each task whose socket is (the bytes it read); doRead returns "
                         "to the loop (dashed). Not to scale;",
                   "소켓을 읽을 수 있게 된 Task마다 doRead를 부릅니다(읽은 바이트 수). doRead는 루프로 "
                   "돌아갑니다(점선). 길이는 실제 비율이 아닙니다."),
               say(lang, '"{ready}": a socket was readable already, so the loop did not wait at all.',
                   '"{ready}": 소켓을 이미 읽을 수 있어서 루프가 전혀 기다리지 않았습니다.', ready=ready)]
    width = left + sum(col["width"] + 24 for col in columns_) + 20
    width = int(max([width, 20 + text_width(heading, 24) + 20] +
                    [20 + text_width(line, 15) + 20 for line in caption]))
    height = top + 90 + lane_h * len(tasks) + 10
    out = [svg_open(width, height),
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
           'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>',
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="20" y="34" font-size="22" font-weight="bold">%s</text>' % escape(heading)]
    for y, line in zip((58, 76, 94), caption):
        out.append('<text x="20" y="%d" font-size="14" fill="#333">%s</text>' % (y, escape(line)))
    loop_y = top + 10
    out.append('<text x="20" y="%d" font-size="16" font-weight="bold">%s</text>' % (loop_y + 22, escape(loop)))
    lane_y = {task: loop_y + 70 + i * lane_h for i, task in enumerate(tasks)}
    for task, name in names:
        out.append('<text x="20" y="%d" font-size="16" fill="%s">%s</text>'
                   % (lane_y[task] + 26, COLOURS[(task - 1) % len(COLOURS)], escape(name)))
    x = left
    for col in columns_:
        turn_w = col["width"]
        out.append('<g class="turn">')
        out.append('<rect class="wait" x="%d" y="%d" width="%d" height="32" rx="4" fill="#cccccc"/>'
                   % (x, loop_y, turn_w))
        out.append('<text x="%d" y="%d" font-size="14" text-anchor="middle">%s</text>'
                   % (x + turn_w // 2, loop_y + 21, escape(col["said"])))
        for k, (callback, got) in enumerate(zip(col["calls"], col["bytes"])):
            y = lane_y[callback.task()]
            bx = x + k * call_w
            colour = COLOURS[(callback.task() - 1) % len(COLOURS)]
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
            out.append('<text x="%d" y="%d" font-size="13" fill="white" text-anchor="middle">%s</text>'
                       % (bx + (call_w - 10) // 2, y + 33, escape(got)))
        out.append('</g>')
        x += turn_w + 24
    out.append("</svg>")
    with open(path, "w", encoding="utf-8") as handle:
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
