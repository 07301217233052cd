"""What the lab's Python tools share: the demo, the bench, ./lab's learner
commands (learn.py), the exercise checker and the black-box tests.
The patterns of the lines the clients print; the learner's language (say,
josa, pick_lang) and text that fits an 80-column terminal (columns, pad,
fold); processes that never outlive us (die_with_parent, kill_group,
reader_may_leave); slow poetry servers, free ports and the saga poems.
Standard library only."""
import contextlib
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import unicodedata

# `Task N: got K bytes of poetry from HOST:PORT`, and the blocking client's
# `... from HOST:PORT in H:MM:SS.ffffff` (group 4).
GOT = re.compile(r"^Task (\d+): got (\d+) bytes of poetry from (\S+)(?: in (\S+))?$")
FINISHED = re.compile(r"^Task (\d+) finished$")
POEM_SIZE = re.compile(r"^Task (\d+): (\d+) bytes of poetry$")
TIMEDELTA = r"(\d+):(\d\d):(\d\d)(?:\.(\d{6}))?"
# The closing line: the chapter's, or the one after Ctrl-C.
GOT_POEMS = re.compile(r"^(?:Got (\d+)|Interrupted: got (\d+) of (\d+)) poems in " + TIMEDELTA + "$")

_SETPRIV = shutil.which("setpriv")


def seconds_of(match, first_group):
    """The seconds in a TIMEDELTA matched from group `first_group` on."""
    hours, minutes, seconds, micros = match.groups()[first_group - 1:first_group + 3]
    return int(hours) * 3600 + int(minutes) * 60 + int(seconds) + int(micros or 0) / 1e6


# --- Korean particles ------------------------------------------------------
# A Korean particle depends on how the word before it ends: 은/이/을/과
# after a final consonant (받침), 는/가/를/와 after a vowel. Messages are
# written with both ("{tasks}은(는)"), as Korean software often is; josa()
# picks the one a reader expects when the word is ours to read: Hangul, a
# number read in Sino-Korean (삼, 일, 구...), or a Latin word ending like a
# loanword (timeout → 타임아웃, failure → 페일리어).
_PARTICLES = re.compile(r"(은|이|을|과)\((는|가|를|와)\)")
_DIGIT_HAS_FINAL = dict(zip("0123456789", [True, True, False, True, False,
                                           False, True, True, True, False]))


def _has_final(before):
    """Whether text ending in `before` is read with a final consonant;
    None when it cannot tell."""
    word = before.rstrip("`'\")]}/.")
    if not word:
        return None
    last = word[-1]
    if "\uac00" <= last <= "\ud7a3":
        return (ord(last) - 0xAC00) % 28 != 0
    if last in _DIGIT_HAS_FINAL:
        return _DIGIT_HAS_FINAL[last]
    tail = re.search(r"[A-Za-z]+$", word)
    if tail is None:
        return None
    letters = tail.group(0).lower()
    if len(letters) == 1:  # a letter by its name: 엘, 엠, 엔
        return letters in "lmn"
    if letters.endswith(("l", "m", "n", "ng")):
        return True
    return letters[-1] in "ktp" and letters[-2] in "aeiou"  # out 아웃, book 북, cup 컵


def josa(text):
    """`text` with each written-both particle (은(는), 이(가), 을(를),
    과(와)) made the one its word takes; left as written when unsure."""
    def pick(match):
        final = _has_final(text[:match.start()])
        if final is None:
            return match.group(0)
        return match.group(1) if final else match.group(2)
    return _PARTICLES.sub(pick, text)


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


def pick_lang(option=None):
    """The learner's language: `option` (--lang) if given, else Korean when
    the locale says so (LAB_LANG, LC_ALL, LC_MESSAGES, LANG: the first set)."""
    if option:
        return option
    for name in ("LAB_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "ko" if value.startswith("ko") else "en"
    return "en"


def say(lang, en, ko, **values):
    """A message in the learner's language (`lang`, from pick_lang): each
    is written in both, side by side, with {names} for `values`; the Korean
    one gets its particles right (josa)."""
    text = ko if lang == "ko" else en
    if values:
        text = text.format(**values)
    return josa(text) if lang == "ko" else text


def pad(text, width, right=False):
    """`text` padded with spaces to `width` terminal columns (Hangul counts
    two): after it, or before it when `right`, so that columns of a table
    line up in Korean too."""
    room = " " * max(0, width - columns(text))
    return room + text if right else text + room


def columns(text):
    """How many terminal columns `text` takes (Hangul takes two each)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cut(text, width):
    """The longest start of `text` that fits in `width` columns."""
    cut = len(text)
    while columns(text[:cut]) > width:
        cut -= 1
    return max(cut, 1)


def _words(paragraph, width):
    """The paragraph's words, a `code span` with spaces in it kept as one
    (so that it can be copied from one line) when it fits a line."""
    words, span = [], None
    for word in paragraph.split(" "):
        if span is not None:
            span.append(word)
            if word.count("`") % 2:
                joined = " ".join(span)
                words += [joined] if columns(joined) <= width else span
                span = None
        elif word.count("`") % 2:
            span = [word]
        else:
            words.append(word)
    return words + (span or [])


def fold(text, width=78, indent=""):
    """Folds each paragraph of `text` to `width` terminal columns (Hangul
    counting two), so that what the learner reads fits an 80-column
    terminal. Lines that start with a space (quoted output, source lines)
    are cut, between words where there is room, not reflowed."""
    out = []
    for paragraph in text.split("\n"):
        if paragraph.startswith(" ") or not paragraph:
            while columns(paragraph) > width:
                cut = _cut(paragraph, width)
                space = paragraph.rfind(" ", len(paragraph) - len(paragraph.lstrip()) + 1, cut)
                cut = space + 1 if space > 0 else cut
                out.append(indent + paragraph[:cut].rstrip())
                paragraph = "      " + paragraph[cut:]
            out.append(indent + paragraph)
            continue
        line = ""
        for word in _words(paragraph, width):
            while columns(word) > width:  # a word longer than a line: cut it
                if line:
                    out.append(indent + line)
                    line = ""
                cut = _cut(word, width)
                out.append(indent + word[:cut])
                word = word[cut:]
            if line and columns(line) + 1 + columns(word) > width:
                out.append(indent + line)
                line = word
            else:
                line = word if not line else line + " " + word
        out.append(indent + line)
    return "\n".join(out)


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


def write_saga(path, size, number):
    """One of the chapter's "epic sagas", of exactly `size` bytes: verse of
    our own, each line numbered so that no two are alike."""
    with open(path, "wb") as out:
        written, line_no, block = 0, 0, []
        while written < size:
            line_no += 1
            line = ("Canto %d, line %d: the hacker types all night, the parser grows, "
                    "and still the lisp is not yet right.\n" % (number, line_no)).encode()
            block.append(line)
            written += len(line)
            if len(block) == 4096:
                out.write(b"".join(block))
                block = []
        out.write(b"".join(block))
        out.truncate(size)
    return path


class ServerError(RuntimeError):
    """A server that would not start: the test bench's problem, never a
    verdict on the program being tested."""

    def __init__(self, message, stderr=""):
        super().__init__(message)
        self.stderr = stderr


class SlowServer:
    """A running build/slow-server/slowpoetry; use as a context manager.

    It is started on `port` (0: any free one) and its real port is read
    from its first line ("Serving FILE on port N."). What it prints is read
    as it comes (a long poem prints a line per chunk, and a full pipe would
    stop the server), into memory, or into the file `log` when nobody needs
    it (the bench's 1,000 servers)."""

    def __init__(self, program, poem, *options, port=0, iface=None, log=None, timeout=20):
        args = [program, poem, "--port", str(port)] + (["--iface", iface] if iface else []) + list(options)
        self._log = log
        out = open(log, "wb") if log else subprocess.PIPE
        self.proc = subprocess.Popen(die_with_parent(args), stdout=out,
                                     stderr=subprocess.STDOUT if log else subprocess.PIPE)
        if log:
            out.close()
        self.stdout = self.stderr = ""
        self.returncode = None
        self._lines, self._errors, self._readers = [], [], []
        self._sends = []  # (time.monotonic(), bytes) for each "Sending K bytes"
        try:
            self.first_line = self._first_line(timeout)
        except ServerError:
            self.proc.kill()
            self.proc.wait()
            raise
        match = re.fullmatch(r"Serving (.+) on port (\d+)\.", self.first_line)
        if not match:
            self.proc.kill()
            self.proc.wait()
            raise ServerError("unexpected first line from the server: %r" % self.first_line)
        self.port = int(match.group(2))
        if not log:
            for stream, into in ((self.proc.stdout, self._lines), (self.proc.stderr, self._errors)):
                reader = threading.Thread(target=self._drain, args=(stream, into, into is self._lines),
                                          daemon=True)
                reader.start()
                self._readers.append(reader)

    def _first_line(self, timeout):
        deadline = time.monotonic() + timeout
        line = b""
        while not line.endswith(b"\n"):
            if self._log:  # written to a file: read it again until the line is there
                with open(self._log, "rb") as handle:
                    line = handle.readline()
                if not line.endswith(b"\n"):
                    self._check_alive(deadline)
                    time.sleep(0.005)
                continue
            ready, _, _ = select.select([self.proc.stdout], [], [], max(deadline - time.monotonic(), 0))
            if not ready:
                raise ServerError("the server printed no first line within %g s" % timeout)
            byte = os.read(self.proc.stdout.fileno(), 1)
            if not byte:
                self._check_alive(0)
            line += byte
        return line.decode(errors="replace").rstrip("\n")

    def _check_alive(self, deadline):
        if self.proc.poll() is not None or time.monotonic() > deadline:
            self.proc.wait()
            err = self.proc.stderr.read().decode(errors="replace") if self.proc.stderr else ""
            if self._log:
                with open(self._log, errors="replace") as handle:
                    err = handle.read()
            raise ServerError("the server exited (%s) before its first line: %s"
                              % (self.proc.returncode, err.strip()), err)

    def _drain(self, stream, into, timed):
        for line in iter(stream.readline, b""):
            text = line.decode(errors="replace")
            into.append(text)
            if timed and text.startswith("Sending "):
                self._sends.append((time.monotonic(), int(text.split()[1])))

    def sends(self, since=None, until=None):
        """(time.monotonic(), bytes) for each chunk it announced sending
        (the line comes just before the send), between `since` and `until`."""
        return [(t, n) for t, n in list(self._sends)
                if (since is None or t >= since) and (until is None or t <= until)]

    def sending_lines(self):
        """How many "Sending" lines the server has printed so far."""
        return sum(1 for line in list(self._lines) if line.startswith("Sending"))

    @property
    def address(self):
        return "127.0.0.1:%d" % self.port

    def connect(self):
        """A plain client socket connected to it (on 127.0.0.1)."""
        return socket.create_connection(("127.0.0.1", self.port), timeout=30)

    def stop(self):
        """SIGTERM, as an instructor's Ctrl-C would; collects the output."""
        if self.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.returncode = self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.returncode = self.proc.wait()
            for reader in self._readers:
                reader.join(20)
            for stream in (self.proc.stdout, self.proc.stderr):
                if stream:
                    stream.close()
            self.stdout, self.stderr = "".join(self._lines), "".join(self._errors)
        return self

    @staticmethod
    def stop_all(servers):
        """Stops many servers at once: SIGTERM to every one first, so that
        1,000 of them stop in parallel, not one after another; then each is
        collected by stop(), which signals none twice (Popen does not signal
        a process it has already seen exit)."""
        for server in servers:
            if server.returncode is None:
                server.proc.send_signal(signal.SIGTERM)
        for server in servers:
            try:
                server.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                pass  # stop() signals it again, then kills it
            server.stop()

    def lines(self):
        """Everything it printed, the first line included."""
        return [self.first_line] + self.stdout.splitlines()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
