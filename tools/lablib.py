"""What the lab's Python tools share (the demo, the bench, the exercise
checker and the black-box tests): the parent-death guard and the lines the
clients print. Standard library only."""
import os
import re
import shutil
import signal

# `Task N: got K bytes of poetry from HOST:PORT` (the event-driven clients),
# also the front of the blocking client's `... in H:MM:SS.ffffff`.
GOT = re.compile(r"^Task (\d+): got (\d+) bytes of poetry from (\S+)")
FINISHED = re.compile(r"^Task (\d+) finished$")
POEM_SIZE = re.compile(r"^Task (\d+): (\d+) bytes of poetry$")
GOT_POEMS = re.compile(r"^Got (\d+) poems in (\d+):(\d\d):(\d\d)(?:\.(\d{6}))?$")

_SETPRIV = shutil.which("setpriv")


def die_with_parent(argv):
    """argv, started so that the kernel sends the program SIGKILL if the
    process that started it dies first (PR_SET_PDEATHSIG, through
    util-linux's setpriv, which Debian always has): a tool killed by Ctrl-C
    or by a test's timeout never leaves a server or a learner's program
    behind. (Python's preexec_fn would do the same, but is unsafe with
    threads, and the exercise checker runs its checks in threads.)"""
    if _SETPRIV is None:
        return list(argv)
    return [_SETPRIV, "--pdeathsig", "KILL", "--"] + list(argv)


def kill_group(pid, sig=signal.SIGKILL):
    """Signals the process group `pid` leads; quiet if it is already gone."""
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass
