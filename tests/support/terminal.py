"""A real terminal for the tests: a program run on a pseudo-terminal of a
given size inside tmux (a terminal emulator that keeps its screen), so that
a test reads what a person in front of that terminal would see, after every
cursor movement, colour and line wrap, not the bytes sent through a pipe.

    with Terminal(["./lab", "demo", "--fast"], width=80) as term:
        term.wait_for("Side by side")
        rows = term.rows()          # the screen and its scrollback, as text
        term.keys("q")

Each Terminal has its own tmux server (its own socket), so tests can run
side by side. Standard library plus the tmux program (./lab setup).
"""
import os
import shlex
import subprocess
import tempfile
import time
import uuid


class Terminal:
    def __init__(self, argv, width=80, height=40, env=None, cwd=None):
        self.socket = "poetry-lab-%s" % uuid.uuid4().hex[:12]
        self.dir = tempfile.mkdtemp(prefix="poetry-lab-term-")
        self.status_file = os.path.join(self.dir, "status")
        # The command's exit status goes to a file; the pane stays open
        # afterwards so that its last screen can still be read.
        script = "%s; echo $? > %s" % (" ".join(shlex.quote(a) for a in argv),
                                       shlex.quote(self.status_file))
        # The scrollback's length first, in the same tmux call: a pane keeps
        # the history-limit there was when it was made (2,000 lines by
        # default), so setting it once the session is up changes nothing.
        command = ["tmux", "-L", self.socket, "-f", "/dev/null",
                   "set-option", "-g", "history-limit", "5000", ";",
                   "new-session", "-d", "-x", str(width), "-y", str(height)]
        for key, value in (env or {}).items():
            command += ["-e", "%s=%s" % (key, value)]
        if cwd:
            command += ["-c", cwd]
        command += ["sh", "-c", script + "; sleep 3600"]
        subprocess.run(command, check=True)

    def _tmux(self, *args):
        return subprocess.run(["tmux", "-L", self.socket] + list(args), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)

    def rows(self, joined=False):
        """Every row of the screen, the scrollback first. With joined=True,
        rows the terminal wrapped are put back together (so a line that was
        too wide shows as one long row)."""
        args = ["capture-pane", "-p", "-S", "-", "-E", "-"]
        if joined:
            args.insert(2, "-J")
        text = self._tmux(*args).stdout
        # -J keeps cleared cells as trailing spaces: nobody sees those.
        rows = [row.rstrip(" ") for row in text.split("\n")]
        while rows and not rows[-1].strip():
            rows.pop()
        return rows

    def screen(self):
        """The visible screen only, as rows."""
        return self._tmux("capture-pane", "-p").stdout.rstrip("\n").split("\n")

    def text(self):
        return "\n".join(self.rows())

    def colours(self):
        """The screen with its escape sequences (capture-pane -e)."""
        return self._tmux("capture-pane", "-p", "-e", "-S", "-", "-E", "-").stdout

    def resize(self, width, height=None):
        """The window made `width` columns wide (a zoomed font, a split
        screen): the program gets SIGWINCH, as from a terminal emulator."""
        size = ["-x", str(width)] + (["-y", str(height)] if height else [])
        self._tmux("resize-window", "-t", "0", *size)

    def process_group(self):
        """The process group of the pane's command (the shell that runs it,
        and what it started): what Ctrl-Z stops and SIGCONT resumes."""
        pid = int(self._tmux("display-message", "-p", "-t", "0", "#{pane_pid}").stdout.strip())
        return os.getpgid(pid)

    def keys(self, *keys):
        self._tmux("send-keys", "-t", "0", *keys)

    def wait_for(self, text, timeout=60, times=1):
        """Waits until `text` has been shown (`times` times, counting the
        scrollback)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.text().count(text) >= times:
                return True
            time.sleep(0.2)  # each look is a tmux client: five a second is plenty
        raise AssertionError("the terminal never showed %r; it shows:\n%s" % (text, self.text()))

    def exit_status(self, timeout=30):
        """The command's exit status, once it has ended."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with open(self.status_file) as handle:
                    value = handle.read().strip()
                if value:
                    return int(value)
            except OSError:
                pass
            time.sleep(0.1)
        raise AssertionError("the command did not end; the terminal shows:\n%s" % self.text())

    def close(self):
        self._tmux("kill-server")
        for name in os.listdir(self.dir):
            os.unlink(os.path.join(self.dir, name))
        os.rmdir(self.dir)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
