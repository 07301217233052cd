"""A terminal, for ./lab watch and ./lab demo: colours and bold (off through
a pipe; colours off with NO_COLOR, as no-color.org asks), keys read one at
a time and not echoed, the terminal's width."""
import os
import shutil
import sys
import threading


def colour_on(stream=None):
    stream = stream or sys.stdout
    return stream.isatty() and not os.environ.get("NO_COLOR")


def bold(text):
    """`text` in bold on a terminal (NO_COLOR keeps bold: it is no colour)."""
    if not sys.stdout.isatty():
        return text
    return "\n".join("\033[1m%s\033[0m" % line for line in text.split("\n"))


def clear_screen():
    """Clears the screen and its scrollback, the cursor at the top left."""
    return "\033[H\033[2J\033[3J"


def width(stream=None, default=80):
    """The terminal's width in columns (default when it is not a terminal)."""
    stream = stream or sys.stdout
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (OSError, ValueError, AttributeError):
        return shutil.get_terminal_size((default, 24)).columns


class Style:
    """Bold, reverse video and colours on a terminal; nothing through a
    pipe; no colours (bold and reverse stay) with NO_COLOR."""

    def __init__(self, tty):
        self.tty = tty
        self.colour = tty and not os.environ.get("NO_COLOR")

    def __call__(self, codes, text):
        if not self.tty:
            return text
        if not self.colour:
            codes = ";".join(c for c in codes.split(";") if not c.startswith(("3", "9")))
        return "\033[%sm%s\033[0m" % (codes, text) if codes else text


class Quiet:
    """The keyboard while a class watches: what is typed is not echoed
    (where it would leave stray lines) and is read a key at a time (Ctrl-C
    still interrupts); what was typed and not read is thrown away at the
    end, so that it is not left for the shell."""

    def __init__(self):
        self.fd = sys.stdin.fileno() if sys.stdin.isatty() else None
        self.saved = None

    def __enter__(self):
        if self.fd is not None and self.saved is None:
            import termios
            self.saved = termios.tcgetattr(self.fd)
            attrs = termios.tcgetattr(self.fd)
            attrs[3] &= ~(termios.ECHO | termios.ICANON)
            termios.tcsetattr(self.fd, termios.TCSADRAIN, attrs)
        return self

    def flush(self):
        """Throws away what was typed and not read yet."""
        if self.fd is not None:
            import termios
            termios.tcflush(self.fd, termios.TCIFLUSH)

    def __exit__(self, *exc):
        if self.fd is not None and self.saved is not None:
            import termios
            self.flush()
            termios.tcsetattr(self.fd, termios.TCSADRAIN, self.saved)
            self.saved = None


class Keys(Quiet):
    """Keys as events, for ./lab watch: on a terminal each key as it is
    pressed (Ctrl-C still interrupts); through a pipe, the characters of
    each line. `key_event(k)` goes into `events` for each; `closed()` once
    stdin ends (then the watch goes on, watching saves alone)."""

    def __init__(self, events, key_event, closed):
        super().__init__()
        self.events, self.key_event, self.closed = events, key_event, closed

    def __enter__(self):
        super().__enter__()
        threading.Thread(target=self._read, daemon=True).start()
        return self

    def _read(self):
        fd = sys.stdin.fileno()
        while True:
            try:
                data = os.read(fd, 1024)
            except OSError:
                data = b""
            if not data:
                self.events.put(self.closed())
                return
            for key in data.decode(errors="replace").lower():
                if not key.isspace():
                    self.events.put(self.key_event(key))
