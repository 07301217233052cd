"""What an instructor sees typing the clients by hand in front of a class,
on a real terminal of 80 columns (tmux) and through a pipe: the blocking
client refusing the reactor's options in one line, a Ctrl-C line that fits
the terminal, --heartbeat's live tick line (gone before the closing lines),
the late and slow-callback warnings highlighted on a terminal only, and
--step with no echo and no Enter counted twice."""
import os
import re
import shlex
import signal
import socket
import subprocess
import threading
import time

from labtest import (ASYNC, BLOCKING, BROKEN, CHAPTER_POEMS, SELECT, LabTestCase, Server,
                     check_no_sanitizer_report, main, run)
from poetrylab.text import columns
from terminal import Terminal

CLIENTS = [BLOCKING, ASYNC, SELECT, BROKEN]
ENDLESS = b"and on the poem went, and on, and on\n" * 20000
LIVE_LINE = re.compile(r"^ heartbeat: \d+ ticks?, (on time|\d+ late \(above\))$")
CHAPTER_LINE = re.compile(r"^(Task \d: got \d+ bytes of poetry from 127\.0\.0\.1:\d+|Task \d finished"
                          r"|Task \d: \d+ bytes of poetry|Got \d+ poems in \S+)$")
REVERSE = "\x1b[7m"


def name(client):
    return os.path.basename(client)


def through_ctrl_c(argv):
    """argv, as a Terminal runs it, with the pane's own shell made to live
    through Ctrl-C (it waits for the program, then runs the trap), so that
    the program's exit status and last screen can still be read. Ctrl-C
    goes to the whole foreground group: without the trap, the shell that
    waits for our program would die of it and take the pane along."""
    return ["eval", "trap : INT; " + " ".join(shlex.quote(a) for a in argv)]


def wait_until(condition, what, timeout=30):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("gave up waiting for " + what)
        time.sleep(0.02)


class HeldServer:
    """A poetry server that sends the first words of its poem, then holds
    the connection open until release(): a doRead that reads to the end
    (the broken client's) blocks for exactly as long as the test wants."""

    FIRST, REST = b"The first words arrive,\n", b"and the rest when the test says so.\n"

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.released = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        try:
            conn, _ = self.listener.accept()
        except OSError:
            return
        with conn:
            conn.sendall(self.FIRST)
            self.released.wait(60)
            try:
                conn.sendall(self.REST)
            except OSError:
                pass

    def release(self):
        self.released.set()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.release()
        self.listener.close()
        self.thread.join(10)


class NoReactor(LabTestCase):
    """The blocking and select() clients, given --heartbeat, --slow-callback
    or --step, say in one line that fits 80 columns that they have no
    reactor, and which program to type instead, from the repository's root."""

    REFUSED = "no reactor; try build/async-client/get-poetry "
    OPTIONS = (["--heartbeat", "0.1"], ["--heartbeat=0.1"], ["--heartbeat"], ["--step"],
               ["--slow-callback", "0.1"], ["--slow-callback=0"])

    def test_the_blocking_and_select_clients_refuse_the_reactors_options(self):
        for client in (BLOCKING, SELECT):
            for options in self.OPTIONS:
                option = options[0].split("=")[0]
                for args in (options + ["10000"], options):
                    with self.subTest(client=name(client), args=args):
                        result = run([client] + args)
                        check_no_sanitizer_report(self, result.stderr, name(client))
                        self.assertEqual(result.returncode, 1, result.stderr)
                        self.assertEqual(result.stdout, "")
                        lines = result.stderr.splitlines()
                        self.assertEqual(len(lines), 1, "one line on stderr:\n" + result.stderr)
                        # The option, that this client has no reactor, the
                        # program to try: a command to type, as it is typed.
                        self.assertEqual(lines[0], name(client) + ": " + self.REFUSED + option)
                        self.assertLessEqual(columns(lines[0]), 80, "wider than 80 columns: %r" % lines[0])

    def test_the_program_they_name_takes_those_options(self):
        self.assertTrue(ASYNC.endswith(os.path.join("async-client", "get-poetry")), ASYNC)
        for options in self.OPTIONS[:2] + self.OPTIONS[3:]:
            with self.subTest(args=options):
                result = run([ASYNC] + options + ["--help"])
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertIn(options[0].split("=")[0], result.stdout)


class CtrlC(LabTestCase):

    def test_the_interrupted_line_fits_80_columns(self):
        endless = self.write_poem("endless.txt", ENDLESS)
        for client in CLIENTS:
            with self.subTest(client=name(client)), Server(endless, num_bytes=10, delay="0.02") as server:
                proc = subprocess.Popen([client, str(server.port)], stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)
                wait_until(lambda: server.sending_lines() >= 5, "the poem to be under way")
                proc.send_signal(signal.SIGINT)
                _, err = proc.communicate(timeout=20)
                check_no_sanitizer_report(self, err, name(client))
                self.assertEqual(proc.returncode, 130, err)
                lines = [l for l in err.splitlines() if "interrupted by SIGINT" in l]
                self.assertEqual(len(lines), 1, err)
                self.assertTrue(lines[0].startswith(name(client) + ": "), lines[0])
                self.assertLessEqual(columns(lines[0]), 80, "wider than 80 columns: %r" % lines[0])


    def test_after_ctrl_c_no_task_starts(self):
        """The instructor's scenario: three servers, Ctrl-C while Task 1 is
        being received. The blocking client must not go on to Task 2 (no
        `Task 2: get poetry from` line, no connection to its server): the
        Interrupted line is next. The event clients connected to all three
        before any of it, and end the same way."""
        endless = self.write_poem("endless.txt", ENDLESS)
        for client in CLIENTS:
            with self.subTest(client=name(client)), \
                    Server(endless, num_bytes=10, delay="0.02") as one, \
                    Server(CHAPTER_POEMS[1][0], delay="0.02") as two, \
                    Server(CHAPTER_POEMS[2][0], delay="0.02") as three:
                proc = subprocess.Popen([client] + [str(s.port) for s in (one, two, three)],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                wait_until(lambda: one.sending_lines() >= 5, "Task 1 to be under way")
                os.kill(proc.pid, signal.SIGINT)
                out, err = proc.communicate(timeout=20)
                check_no_sanitizer_report(self, err, name(client))
                self.assertEqual(proc.returncode, 130, out + err)
                lines = out.splitlines()
                started = [l for l in lines if re.match(r"Task \d+: get poetry from: ", l)]
                self.assertEqual(started, ["Task 1: get poetry from: 127.0.0.1:%d" % one.port]
                                 if client == BLOCKING else [], out)
                self.assertRegex(lines[-1], r"^Interrupted: got 0 of 3 poems in \S+$")
                self.assertEqual([l for l in err.splitlines() if l.startswith(name(client) + ":")],
                                 [name(client) + ": interrupted by SIGINT (Ctrl-C): what had arrived is above"])
            if client == BLOCKING:  # the servers have stopped: all they printed is in
                for server in (two, three):
                    self.assertFalse([l for l in server.lines() if "wants poetry" in l],
                                     "a task started after Ctrl-C:\n" + "\n".join(server.lines()))


class Heartbeat(LabTestCase):

    def test_a_live_tick_line_on_a_terminal_cleared_before_the_closing_lines(self):
        with Server(CHAPTER_POEMS[0][0], num_bytes=30, delay="0.02") as one, \
                Server(CHAPTER_POEMS[1][0], delay="0.02") as two, \
                Server(CHAPTER_POEMS[2][0], delay="0.02") as three, \
                Terminal([ASYNC, "--heartbeat", "0.05"] + [str(s.port) for s in (one, two, three)],
                         width=80, height=40) as term:
            live = []
            deadline = time.monotonic() + 120
            while "Got 3 poems" not in term.text():
                self.assertLess(time.monotonic(), deadline, term.text())
                screen = term.screen()
                shown = [row for row in screen if LIVE_LINE.match(row)]
                self.assertLessEqual(len(shown), 1, "one live line, rewritten in place:\n" + "\n".join(screen))
                live += shown
                time.sleep(0.03)
            self.assertEqual(term.exit_status(), 0, term.text())
            self.assertTrue(live, "a healthy --heartbeat run on a terminal shows its tick line")
            rows = term.rows()
            for row in rows:
                self.assertLessEqual(columns(row), 80, row)
                # Late warnings may come on a busy machine; the live line
                # must be gone, and no line may carry what is left of it.
                if not row.startswith("heartbeat: the reactor was "):
                    self.assertRegex(row, CHAPTER_LINE, "\n".join(rows))
            self.assertRegex(rows[-1], r"^Got 3 poems in ")

    def test_late_and_slow_warnings_highlighted_on_a_terminal_only(self):
        # One poem of 101 chunks, 20 ms apart: the broken client's doRead
        # holds the loop for 2 s at least, far past both limits.
        poem, num_bytes = CHAPTER_POEMS[0]
        args = ["--heartbeat", "0.05", "--slow-callback", "0.5"]
        late = r"heartbeat: the reactor was [\d.]+ s late"
        slow = r"Task 1 doRead \(fd \d+, 127\.0\.0\.1:\d+\) blocked the reactor for [\d.]+ s"
        with Server(poem, num_bytes=num_bytes, delay="0.02") as server:
            # Reverse video is no colour: NO_COLOR keeps it.
            with Terminal([BROKEN] + args + [str(server.port)], width=80, env={"NO_COLOR": "1"}) as term:
                self.assertEqual(term.exit_status(timeout=60), 0, term.text())
                coloured = term.colours()
                self.assertRegex(coloured, re.escape(REVERSE) + late, coloured)
                self.assertRegex(coloured, re.escape(REVERSE) + slow, coloured)
            result = run([BROKEN] + args + [str(server.port)])
            self.assertClean(result)
            warnings = result.stderr.splitlines()
            self.assertTrue(any(re.fullmatch(late, l) for l in warnings), result.stderr)
            self.assertTrue(any(re.fullmatch(slow, l) for l in warnings), result.stderr)
            self.assertNotIn("\x1b", result.stderr)
            self.assertNotIn("\r", result.stderr)


class StepMode(LabTestCase):

    def test_enter_not_echoed_and_not_counted_while_a_turn_runs(self):
        with HeldServer() as server, \
                Terminal([BROKEN, "--step", str(server.port)], width=80, height=40) as term:
            term.wait_for("step mode: ")
            term.keys("zzq", "Enter")  # an Enter, with a word the terminal would echo
            term.wait_for("step 1: ready Task 1")
            # The broken doRead now reads to the end of the poem, which the
            # server holds back: the turn is running, for as long as we like.
            term.keys("Enter")
            time.sleep(0.3)
            self.assertNotIn("Task 1: got", term.text(), "the turn ended before the server let go")
            server.release()
            term.wait_for("Task 1: got %d bytes" % (len(server.FIRST) + len(server.REST)))
            # The Enter typed during the turn must not start the next one.
            time.sleep(1)
            self.assertNotIn("step 2:", term.text())
            term.keys("Enter")
            term.wait_for("Got 1 poems in ")
            self.assertEqual(term.exit_status(), 0, term.text())
            rows = term.rows()
            self.assertNotIn("zzq", term.text(), "what was typed was echoed")
            # No blank rows where the Enters would have been echoed.
            self.assertEqual(rows[:5], ["step mode: one turn of the loop per line on stdin (at its end: run on)",
                                        "step 1: ready Task 1",
                                        "Task 1: got %d bytes of poetry from 127.0.0.1:%d"
                                        % (len(server.FIRST) + len(server.REST), server.port),
                                        "step 2: ready Task 1",
                                        "Task 1 finished"], "\n".join(rows))

    def test_ctrl_c_while_waiting_for_enter_gives_the_terminal_back(self):
        # With the heartbeat too: its live line is up while the loop waits
        # (here, for the Enter), and must be gone all the same.
        argv = [BROKEN, "--step", "--heartbeat", "0.05", "1"]
        with HeldServer() as server, \
                Terminal(through_ctrl_c(argv[:-1] + [str(server.port)]), width=80, height=40) as term:
            term.wait_for("step mode: ")
            term.wait_for(" heartbeat: 0 ticks, on time")
            term.keys("C-c")
            self.assertEqual(term.exit_status(), 130, term.text())
            rows = term.rows()
            self.assertFalse([row for row in rows if "ticks" in row], "\n".join(rows))
            self.assertTrue([row for row in rows if re.fullmatch(r"Interrupted: got 0 of 1 poems in \S+", row)],
                            "\n".join(rows))
            self.assertTrue([row for row in rows if row.startswith("get-poetry-broken: interrupted by SIGINT")],
                            "\n".join(rows))
            # The terminal echoes what is typed again (nobody reads it now:
            # the pane's shell sleeps).
            term.keys("echoed")
            term.wait_for("echoed", timeout=10)


if __name__ == "__main__":
    main()
