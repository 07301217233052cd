"""What a terminal does to a live view while a class watches: the window
is resized (SIGWINCH), or the demo is stopped with Ctrl-Z (SIGTSTP) and
brought back with fg (SIGCONT)."""
import os
import signal
import time

from poetrylab.demo import STOPS
from poetrylab.demo.view import Live
from poetrylab.terminal import Quiet


def on_resize(signum, frame):
    # Read again at the next redraw (Live.draw): wider or narrower.
    Live.resized = True


def on_stop(signum, frame):
    """Ctrl-Z: the shell gets its terminal back as it was (echo on), then
    we stop as a process does by default; fg resumes us here. The client
    and its servers, in our process group, were stopped by the same Ctrl-Z:
    the time we stood still is no time any of them took (STOPS)."""
    stopped = time.monotonic()
    quiet = Quiet.active
    if quiet is not None:
        quiet.suspend()
    signal.signal(signal.SIGTSTP, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGTSTP)
    # fg: on again from here.
    signal.signal(signal.SIGTSTP, on_stop)
    if quiet is not None:
        quiet.resume()
    STOPS.append((stopped, time.monotonic()))
    Live.resumed = True  # the shell wrote below the block: draw it anew, once, under that


def install():
    signal.signal(signal.SIGWINCH, on_resize)
    signal.signal(signal.SIGTSTP, on_stop)
