"""./lab demo: the chapter's scenario for a class, in one command.

Starts the chapter's three slow poetry servers, runs the blocking, reactor
and broken clients against them one after another, and prints a
side-by-side table. On a terminal the class watches each client live: a
bar per task, a heartbeat lane (a LoopingCall in the client's reactor that
freezes while a callback holds the loop), and, while one does, who holds
it and what the kernel keeps queued for the others. Through a pipe the
chapter's lines stream as they happen. With --out DIR it also draws the
timeline and the chapter's Figure 7 (SVG) and writes Perfetto traces.

    __main__.py   the options, the servers, the clients in turn, the questions
    captions.py   what it says, in English and in Korean
    run.py        clients, run on pseudo-terminals and followed through their --trace
    stops.py      Ctrl-Z and fg, resizes: what the terminal does to a live view
    view.py       what a terminal shows of it, redrawn in place
    table.py      the side-by-side table
    figures.py    the SVG timeline, Figure 7, the combined Perfetto trace
"""
import sys

from poetrylab import messages
from poetrylab.demo.captions import CAPTIONS
from poetrylab.terminal import width
from poetrylab.text import columns, fold

CLIENTS = [  # (key, program under the build folder)
    ("blocking", "blocking-client/get-poetry"),
    ("reactor", "async-client/get-poetry"),
    ("broken", "broken-client/get-poetry-broken"),
]
# One colour per task in the SVGs (white paper): blue, red, green, as on
# the terminal (poetrylab.terminal.THEMES picks them for its background).
COLOURS = ["#1f77b4", "#d62728", "#2ca02c"]
LANG = "en"
# Ctrl-Z and fg while a client runs: (stopped, resumed) on time.monotonic()'s
# clock. A stop is not time the client took (ClientRun.result).
STOPS = []


def t(key, **values):
    """The caption `key` (captions.py) in the demo's language."""
    en, ko = CAPTIONS[key]
    return messages.say(LANG, en, ko, **values)


def was_stopped(result):
    """Whether a client's run (ClientRun.result) stood stopped by Ctrl-Z
    long enough that nothing is concluded from it."""
    return result.get("stopped", 0) > 0.05


def row(key):
    """A client's name in the table and the race's lanes."""
    return t("row_" + key)


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


def narrow():
    """A terminal narrower than the 80 columns our captions are written
    for (a zoomed font, a split screen): then they are folded to it."""
    return sys.stdout.isatty() and width() < 80


def echo(text, style=None, codes="1"):
    """Prints a caption; on a narrow terminal folded to its width (a line
    that wraps by itself breaks mid-word). Styled line by line."""
    room = width() - 1
    if narrow() and any(columns(line) > room for line in text.split("\n")):
        indent = text[:len(text) - len(text.lstrip(" "))]
        text = fold(" ".join(line.strip() for line in text.split("\n")), room - len(indent), indent)
    for line in text.split("\n"):
        print(style(codes, line) if style else line)


def heading(style, text):
    closed = "== %s ==" % text
    echo(closed if not narrow() or columns(closed) < width() else "== " + text, style)
