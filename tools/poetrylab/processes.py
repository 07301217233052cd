"""Programs that never outlive us (die_with_parent, kill_group), a tool
whose reader leaves (reader_may_leave), free ports."""
import contextlib
import os
import shutil
import signal
import socket
import sys

_SETPRIV = shutil.which("setpriv")


@contextlib.contextmanager
def reader_may_leave():
    """Around a command's main(): when whoever reads our output goes away
    (`./lab check | head`), end quietly with the status a shell tool killed
    by SIGPIPE has, instead of a traceback. stdout is pointed at /dev/null
    first, or Python would fail once more flushing it on the way out."""
    try:
        yield
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(128 + signal.SIGPIPE)


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


def free_port():
    """A port where nobody listens (for now)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
