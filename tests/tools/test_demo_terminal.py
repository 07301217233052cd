"""./lab demo --fast on a real terminal of 80 columns (tmux), as a class
sees it on a projector: the bars, the heartbeat lanes, the line that says
who holds the reactor while the broken client's doRead does, the table;
every line within 80 columns; colours a projector keeps; the questions of
--ask and the turns of --step, typed at the keyboard; the captions in
Korean."""
import re
import time

from labtest import LabTestCase, main
from poetrylab.text import columns
from terminal import Terminal
from test_demo import DEMO, LEFT_OUT, check_table

BAR = re.compile(r"^  Task (\d) \[([#.]*)\] (\S+ \S+) / (\S+ \S+)$")
STRIP = re.compile(r"^  heartbeat \[([ |.]+)\] every ")
SIZES = {"1": "2.9 KiB", "2": "623 bytes", "3": "653 bytes"}
UNITS = {"bytes": 1, "KiB": 1024}  # as the demo shows the chapter's poems' sizes
SGR = re.compile(r"\x1b\[([0-9;]*)m")


def env(**extra):
    """The pane's environment. tmux gives it the runner's (the tmux server
    starts with it) and -e can only add: what demo_env leaves out is set
    empty here, which the demo, Python and the C library read as unset.
    Then a UTF-8 locale, as a class's terminal has."""
    values = {name: "" for name in LEFT_OUT}
    values.update(LANG="C.UTF-8", NO_COLOR="")
    values.update(extra)
    return values


def size_of(shown):
    """The bytes in a size as the demo shows it ("623 bytes", "2.9 KiB")."""
    number, unit = shown.split()
    return float(number) * UNITS[unit]


class DemoOnATerminal(LabTestCase):

    def watch(self, term, until="What to notice", times=1, timeout=120):
        """Every screen seen (polled) until `until` has been shown `times`
        times, counting the scrollback; the last screen included."""
        screens = []
        deadline = time.monotonic() + timeout
        looks = 0
        while time.monotonic() < deadline:
            screens.append(term.screen())
            # The whole scrollback is read 5 times a second, the screen 20:
            # each is a tmux client of its own.
            looks += 1
            if looks % 4 == 0 and term.text().count(until) >= times:
                screens.append(term.screen())
                return screens
            time.sleep(0.05)
        self.fail("the terminal never showed %r; it shows:\n%s" % (until, "\n".join(screens[-1])))

    def assertHoldShown(self, screens, prefix, held, word, waiting):
        """Screens showed who held the reactor (the lines that start with
        `prefix`, each as `held` says) and, under it at least once, the
        tasks kept waiting and what the kernel holds for them (the lines
        with `word` in them, each as `waiting` says)."""
        shown = [(screen[i], screen[i + 1] if i + 1 < len(screen) else "")
                 for screen in screens for i in range(len(screen)) if screen[i].startswith(prefix)]
        self.assertTrue(shown, "the hold was never shown")
        for line, _ in shown:
            self.assertRegex(line, held)
        unders = [under for _, under in shown if word in under]
        self.assertTrue(unders, "the tasks kept waiting were never shown")
        for under in unders:
            self.assertRegex(under, waiting)

    def test_what_the_class_sees(self):
        with Terminal(DEMO, width=80, height=60, env=env()) as term:
            screens = self.watch(term)
            rows = term.rows(joined=True)  # a line too wide would show as one long row
            colours = term.colours()
            self.assertEqual(term.exit_status(), 0)

        # While the broken client ran, the class saw who held the reactor
        # and what the kernel kept for the others.
        self.assertHoldShown(screens, "  reactor held by Task ", r"^  reactor held by Task \d doRead: \d+\.\d s$",
                             "waiting",
                             r"^  Tasks? [\d, ]+ waiting \(\d+(\.\d)? (bytes|KiB) queued in the kernel\)$")

        for row in rows:
            self.assertLessEqual(columns(row), 80, row)
        # No bar ever past its poem, nor past its width; every bar full at the end.
        for screen in screens:
            for line in screen:
                bar = BAR.match(line)
                if bar:
                    self.assertLessEqual(columns(line), 59, line)  # any width from 60 up: no wrap
                    self.assertRegex(bar.group(2), r"^#*\.*$", line)
                    self.assertEqual(bar.group(4), SIZES[bar.group(1)], line)
                    self.assertLessEqual(size_of(bar.group(3)), size_of(bar.group(4)), line)
        final = [BAR.match(r) for r in rows if BAR.match(r)]
        self.assertEqual(len(final), 9)  # three tasks, three clients
        for bar in final:
            self.assertRegex(bar.group(2), r"^#{10,40}$")
            self.assertEqual(bar.group(3), SIZES[bar.group(1)])
            self.assertEqual(bar.group(4), SIZES[bar.group(1)])
        # A heartbeat lane for each event-driven client; the broken client's
        # froze: its last strip has fewer ticks than the reactor client's.
        strips = [STRIP.match(r) for r in rows]
        strips = [s.group(1) for s in strips if s]
        self.assertEqual(len(strips), 2)
        self.assertGreater(strips[0].count("|"), strips[1].count("|"))
        # ... and the beats it missed show, as dots, growing while it was held.
        self.assertGreater(strips[1].count("."), strips[0].count("."))
        frozen = [STRIP.match(l).group(1).count(".") for s in screens for l in s
                  if STRIP.match(l) and any(x.startswith("  reactor held by") for x in s)]
        self.assertGreater(max(frozen), min(frozen), "the missed beats never grew")
        # The task that holds the loop (or that the blocking client waits
        # on in recv()) shows the bytes it has read so far, not 0.
        for says, task in (("reactor held by Task 1", "1"), ("Task 1 blocks in recv()", "1")):
            during = [BAR.match(l) for screen in screens if any(says in x for x in screen)
                      for l in screen if l.startswith("  Task %s [" % task)]
            self.assertTrue(during, says)
            self.assertGreater(max(size_of(bar.group(3)) for bar in during if bar), 0, says)
        # The table: a row and a reading per client.
        table = rows[next(i for i, r in enumerate(rows) if r == "== Side by side =="):]
        for client in ("blocking", "reactor", "broken"):
            row = next(r for r in table if r.startswith("  %s " % client))
            self.assertRegex(row, r"^  \w+ +\d+\.\d\d s +\d+\.\d\d +\d+\.\d\d +(-|\d+\.\d{3} s)$")
        check_table(self, "\n".join(rows), "en", guesses=False)
        # Colours a projector keeps: bold, reverse, the tasks' blue, red and
        # green for a dark background (xterm's 256 colours 75, 203, 77: see
        # test_demo_classroom for their contrast); never yellow (33, 93) or dim (2).
        codes = {c for group in SGR.findall(colours) for c in group.split(";")}
        self.assertTrue({"1", "7", "38", "5", "75", "203", "77"} <= codes, codes)
        self.assertFalse({"2", "33", "93"} & codes, codes)

    def test_no_colour(self):
        with Terminal(DEMO, width=80, height=60, env=env(NO_COLOR="1")) as term:
            self.watch(term)
            colours = term.colours()
        codes = {c for group in SGR.findall(colours) for c in group.split(";")}
        self.assertFalse({c for c in codes if re.fullmatch(r"[39][0-7]", c)}, codes)
        self.assertIn("7", codes)  # reverse video is no colour: the hold still stands out

    def test_ask_at_the_keyboard(self):
        # The class answers at the question. What is typed while a client
        # runs is not echoed into the live view (it would leave stray lines
        # there), and is thrown away: it is not the next question's answer.
        with Terminal(DEMO + ["--ask"], width=80, height=60, env=env()) as term:
            term.wait_for("How many seconds")
            term.keys("2.5", "Enter")
            # The blocking client's first poem: the run has more than a second to go.
            screens = self.watch(term, until="Task 1 blocks in recv()")
            term.keys("9zq", "Enter")
            screens += self.watch(term, until="How many seconds", times=2)
            term.keys("Enter")  # no guess for the reactor client
            screens += self.watch(term, until="How many seconds", times=3)
            term.keys("1", "Enter")
            screens += self.watch(term)
            rows = term.rows(joined=True)
            self.assertEqual(term.exit_status(), 0)
        text = "\n".join(rows)
        self.assertEqual(re.findall(r"^  you guessed (\d+\.\d) s; it took \d+\.\d\d s$", text, flags=re.M),
                         ["2.5", "1.0"])
        self.assertNotIn("not a number of seconds", text)  # 9zq was never an answer
        # Echoed, the keys would show, or the Enter would leave a stray line
        # (a bar of the block, which is drawn again below it).
        for screen in screens + [rows]:
            self.assertFalse(any("9zq" in line for line in screen), "\n".join(screen))
        self.assertEqual(len([r for r in rows if BAR.match(r)]), 9, text)  # three tasks, three clients
        check_table(self, text, "en", guesses=True)

    def test_step_at_the_keyboard(self):
        # Each Enter is one turn of the reactor client's loop, and no more.
        with Terminal(DEMO + ["--step", "--only", "reactor"], width=80, height=60, env=env()) as term:
            term.wait_for("step mode: one turn of the loop per line")
            for turn in (1, 2, 3):
                term.keys("Enter")
                term.wait_for("  step %d: ready " % turn)
                self.assertNotIn("step %d:" % (turn + 1), term.text())
            term.keys("q", "Enter")  # it runs on by itself
            term.wait_for("Got 3 poems in ")
            self.assertEqual(term.exit_status(), 0)
            rows = term.rows(joined=True)
            colours = term.colours()
        steps = [r for r in rows if re.match(r"^  step \d+:", r)]
        self.assertEqual(len(steps), 3, "\n".join(rows))
        for turn, row in enumerate(steps, start=1):
            self.assertRegex(row, r"^  step %d: ready Task \d(, Task \d)*$" % turn)
        # In reverse video, where the client's other lines are plain.
        line = next(l for l in colours.splitlines() if "step 1: ready" in l)
        codes = {c for group in SGR.findall(line[:line.index("step 1")]) for c in group.split(";")}
        self.assertIn("7", codes, repr(line))

    def test_korean_live_view(self):
        # The live view's captions in Korean, where Hangul takes two columns:
        # still within 80, and the table still lined up.
        with Terminal(DEMO + ["--lang", "ko"], width=80, height=60, env=env()) as term:
            screens = self.watch(term, until="눈여겨볼 점")
            rows = term.rows(joined=True)
            self.assertEqual(term.exit_status(), 0)
        self.assertHoldShown(screens, "  reactor를 붙잡은 콜백: ", r"^  reactor를 붙잡은 콜백: Task \d doRead, \d+\.\d초$",
                             "기다리는 중",
                             r"^  Task [\d, ]+[이가] 기다리는 중 \(커널에 \d+(\.\d)? (바이트|KiB) 쌓임\)$")
        for row in rows:
            self.assertLessEqual(columns(row), 80, row)
        self.assertIn("  reactor: 모든 소켓을 한꺼번에 기다리는 중", [l for s in screens for l in s])
        check_table(self, "\n".join(rows), "ko", guesses=False)


if __name__ == "__main__":
    main()
