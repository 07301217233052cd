"""./lab demo: the chapter's scenario for a class, in one command.

Starts the chapter's three slow poetry servers, runs the blocking, reactor
and broken clients against them one after another with live progress per
task, then prints a side-by-side table, and (with --out DIR) draws a
timeline (SVG) and writes each client's Chrome trace (Perfetto).

Standard library only; ./lab builds the programs first.
"""
import argparse
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time

import labtrace
from lablib import (FINISHED, GOT, GOT_POEMS, POEM_SIZE, ServerError, SlowServer, seconds_of,
                    write_saga)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLIENTS = [  # (key, path under the build folder, what the class should see)
    ("blocking", "blocking-client/get-poetry",
     "waits on one server at a time: its total is the sum"),
    ("reactor", "async-client/get-poetry",
     "waits on every server at once: its total is the slowest server's time"),
    ("broken", "broken-client/get-poetry-broken",
     "blocks inside doRead: each poem holds up the whole loop"),
]
COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"]


class Style:
    def __init__(self, tty):
        self.tty = tty

    def __call__(self, code, text):
        return "\033[%sm%s\033[0m" % (code, text) if self.tty else text


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
                        help="write DIR/timeline.svg and DIR/CLIENT.trace.json (Perfetto)")
    parser.add_argument("--build", default=os.path.join(ROOT, "build"), help=argparse.SUPPRESS)
    # For the tests: servers on port 0, never on the chapter's ports.
    parser.add_argument("--any-port", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


def saga_poems(folder, megabytes):
    """Three large poems of our own making (never committed)."""
    return [write_saga(os.path.join(folder, name), size * 1024 * 1024, number)
            for number, (name, size) in enumerate(zip(("saga-one.txt", "saga-two.txt", "saga-three.txt"),
                                                      megabytes), start=1)]


class Servers:
    """The chapter's three servers on ports 10000-10002 (any free port if taken)."""

    def __init__(self):
        self.running, self.ports = [], []

    def start_all(self, build, poems, any_port=False):
        program = os.path.join(build, "slow-server", "slowpoetry")
        for want, (poem, options) in zip((0, 0, 0) if any_port else (10000, 10001, 10002), poems):
            try:
                server = SlowServer(program, poem, *options, port=want)
            except ServerError as error:
                if "Address already in use" not in error.stderr or want == 0:
                    sys.exit("lab demo: the server for %s did not start: %s" % (poem, error))
                server = SlowServer(program, poem, *options)
                print("(port %d is taken; using port %d instead)" % (want, server.port))
            self.running.append(server)  # stopped at the end whatever happens next
            self.ports.append(server.port)

    def stop(self):
        for server in self.running:
            server.stop()


def human_bytes(n):
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return ("%d %s" % (n, unit)) if unit == "bytes" else ("%.1f %s" % (n, unit))
        n /= 1024.0


def run_client(key, program, ports, sizes, trace, style, extra):
    """Runs one client, showing live progress per task; returns its result."""
    args = [program, "--trace", trace] + extra + [str(p) for p in ports]
    shown = "$ build/%s %s" % (os.path.relpath(program, os.path.dirname(os.path.dirname(program))),
                               " ".join(str(p) for p in ports))
    print(style("2", shown))
    start = time.monotonic()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    got = [0] * len(ports)
    lines = []
    drawn = False
    last_draw = 0.0
    for line in proc.stdout:
        line = line.rstrip("\n")
        lines.append(line)
        match = GOT.match(line)
        if match:
            got[int(match.group(1)) - 1] += int(match.group(2))
        now = time.monotonic()
        if style.tty and (now - last_draw > 0.05 or line.startswith("Got ")):
            if drawn:
                sys.stdout.write("\033[%dA" % len(ports))
            for task, (have, size) in enumerate(zip(got, sizes), start=1):
                width = 40
                filled = int(width * have / size) if size else width
                bar = style("3%d" % (task + 1), "#" * filled) + "." * (width - filled)
                sys.stdout.write("\033[2K  Task %d [%s] %s / %s\n"
                                 % (task, bar, human_bytes(have), human_bytes(size)))
            sys.stdout.flush()
            drawn, last_draw = True, now
        elif not style.tty and (match or FINISHED.match(line)):
            print("  " + line)
    err = proc.stderr.read()
    proc.wait()
    wall = time.monotonic() - start
    closing = [l for l in lines if POEM_SIZE.match(l) or GOT_POEMS.match(l)]
    for line in closing:
        print("  " + line)
    warnings = [l for l in err.splitlines() if "blocked the reactor" in l]
    for line in warnings[:5]:
        print("  " + style("33", "stderr: " + line))
    if len(warnings) > 5:
        print("  " + style("33", "stderr: ... %d more such warnings" % (len(warnings) - 5)))
    others = [l for l in err.splitlines() if "blocked the reactor" not in l]
    if proc.returncode != 0:
        sys.exit("lab demo: %s failed (%d): %s" % (key, proc.returncode, "\n".join(others)))
    total = GOT_POEMS.match(lines[-1]) if lines else None
    reported = seconds_of(total, 4) if total else None
    return {"key": key, "wall": wall, "reported": reported, "warnings": len(warnings),
            "longest": longest_slice(trace)}


def longest_slice(trace):
    """The longest time the client's loop spent in one callback (the
    reactor's track), or in one read of a task where it has no reactor."""
    record = labtrace.load(trace)
    if record is None:
        return None
    durations = [c.duration for c in record.callbacks if c.duration is not None]
    durations = durations or [dur for _, _, dur, _ in record.got]
    return max(durations) if durations else None


def server_times(sizes, chunk_sizes, delay):
    """What each server takes alone: one sleep after every chunk."""
    return [-(-size // chunk) * delay for size, chunk in zip(sizes, chunk_sizes)]


def reading(key, ratio_slowest, ratio_sum, longest, seconds):
    if key == "blocking" or ratio_sum >= 0.9:
        return "waited on one server at a time"
    held_loop = longest is not None and longest > 0.25 * seconds
    if ratio_slowest <= 1.15:
        if held_loop:
            return "held the loop a poem at a time; kernel buffers hid it"
        return "waited on all servers at once"
    if held_loop:
        return "held the loop a poem at a time: little better than blocking"
    return "in between: blocked part of the time"


def print_table(results, slowest, total, style):
    print()
    print(style("1", "== Side by side =="))
    print("  servers alone (chunks x delay): slowest %.2f s, sum %.2f s" % (slowest, total))
    header = "  %-9s %9s %10s %8s %17s  %s" % ("client", "wall time", "x slowest", "x sum",
                                               "longest callback", "reading")
    print(style("1", header))
    for r in results:
        time_s = r["reported"] if r["reported"] is not None else r["wall"]
        # The blocking client has no loop: its "callback" is a whole task.
        has_loop = r["key"] != "blocking" and r["longest"] is not None
        longest = "%.3f s" % r["longest"] if has_loop else "-"
        print("  %-9s %8.2fs %10.2f %8.2f %17s  %s" % (
            r["key"], time_s, time_s / slowest, time_s / total, longest,
            reading(r["key"], time_s / slowest, time_s / total, r["longest"], time_s)))


# --- timeline.svg -----------------------------------------------------------

def draw_timeline(results, traces, path, title):
    lanes = []  # (client, task, slices)
    end = 0.0
    for r in results:
        got = labtrace.load(traces[r["key"]]).got
        for task in sorted({tid for tid, _, _, _ in got}):
            slices = [(start, dur, nbytes) for tid, start, dur, nbytes in got if tid == task]
            end = max([end] + [s + d for s, d, _ in slices])
            lanes.append((r["key"], task, slices))
    end = end or 1.0
    left, width, lane_h, gap, top = 230, 1100, 34, 22, 90
    clients = []
    for key, _, _ in lanes:
        if key not in clients:
            clients.append(key)
    height = top + len(lanes) * lane_h + len(clients) * gap + 70
    scale = width / end
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'font-family="DejaVu Sans, Arial, sans-serif">' % (left + width + 40, height),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="20" y="40" font-size="26" font-weight="bold">%s</text>' % escape(title),
           '<text x="20" y="68" font-size="16" fill="#555">one lane per task; a mark wherever '
           'bytes arrived (width: how long that read took)</text>']
    y = top
    previous = None
    for key, task, slices in lanes:
        if key != previous:
            if previous is not None:
                y += gap
            previous = key
        colour = COLOURS[(task - 1) % len(COLOURS)]
        out.append('<g class="lane" data-client="%s" data-task="%d">' % (key, task))
        out.append('<text x="20" y="%d" font-size="18">%s, Task %d</text>' % (y + 22, key, task))
        out.append('<rect x="%d" y="%d" width="%d" height="%d" fill="#f2f2f2"/>'
                   % (left, y + 4, width, lane_h - 8))
        for start, dur, nbytes in slices:
            out.append('<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s">'
                       '<title>%s bytes at %.3f s</title></rect>'
                       % (left + start * scale, y + 4, max(dur * scale, 1.5), lane_h - 8, colour,
                          nbytes, start))
        out.append('</g>')
        y += lane_h
    # time axis
    y += 10
    out.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>' % (left, y, left + width, y))
    step = nice_step(end / 10)
    tick = 0.0
    while tick <= end + 1e-9:
        x = left + tick * scale
        out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="black"/>' % (x, y, x, y + 6))
        out.append('<text x="%.1f" y="%d" font-size="15" text-anchor="middle">%g s</text>'
                   % (x, y + 24, round(tick, 6)))
        tick += step
    out.append("</svg>")
    with open(path, "w") as handle:
        handle.write("\n".join(out) + "\n")


def nice_step(rough):
    """1, 2 or 5 times a power of ten: ticks a class can read at a glance."""
    power = 10 ** math.floor(math.log10(rough)) if rough > 0 else 1
    for factor in (1, 2, 5, 10):
        if rough <= factor * power:
            return factor * power
    return 10 * power


def escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def main():
    args = parse_args()
    style = Style(sys.stdout.isatty())
    work = tempfile.mkdtemp(prefix="poetry-lab-demo-")
    servers = None
    try:
        poetry = os.path.join(ROOT, "poetry")
        if args.saga:
            print(style("1", "== Writing three epic sagas (never committed) =="))
            poems = saga_poems(work, (48, 48, 48))
            delay, chunk = ("0.005", 256 * 1024) if args.fast else ("0.02", 256 * 1024)
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

        print(style("1", "== The chapter's three slow poetry servers (delay %s s) ==" % delay))
        servers = Servers()
        servers.start_all(args.build, specs, args.any_port)
        for port, (poem, options), size, t in zip(servers.ports, specs, sizes, alone):
            print("  build/slow-server/slowpoetry --port %d %s %s   (%s, %.2f s alone)"
                  % (port, os.path.relpath(poem, ROOT) if poem.startswith(ROOT) else poem,
                     " ".join(options), human_bytes(size), t))
        print("  the slowest alone takes about %.2f s; all three one after another, about %.2f s"
              % (slowest, total))
        print()

        results, traces = [], {}
        for key, path, lesson in CLIENTS:
            print(style("1", "== The %s client: %s ==" % (key, lesson)))
            traces[key] = os.path.join(work, "%s.trace.json" % key)
            extra = [] if key == "blocking" else ["--slow-callback", "0.5" if not args.fast else "0.05"]
            results.append(run_client(key, os.path.join(args.build, path), servers.ports, sizes,
                                      traces[key], style, extra))
            print()
        print_table(results, slowest, total, style)
        print()
        if args.saga:
            print("What to notice: with poems far larger than the kernel's socket buffers, the")
            print("broken client is scarcely faster than the blocking one, while the reactor")
            print("client still takes about the slowest server's time (the chapter's epic sagas).")
        else:
            print("What to notice: the blocking client takes the sum, the reactor client the")
            print("slowest server's time. The broken client looks just as fast on these small poems,")
            print("but its longest callback shows it held the loop for a whole poem at a time;")
            print("the kernel buffered the other servers' bytes meanwhile. Try ./lab demo --saga.")

        if args.out:
            os.makedirs(args.out, exist_ok=True)
            for key, trace in traces.items():
                shutil.copy(trace, os.path.join(args.out, "%s.trace.json" % key))
            svg = os.path.join(args.out, "timeline.svg")
            draw_timeline(results, traces, svg, "Part 4, %s: %s" % (
                "epic sagas" if args.saga else "the chapter's poems",
                ", ".join("%s %.1f s" % (r["key"], r["reported"] or r["wall"]) for r in results)))
            print()
            print("Timeline: %s" % svg)
            for key in traces:
                print("Trace:    %s  (open in ui.perfetto.dev or chrome://tracing)"
                      % os.path.join(args.out, "%s.trace.json" % key))
    finally:
        if servers:
            servers.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
