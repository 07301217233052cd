"""The pictures of --out DIR, drawn from the runs' --trace records: the
timeline of the three clients, the chapter's Figure 7, and one Perfetto
trace with a process per client."""
import json
import math

from poetrylab import trace as labtrace
from poetrylab.demo import COLOURS


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
