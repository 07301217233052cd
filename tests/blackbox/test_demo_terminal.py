"""./lab demo --fast on a real terminal of 80 columns (tmux), as a class
sees it on a projector: the bars, the heartbeat lanes, the line that says
who holds the reactor while the broken client's doRead does, the table;
every line within 80 columns; colours a projector keeps."""
import os
import re
import sys
import time

from labtest import BUILD, SOURCE, LabTestCase, main
from terminal import Terminal

sys.path.insert(0, os.path.join(SOURCE, "tools"))
from lablib import columns  # noqa: E402

DEMO = [sys.executable, os.path.join(SOURCE, "tools", "demo.py"), "--fast", "--build", BUILD, "--any-port"]
BAR = re.compile(r"^  Task (\d) \[([#.]*)\] (\S+ \S+) / (\S+ \S+)$")
STRIP = re.compile(r"^  heartbeat \[([ |.]{40})\] every ")
SIZES = {"1": "2.9 KiB", "2": "623 bytes", "3": "653 bytes"}
SGR = re.compile(r"\x1b\[([0-9;]*)m")


def env(**extra):
    values = {"LANG": "C.UTF-8", "LAB_LANG": "", "NO_COLOR": ""}
    values.update(extra)
    return values


class DemoOnATerminal(LabTestCase):

    def watch(self, term, until="What to notice", timeout=120):
        """Every screen seen while the demo runs (polled), then the last."""
        screens = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = term.screen()
            screens.append(screen)
            if any(until in line for line in screen):
                return screens
            time.sleep(0.05)
        self.fail("the demo did not end; the terminal shows:\n" + "\n".join(screens[-1]))

    def test_what_the_class_sees(self):
        with Terminal(DEMO, width=80, height=60, env=env()) as term:
            screens = self.watch(term)
            rows = term.rows(joined=True)  # a line too wide would show as one long row
            colours = term.colours()
            self.assertEqual(term.exit_status(), 0)

        # While the broken client ran, the class saw who held the reactor
        # and what the kernel kept for the others.
        held = []
        for screen in screens:
            at = next((i for i, l in enumerate(screen) if l.startswith("  reactor held by Task ")), None)
            if at is not None:
                self.assertRegex(screen[at], r"^  reactor held by Task \d doRead: \d+\.\d s$")
                held.append(screen[at + 1:at + 2])
        self.assertTrue(held, "the hold was never shown")
        waiting = [lines[0] for lines in held if lines and "waiting" in lines[0]]
        self.assertTrue(waiting, "the tasks kept waiting were never shown")
        for line in waiting:
            self.assertRegex(line, r"^  Tasks? [\d, ]+ waiting \(\d+(\.\d)? (bytes|KiB) queued in the "
                                   r"kernel\)$")

        for row in rows:
            self.assertLessEqual(columns(row), 80, row)
        # No bar ever past its poem, nor past its width; every bar full at the end.
        for screen in screens:
            for line in screen:
                bar = BAR.match(line)
                if bar:
                    self.assertEqual(len(bar.group(2)), 40, line)
                    self.assertRegex(bar.group(2), r"^#*\.*$", line)
        final = [BAR.match(r) for r in rows if BAR.match(r)]
        self.assertEqual(len(final), 9)  # three tasks, three clients
        for bar in final:
            self.assertEqual(bar.group(2), "#" * 40)
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
        # The table: a row and a reading per client.
        table = rows[next(i for i, r in enumerate(rows) if r == "== Side by side =="):]
        for client in ("blocking", "reactor", "broken"):
            row = next(r for r in table if r.startswith("  %s " % client))
            self.assertRegex(row, r"^  \w+ +\d+\.\d\d s +\d+\.\d\d +\d+\.\d\d +(-|\d+\.\d{3} s)$")
        # Colours a projector keeps: bold, reverse, the tasks' bright blue,
        # red and green; never yellow (33, 93) or dim (2).
        codes = {c for group in SGR.findall(colours) for c in group.split(";")}
        self.assertTrue({"1", "7", "91", "92", "94"} <= codes, codes)
        self.assertFalse({"2", "33", "93"} & codes, codes)

    def test_no_colour(self):
        with Terminal(DEMO, width=80, height=60, env=env(NO_COLOR="1")) as term:
            self.watch(term)
            colours = term.colours()
        codes = {c for group in SGR.findall(colours) for c in group.split(";")}
        self.assertFalse({c for c in codes if re.fullmatch(r"[39][0-7]", c)}, codes)
        self.assertIn("7", codes)  # reverse video is no colour: the hold still stands out


if __name__ == "__main__":
    main()
