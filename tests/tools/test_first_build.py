"""./lab demo on a fresh checkout (a copy of the lab without its build
folder): the first build is never a blank screen. Before anything of the
demo's own, one line says the lab is built the first time, a line before
meson's setup, then ninja's counter: on a terminal one line rewritten in
place, cut to the terminal's width; through a pipe a few plain lines, no
compiler commands. Each run is stopped as soon as the counter has shown
(the build is not waited for), and nothing it started may be left running.
No assertion here is about speed: only the order of what is shown."""
import codecs
import fcntl
import os
import re
import select
import shutil
import signal
import struct
import subprocess
import termios
import time
import uuid

from labtest import SOURCE, LabTestCase, main, processes_marked
from poetrylab.build import step_name
from poetrylab.text import columns

HEADER = "Building the lab for the first time"
CONFIGURING = "configuring: meson setup build"
# ninja's counter as ./lab shows it, once a step has ended (N >= 1):
# "building: 1/118 (3 s) Compiling lib/address.cpp".
COUNTER = re.compile(r"building: ([1-9]\d*)/(\d+) \(\d+ s\) \S")
ANY_COUNTER = re.compile(r"building: \d+/\d+")
HEADING = re.compile(r"^(?:\x1b\[[0-9;]*m)*== ", re.M)  # the demo's own output starts with its headings (bold)
COMMAND = re.compile(r"(^|\s)(c\+\+|g\+\+|cc) |\s-o\s|^\[\d+/\d+\]", re.M)  # compiler commands, ninja's raw lines
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
DEMO = ["./lab", "demo", "--fast", "--any-port"]
SHORT = 40  # the terminal is narrowed to this many columns while the counter runs
ENOUGH = 12  # lines: a build that prints more before its counter is not compact
HANG = 280  # a bound only against a hang (meson's timeout is 300 s), never a speed


def fresh_copy(where):
    """The lab's sources, as a fresh checkout has them: no build folders."""
    copy = os.path.join(where, "lab")
    shutil.copytree(SOURCE, copy, ignore=shutil.ignore_patterns(".git", "build", "build-*", "lab-out",
                                                                ".lab-*", "__pycache__", "*.setup.log"))
    return copy


def set_size(fd, width, height=24):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))


class FirstBuild(LabTestCase):

    def setUp(self):
        super().setUp()
        self.copy = fresh_copy(self.tmp)
        self.mark = uuid.uuid4().hex
        # Everything the run starts (ninja, the compilers) inherits the mark.
        self.env = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE")}
        self.env.update(LAB_LANG="en", LANG="C.UTF-8", TERM="xterm", LAB_TEST_MARK=self.mark,
                        PYTHONDONTWRITEBYTECODE="1")
        self.process = None

    def tearDown(self):
        # Whatever an assertion left: the run's group, then anything marked.
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        for pid in processes_marked(self.mark):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        super().tearDown()

    def start(self, **streams):
        # A process group of its own, stopped as a whole. Not a session of
        # its own: the kernel's scheduler (autogroup) would give a session's
        # compilers as much of the machine as the rest of the test run.
        self.process = subprocess.Popen(DEMO, cwd=self.copy, env=self.env, process_group=0, **streams)

    def stop_and_check_nothing_left(self):
        """Stops the run as Ctrl-C's neighbour would (SIGTERM to its process
        group), then: nothing it started may still be running."""
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=60)
        deadline = time.monotonic() + 60  # the compilers ninja stopped may take a moment to go
        while processes_marked(self.mark) and time.monotonic() < deadline:
            time.sleep(0.2)
        left = processes_marked(self.mark)
        commands = []
        for pid in left:
            try:
                with open("/proc/%d/cmdline" % pid, "rb") as handle:
                    commands.append(handle.read().replace(b"\0", b" ").decode(errors="replace"))
            except OSError:
                pass
        self.assertEqual(left, [], "left running after the run was stopped: %s" % commands)

    def test_on_a_terminal(self):
        master, slave = os.openpty()
        set_size(master, 80)
        try:
            self.start(stdin=slave, stdout=slave, stderr=slave)
        finally:
            os.close(slave)
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        text = ""
        narrowed_at = None  # where in the text the terminal became SHORT columns wide
        deadline = time.monotonic() + HANG
        try:
            while time.monotonic() < deadline:
                ready, _, _ = select.select([master], [], [], 0.2)
                if ready:
                    try:
                        data = os.read(master, 65536)
                    except OSError:  # EIO: the run ended, the terminal closed
                        break
                    if not data:
                        break
                    text += decoder.decode(data)
                if HEADING.search(text) or text.count("\n") > ENOUGH:
                    break
                if narrowed_at is None and COUNTER.search(text):
                    # The counter is there; the terminal is narrowed, and the
                    # next redraws (a step ended, or a second passed) must fit.
                    set_size(master, SHORT)
                    narrowed_at = len(text)
                if narrowed_at is not None and text.count("\x1b[K", narrowed_at) >= 2:
                    break
            self.stop_and_check_nothing_left()
        finally:
            os.close(master)

        shown = "the terminal was sent:\n%r" % text
        counter = COUNTER.search(text)
        heading = HEADING.search(text)
        if heading:  # the demo's own output: only after the build's counter
            self.assertTrue(counter and counter.start() < heading.start(),
                            "the demo's output came before any build counter; " + shown)
        self.assertIsNotNone(counter, "no build counter (\"building: N/M ...\") was shown; " + shown)
        # The first line says what is happening, then meson's setup is named
        # before it runs, then the counter.
        self.assertTrue(text.startswith(HEADER), shown)
        self.assertLess(text.index(HEADER), text.find(CONFIGURING), shown)
        self.assertLess(text.find(CONFIGURING), ANY_COUNTER.search(text).start(), shown)
        self.assertIsNone(COMMAND.search(ANSI.sub("", text)), "compiler commands shown; " + shown)
        # One line, rewritten in place: nothing after the first line ends a line.
        self.assertEqual(text.count("\n"), 1, "the progress is not one line rewritten in place; " + shown)
        # Every redraw fits the terminal's width at the time, one column to
        # spare so that it never wraps: 80 columns, then, once narrowed, the
        # last redraw (one drawn just as the terminal changed may have
        # measured it before) fits SHORT.
        for redraw in re.split(r"[\r\n]", text):
            self.assertLess(columns(ANSI.sub("", redraw)), 80, "%r is wider than 80 columns; %s" % (redraw, shown))
        after = [r for r in re.split(r"[\r\n]", text[narrowed_at:])[1:] if r.endswith("\x1b[K")]
        self.assertTrue(after, "no redraw after the terminal was narrowed; " + shown)
        self.assertLess(columns(ANSI.sub("", after[-1])), SHORT,
                        "%r is wider than the %d columns left; %s" % (after[-1], SHORT, shown))

    def test_through_a_pipe(self):
        self.start(stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        lines = []
        deadline = time.monotonic() + HANG
        try:
            pending = b""
            while time.monotonic() < deadline and len(lines) <= ENOUGH:
                ready, _, _ = select.select([self.process.stdout], [], [], 0.2)
                if not ready:
                    continue
                data = os.read(self.process.stdout.fileno(), 65536)
                if not data:
                    break
                pending += data
                *complete, pending = pending.split(b"\n")
                lines += [line.decode(errors="replace") for line in complete]
                if any(COUNTER.search(line) or HEADING.search(line) for line in lines):
                    break
            self.stop_and_check_nothing_left()
        finally:
            self.process.stdout.close()

        shown = "the first lines through the pipe:\n" + "\n".join(lines)
        at = next((i for i, line in enumerate(lines) if COUNTER.search(line)), None)
        heading = next((i for i, line in enumerate(lines) if HEADING.search(line)), None)
        if heading is not None:  # the demo's own output: only after the build's counter
            self.assertTrue(at is not None and at < heading,
                            "the demo's output came before any build counter; " + shown)
        self.assertIsNotNone(at, "no build counter (\"building: N/M ...\") in the first lines; " + shown)
        # A handful of plain lines: what is built, meson's setup, the counter.
        for line in lines[:at + 1]:
            self.assertIsNone(COMMAND.search(line), "a compiler command or ninja's own line; " + shown)
            self.assertNotRegex(line, r"[\r\x1b]", "terminal controls in a pipe; " + shown)
        self.assertLessEqual(at + 1, 4, shown)
        self.assertEqual(lines[0], HEADER + " (later runs skip this).", shown)
        self.assertIn(CONFIGURING, lines[:at], shown)


class StepNames(LabTestCase):

    def test_a_step_is_named_by_its_source(self):
        # ninja's descriptions, as meson writes them, said short.
        for description, said in (
                ("Compiling C++ object lib/liblab.a.p/reactor.cpp.o", "Compiling lib/reactor.cpp"),
                ("Compiling C++ object tests/wrong-timeout-late-timer.p/meson-generated_.._timeout-wrong-"
                 "late-timer.cpp.o", "Compiling tests/timeout-wrong-late-timer.cpp"),
                ("Linking target async-client/get-poetry", "Linking async-client/get-poetry"),
                ("Linking static target lib/liblab.a", "Linking lib/liblab.a"),
                ("Generating tests/x.cpp with a custom command", "Generating tests/x.cpp"),
                ("Something else entirely", "Something else entirely")):
            with self.subTest(description=description):
                self.assertEqual(step_name(description, "en"), said)
        self.assertEqual(step_name("Linking target a/b", "ko"), "링크 a/b")


if __name__ == "__main__":
    main()
