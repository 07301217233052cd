"""./lab demo in a real classroom: a terminal of 60 columns, or one resized
mid-run (80, then 60, then 50); a light theme; Ctrl-Z, then the shell's
fg; the instructor's controls (--pause, --only, --delay, --step for the
broken client, --race); the warnings and the table in Korean; why a
heartbeat can be later than every callback. Each on a real terminal
(tmux) where the class would see it, or through a pipe where a script
would read it."""
import contextlib
import io
import os
import re
import shlex
import subprocess
import time

from labtest import LabTestCase, main
from poetrylab import demo
from poetrylab import trace as labtrace
from poetrylab.demo import STOPS
from poetrylab.demo.run import ClientRun, longest_held, stopped_within
from poetrylab.demo.view import Live
from poetrylab.terminal import BACKGROUND, THEMES, Style, contrast, theme_of, xterm_rgb
from poetrylab.text import columns
from terminal import Terminal
from test_demo import DEMO, demo_env
from test_demo_terminal import BAR, SGR, env

DONE = "What to notice"


def codes_in(colours):
    return {c for group in SGR.findall(colours) for c in group.split(";")}


def task_colours(colours):
    """The 256-colour indexes the tasks were painted in (38;5;N)."""
    return {int(n) for n in re.findall(r"\x1b\[[0-9;]*38;5;(\d+)", colours)}


class Classroom(LabTestCase):

    def test_sixty_columns_and_a_light_theme(self):
        # A zoomed font: 60 columns. The live block fits, so each redraw
        # lands on the last one: one copy of each line in the scrollback.
        # --theme light wins over a COLORFGBG that says dark.
        with Terminal(DEMO + ["--only", "broken", "--theme", "light"], width=60, height=40,
                      env=env(COLORFGBG="15;0")) as term:
            term.wait_for(DONE, timeout=120)
            self.assertEqual(term.exit_status(), 0)
            rows = term.rows(joined=True)  # a line that wrapped shows as one long row
            colours = term.colours()
        text = "\n".join(rows)
        self.assertEqual(len([r for r in rows if r.startswith("  Task 1 [")]), 1, text)
        for row in rows:
            self.assertLessEqual(columns(row), 60, row)
        self.assertEqual(task_colours(colours), set(THEMES["light"]))

    def test_resized_while_it_runs(self):
        # 80 columns, then 60 while the broken client holds the loop, then
        # 50: below the least it says so in one line and goes on in plain
        # lines. Never a stale copy of the block. The theme follows
        # COLORFGBG (black on white: light).
        with Terminal(DEMO + ["--only", "broken", "--delay", "0.03"], width=80, height=40,
                      env=env(COLORFGBG="0;15")) as term:
            term.wait_for("reactor held by Task")
            term.resize(60)
            term.wait_for("s so far")
            time.sleep(0.5)  # a few redraws at 60 columns
            term.resize(50)
            term.wait_for("plain lines from here")
            term.wait_for(DONE, timeout=120)
            self.assertEqual(term.exit_status(), 0)
            rows = term.rows(joined=True)
            colours = term.colours()
        text = "\n".join(rows)
        self.assertEqual(len([r for r in rows if r.startswith("  Task 1 [")]), 1, text)
        notice = next(i for i, r in enumerate(rows) if "(the terminal is 50 columns" in r)
        # The notice itself fits the 50 columns it speaks of.
        said = " ".join(rows[notice:notice + 2])
        self.assertIn("(the terminal is 50 columns, the live view needs 60: plain lines from here)", said)
        self.assertLessEqual(max(columns(r) for r in rows[notice:notice + 2]), 50, said)
        narrow = notice + 1
        # From there on, the chapter's lines as they come, as through a pipe.
        self.assertTrue(any(re.match(r"^  Task \d: got \d+ bytes of poetry", r) for r in rows[narrow:]), text)
        self.assertEqual(task_colours(colours), set(THEMES["light"]))

    def test_narrowed_below_the_least_then_widened_back(self):
        # The blocking client (its result lines are printed at its end on a
        # terminal, as they came through a pipe): 50 columns while Task 2
        # is read, then 80 again. Each of the chapter's lines is printed
        # once, in order, and the live view comes back below the plain lines.
        with Terminal(DEMO + ["--only", "blocking", "--delay", "0.03"], width=80, height=40,
                      env=env()) as term:
            term.wait_for("Task 2 blocks in recv()")  # Task 1's line is held for the end
            term.resize(50)
            term.wait_for("plain lines from here")
            term.wait_for("Task 2: got")  # printed plain, and Task 1's before it
            term.resize(80)
            term.wait_for(DONE, timeout=120)
            self.assertEqual(term.exit_status(), 0)
            rows = term.rows(joined=True)
        text = "\n".join(rows)
        got = [r[:8] for r in rows if re.match(r"^  Task \d: got \d+ bytes of poetry", r)]
        self.assertEqual(got, ["  Task 1", "  Task 2", "  Task 3"], text)  # each once, in order
        self.assertEqual(len([r for r in rows if re.match(r"^  Got 3 poems in ", r)]), 1, text)
        notice = next(i for i, r in enumerate(rows) if "(the terminal is 50 columns" in r)
        self.assertTrue(any(r.startswith("  Task 1 [") for r in rows[notice:]), text)

    def test_stopped_with_ctrl_z_then_resumed(self):
        # Ctrl-Z at an interactive shell stops the demo, the client and its
        # servers (one job); fg resumes them. The view is drawn again once,
        # below what the shell wrote; the stop is no time the client took,
        # and the table concludes nothing from it.
        command = " ".join(shlex.quote(a) for a in DEMO + ["--only", "reactor", "--delay", "0.03"])
        with Terminal(["bash", "--norc", "--noprofile", "-i"], width=80, height=40, env=env()) as term:
            term.keys(command, "Enter")
            term.wait_for("s so far")
            term.keys("C-z")
            term.wait_for("Stopped")
            time.sleep(1.0)
            term.keys("fg", "Enter")
            term.wait_for(DONE, timeout=120)
            term.keys("echo demo-exit-$?", "Enter")
            term.wait_for("demo-exit-", times=2)  # the command line, then its echo
            rows = term.rows(joined=True)
            term.keys("exit", "Enter")
        text = "\n".join(rows)
        self.assertIn("demo-exit-0", text)
        self.assertRegex(text, r"\n  \(resumed after \d+\.\d s stopped: that time is left out\)\n")
        self.assertLessEqual(len([r for r in rows if r.startswith("  Task 1 [")]), 2, text)  # before, after
        own = float(re.search(r"Got 3 poems in 0:00:(\d+\.\d+)", text).group(1))
        took = float(re.search(r"\n  reactor +(\d+\.\d\d) s ", text).group(1))
        self.assertLess(took, own - 0.8, text)  # the stop is left out
        self.assertRegex(text, r"\n +stopped \d+\.\d s \(Ctrl-Z\) and left out")
        self.assertNotIn("waited on all servers at once", text)  # no conclusion from a stopped run
        self.assertIn("What to notice: nothing this time.", text)
        self.assertRegex(text, r"! heartbeat: the reactor was \d+\.\d+ s late \(\d+\.\d s of it: Ctrl-Z\)")

    def test_pause_between_clients(self):
        with Terminal(DEMO + ["--pause", "--only", "reactor"], width=80, height=40, env=env()) as term:
            term.wait_for("(Enter: start it)")
            term.keys("xyz")  # a student at the keyboard: not shown, not an Enter
            time.sleep(0.5)
            self.assertNotIn("$ build/async-client/get-poetry", term.text())  # it waits
            self.assertNotIn("xyz", term.text())
            self.assertIn("== The reactor client", term.text())  # under its heading
            term.keys("Enter")
            term.wait_for(DONE, timeout=120)
            self.assertEqual(term.exit_status(), 0)
            text = term.text()
        self.assertNotIn("== The blocking client", text)  # --only
        self.assertNotIn("== The broken client", text)
        # One client is compared with its servers, not with the others.
        self.assertIn("== The numbers ==", text)
        self.assertIn("the reactor client took about the slowest server's time", text)
        self.assertNotIn("(Enter: start it)", text)  # the prompt went once Enter came

    def test_step_through_the_broken_client(self):
        # One Enter, one turn: the broken client's doRead reads a whole
        # poem in that turn (the loop frozen meanwhile), and no second turn
        # runs until the next Enter: keys pressed during the freeze, Enter
        # too, neither show nor start one.
        with Terminal(DEMO + ["--step", "--only", "broken", "--delay", "0.03"], width=80, height=40,
                      env=env()) as term:
            term.wait_for("step mode: one turn of the loop per line")
            term.keys("Enter")
            term.wait_for("  step 1: ready ")
            term.keys("Enter")
            term.keys("abc", "Enter")
            term.wait_for("bytes of poetry", times=3)
            time.sleep(0.5)
            self.assertNotIn("step 2:", term.text())
            self.assertNotIn("abc", term.text())
            self.assertRegex(term.text(), r"Task \d: got (3003|623|653) bytes of poetry")  # a whole poem
            term.keys("q", "Enter")
            term.wait_for("Got 3 poems in ")
            self.assertEqual(term.exit_status(), 0)
            text = term.text()
        self.assertIn("== The broken client", text)
        self.assertNotIn("== The reactor client", text)

    def test_race(self):
        # The reactor and the broken client at once, each with its own
        # servers, one block above the other; a row each in the table.
        with Terminal(DEMO + ["--race"], width=80, height=40, env=env()) as term:
            screens = []
            deadline = time.monotonic() + 120
            while DONE not in term.text() and time.monotonic() < deadline:
                screens.append(term.screen())
                time.sleep(0.05)
            self.assertEqual(term.exit_status(), 0)
            rows = term.rows(joined=True)
        text = "\n".join(rows)
        both = [s for s in screens if any("the reactor client: each poem" in l for l in s)
                and any("the broken client: doRead blocks" in l for l in s)]
        self.assertTrue(both, "the two were never shown together")
        self.assertEqual(len([r for r in rows if BAR.match(r)]), 6, text)
        self.assertEqual(len(re.findall(r"\n  \[(reactor|broken)\] Got 3 poems in ", text)), 2, text)
        ports = re.findall(r"^\$ build/\S+ (\d+) (\d+) (\d+) &$", text, flags=re.M)
        self.assertEqual(len(ports), 2)
        self.assertFalse(set(ports[0]) & set(ports[1]), "the two shared a server")
        table = text.split("== Side by side ==")[1]
        self.assertEqual(re.findall(r"^  (\w+) +\d+\.\d\d s", table, flags=re.M), ["reactor", "broken"])
        for row in rows:
            self.assertLessEqual(columns(row), 80, row)

    def test_korean_warnings_and_table_through_a_pipe(self):
        result = subprocess.run(DEMO + ["--only", "broken", "--lang", "ko"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, timeout=120, env=demo_env())
        self.assertEqual(result.returncode, 0, result.stderr)
        out = result.stdout
        self.assertRegex(out, r"\n  ! Task \d doRead \(fd \d+, 127\.0\.0\.1:\d+\) 콜백이 reactor를")
        self.assertRegex(out, r"\n  ! heartbeat: reactor가 \d+\.\d+초 늦었습니다")
        self.assertRegex(out, r"\n  깨진 +\d+\.\d\d초 +\d+\.\d\d +\d+\.\d\d +\d+\.\d{3}초\n")
        self.assertNotIn("blocked the reactor", out)

    def test_bad_options_in_one_line(self):
        for args, says in ((["--delay", "0"], "--delay takes seconds"),
                           (["--only", "fast"], "--only takes blocking, reactor or broken"),
                           (["--theme", "blue"], "--theme takes light or dark"),
                           (["--step", "--only", "blocking"], "has no loop to step through"),
                           (["--race", "--ask"], "not with --ask")):
            with self.subTest(args=args):
                result = subprocess.run(DEMO + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True, timeout=30, env=demo_env())
                self.assertEqual(result.returncode, 1)
                self.assertIn(says, " ".join(result.stderr.split()))
                self.assertEqual(len(result.stderr.strip().split("\n")), 2, result.stderr)  # and where help is
                self.assertEqual(result.stdout, "")

    def test_every_colour_keeps_three_to_one_on_its_background(self):
        # WCAG's contrast ratio, in xterm's 256-colour palette: at least 3:1
        # for every task colour against the background it is meant for
        # (the bright 16-colour green, 92, was 1.4:1 on white).
        for theme, colours in THEMES.items():
            for index in colours:
                with self.subTest(theme=theme, colour=index):
                    self.assertGreaterEqual(contrast(xterm_rgb(index), BACKGROUND[theme]), 3.0)
        self.assertLess(contrast((0, 255, 0), BACKGROUND["light"]), 3.0)  # the measure can fail
        self.assertEqual(theme_of(environ={"COLORFGBG": "0;15"}), "light")
        self.assertEqual(theme_of(environ={"COLORFGBG": "15;0"}), "dark")
        self.assertEqual(theme_of(environ={}), "dark")
        self.assertEqual(theme_of("dark", environ={"COLORFGBG": "0;15"}), "dark")
        self.assertIn("38;5;25", Style(True, "light").task(1, "Task 1"))

    def test_why_a_heartbeat_is_later_than_every_callback(self):
        # Two doReads of 0.4 s one after the other, in one turn: the tick
        # due during the first comes 0.8 s late, later than either. One line
        # says why, once. A tick late by one long callback needs no word.
        demo.LANG = "en"
        client = ClientRun("broken", "get-poetry-broken", [], [30, 20], Style(False), Live(False),
                           os.path.join(self.tmp, "trace.json"), heartbeat=0.05, slow=0.05)
        record = client.tail.trace
        for task, start, end in ((1, 1.0, 1.3), (2, 1.3, 1.6), (1, 1.6, 1.8), (1, 3.0, 3.6)):
            callback = labtrace.Callback("doRead", start, {"of": "Task %d" % task})
            callback.end = end
            record.callbacks.append(callback)
        record.heartbeats += [(1.85, 0.8), (3.65, 0.6)]
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            client.explain_beats()
            client.explain_beats()  # once each
        self.assertEqual(" ".join(out.getvalue().split()),
                         "(the heartbeat came 0.80 s late though no callback took more than 0.30 s: "
                         "3 callbacks (Task 1 doRead x2, Task 2 doRead) ran one after another, and a "
                         "tick waits for them all)")

    def test_a_stop_is_no_time_a_callback_held_the_loop(self):
        # Ctrl-Z for 5 s while Task 1's doRead held the loop (its record
        # says 6 s): it held it 1 s. The stop is on our clock, the record's
        # times from its epoch (both CLOCK_MONOTONIC).
        record = labtrace.Trace()
        record.epoch = 1000.0
        for task, start, end in ((1, 1.0, 7.0), (2, 7.0, 8.5)):
            callback = labtrace.Callback("doRead", start, {"of": "Task %d" % task})
            callback.end = end
            record.callbacks.append(callback)
        self.addCleanup(STOPS.clear)
        STOPS.append((1002.0, 1007.0))
        self.assertAlmostEqual(stopped_within(1000.0, 1010.0), 5.0)
        self.assertAlmostEqual(stopped_within(1003.0, 1004.0), 1.0)
        self.assertAlmostEqual(longest_held(record), 1.5)  # Task 2's: Task 1's was 1 s


if __name__ == "__main__":
    main()
