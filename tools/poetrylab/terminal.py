"""A terminal, for ./lab watch and ./lab demo: colours and bold (off through
a pipe; colours off with NO_COLOR, as no-color.org asks), keys read one at
a time and not echoed, the terminal's width."""
import os
import re
import shutil
import sys
import threading

from poetrylab.text import columns


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


ESCAPE = re.compile(r"\033\[[0-9;?]*[A-Za-z]")


def fit(line, room):
    """`line` cut to `room` terminal columns, its escape sequences kept and
    taking none (a line that wrapped would throw off a redraw in place)."""
    if columns(ESCAPE.sub("", line)) <= room:
        return line
    out, used, at = [], 0, 0
    while at < len(line) and used < room:
        escape = ESCAPE.match(line, at)
        if escape:
            out.append(escape.group())
            at = escape.end()
            continue
        wide = columns(line[at])
        if used + wide > room:
            break
        out.append(line[at])
        used, at = used + wide, at + 1
    return "".join(out) + "\033[0m"


# The tasks' colours, from xterm's 256-colour palette, one set per kind of
# background: each has at least 3:1 contrast against it (WCAG's measure for
# large or bold text), so that a projector on a light theme keeps them as
# well as a dark one. (The bright 16-colour green, 92, is 1.4:1 on white.)
THEMES = {"dark": [75, 203, 77], "light": [25, 160, 28]}  # blue, red, green
BACKGROUND = {"dark": (0, 0, 0), "light": (255, 255, 255)}


def xterm_rgb(index):
    """The colour xterm shows for a 256-colour index from 16 on."""
    if index >= 232:
        level = 8 + 10 * (index - 232)
        return (level, level, level)
    index -= 16
    steps = [0, 95, 135, 175, 215, 255]
    return (steps[index // 36], steps[index // 6 % 6], steps[index % 6])


def contrast(one, other):
    """WCAG's contrast ratio of two sRGB colours, from 1 to 21."""
    def luminance(rgb):
        def channel(c):
            c = c / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
        r, g, b = (channel(c) for c in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def theme_of(option=None, environ=None):
    """`option` (--theme) if given; else what COLORFGBG says of the
    background ("15;0": white on black, dark; "0;15": light); dark when it
    says nothing, as most terminals are."""
    if option:
        return option
    fields = (os.environ if environ is None else environ).get("COLORFGBG", "").split(";")
    try:
        background = int(fields[-1])
    except ValueError:
        return "dark"
    return "light" if background in (7, 15) else "dark"


class Style:
    """Bold, reverse video and colours on a terminal; nothing through a
    pipe; no colours (bold and reverse stay) with NO_COLOR. The tasks'
    colours follow the theme (THEMES)."""

    def __init__(self, tty, theme="dark"):
        self.tty, self.theme = tty, theme
        self.colour = tty and not os.environ.get("NO_COLOR")

    def task(self, task, text):
        """`text` in task `task`'s colour, bold."""
        return self("1;38;5;%d" % THEMES[self.theme][(task - 1) % 3], text)

    def __call__(self, codes, text):
        if not self.tty:
            return text
        if not self.colour:  # bold (1) and reverse (7) stay; "38;5;N" goes whole
            parts, kept = codes.split(";"), []
            while parts:
                part = parts.pop(0)
                if part in ("38", "48"):
                    del parts[:2]
                elif part in ("1", "7"):
                    kept.append(part)
            codes = ";".join(kept)
        return "\033[%sm%s\033[0m" % (codes, text) if codes else text


class Quiet:
    """The keyboard while a class watches: what is typed is not echoed
    (where it would leave stray lines) and is read a key at a time (Ctrl-C
    still interrupts); what was typed and not read is thrown away at the
    end, so that it is not left for the shell."""

    active = None  # the one in effect: Ctrl-Z gives the shell its terminal back (suspend)

    def __init__(self):
        self.fd = sys.stdin.fileno() if sys.stdin.isatty() else None
        self.saved = None

    def __enter__(self):
        if self.fd is not None and self.saved is None:
            import termios
            self.saved = termios.tcgetattr(self.fd)
            self.resume()
        Quiet.active = self
        return self

    def suspend(self):
        """The terminal as it was, while we are stopped (Ctrl-Z)."""
        if self.fd is not None and self.saved is not None:
            import termios
            termios.tcsetattr(self.fd, termios.TCSADRAIN, self.saved)

    def resume(self):
        """Quiet again (after fg)."""
        if self.fd is not None and self.saved is not None:
            import termios
            attrs = termios.tcgetattr(self.fd)
            attrs[3] &= ~(termios.ECHO | termios.ICANON)
            termios.tcsetattr(self.fd, termios.TCSADRAIN, attrs)

    def flush(self):
        """Throws away what was typed and not read yet."""
        if self.fd is not None:
            import termios
            termios.tcflush(self.fd, termios.TCIFLUSH)

    def __exit__(self, *exc):
        Quiet.active = None
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
