"""./lab demo: the chapter's scenario for a class, in one command.

Starts the chapter's three slow poetry servers, runs the blocking, reactor
and broken clients against them one after another, and prints a
side-by-side table. On a terminal the class watches each client live: a
bar per task, a heartbeat lane (a LoopingCall in the client's reactor that
freezes while a callback holds the loop), and, while one does, who holds
it and what the kernel keeps queued for the others. Through a pipe the
chapter's lines stream as they happen. With --out DIR it also draws the
timeline and the chapter's Figure 7 (SVG) and writes Perfetto traces.

    scenario.py   the servers, the clients, the questions (main: __main__.py)
    run.py        one client, run on a pseudo-terminal and followed through its --trace
    view.py       what a terminal shows of it, redrawn in place
    table.py      the side-by-side table
    figures.py    the SVG timeline, Figure 7, the combined Perfetto trace
"""
from poetrylab import messages

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
LANG = "en"


def t(key, **values):
    """The catalog's caption `key` (poetrylab.messages) in the demo's language."""
    return messages.t(LANG, "demo_" + key, **values)


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
