"""Exercise 2: --timeout with callLater, cancelled when the poem arrives.
Each check's message is what `./lab check` shows the learner."""
import subprocess
import time
import unittest

from exercise_support import HANG, PROGRAM, ExerciseTestCase, Server

SHORT = b"Short and sweet,\nthis poem is done.\n"
# Enough verse to trickle forever at 10 bytes every 20 ms: never finishes in a test.
ENDLESS = b"the slowest poem in the world goes on and on\n" * 5000


class Timeout(ExerciseTestCase):

    # The trickling server never finishes: only the timeout can end the run.
    NEVER_ENDS = ("this server never finishes its poem, so only your timeout can end the run. "
                  "Did it fire? Does it measure the whole poem, or only the gap between reads?")

    def timed_out_line(self, task, seconds):
        return "Task %d: timed out after %s seconds" % (task, seconds)

    def trickle(self):
        poem = self.write_poem("endless.txt", ENDLESS)
        return Server(poem, num_bytes=10, delay="0.02")

    def test_1_slow_poem_times_out_and_the_others_go_on(self):
        short = self.write_poem("short.txt", SHORT)
        with Server(short) as fast, self.trickle() as slow:
            result = self.run_program("--timeout", "1.5", fast.port, slow.port, hang_hint=self.NEVER_ENDS)
        line = self.timed_out_line(2, "1.5")
        self.assertIn(line, result.lines, "Task 2's poem never finishes, so after 1.5 s the "
                      "client should print\n  %s\nbut it printed:\n  %s\n(stderr: %s)"
                      % (line, "\n  ".join(result.lines[-6:]), result.stderr.strip() or "nothing"))
        self.assertNotIn(self.timed_out_line(1, "1.5"), result.lines,
                         "Task 1's poem arrived in time, yet it was reported as timed out: its "
                         "timeout still fired. Keep what callLater returns and cancel it when the "
                         "poem is done.")
        counts = [l for l in result.lines if l.startswith("Task 2: ") and l.endswith(" bytes of poetry")]
        got2 = int(counts[-1].split()[2]) if counts and counts[-1].split()[2].isdigit() else -1
        self.assertClosingLines(result, [len(SHORT), got2],
                                "After a timeout the other tasks go on, then the closing lines.")
        self.assertEqual(result.returncode, 1, "A poem timed out: exit status 1, please.")

    def test_2_timeout_bounds_the_whole_poem(self):
        with self.trickle() as slow:
            result = self.run_program("--timeout", "0.5", slow.port, hang_hint=self.NEVER_ENDS)
        self.assertIn(self.timed_out_line(1, "0.5"), result.lines,
                      "A server that keeps sending a few bytes at a time must still time out: "
                      "the timeout bounds the whole poem, from connect to the end, not the "
                      "gap between two reads.")
        self.assertEqual(result.returncode, 1, "A poem timed out: exit status 1, please.")

    def test_3_every_poem_times_out(self):
        with self.trickle() as a, self.trickle() as b:
            result = self.run_program("--timeout", "0.4", a.port, b.port, hang_hint=self.NEVER_ENDS)
        for task in (1, 2):
            self.assertIn(self.timed_out_line(task, "0.4"), result.lines,
                          "Both poems were too slow: expected both tasks to time out, got:\n  %s"
                          % "\n  ".join(result.lines[-6:]))
        self.assertEqual(result.returncode, 1, "Poems timed out: exit status 1, please.")

    def test_4_poems_in_time_do_not_time_out(self):
        short = self.write_poem("short.txt", SHORT)
        with Server(short) as a, Server(short) as b:
            result = self.run_program("--timeout", "20", a.port, b.port)
        self.assertFalse([l for l in result.lines if "timed out" in l],
                         "Every poem arrived well within 20 s, yet something timed out.")
        self.assertClosingLines(result, [len(SHORT), len(SHORT)], "Poems that arrive in time are "
                                "reported as usual.")
        self.assertEqual(result.returncode, 0, "Nothing timed out, so the exit status should be 0.")

    def test_6_lost_poem_does_not_time_out_later(self):
        # Task 1's server is stopped mid-poem (the connection is reset) long
        # before --timeout; task 2 trickles on until its timeout. By then task
        # 1 is over and its timeout must be gone with it.
        endless = self.write_poem("endless.txt", ENDLESS)
        with Server(endless, num_bytes=10, delay="0.02") as doomed, self.trickle() as slow:
            proc = subprocess.Popen([PROGRAM, "--timeout", "1.5", str(doomed.port), str(slow.port)],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            deadline = time.monotonic() + 20
            while doomed.sending_lines() < 5 and time.monotonic() < deadline:
                time.sleep(0.01)
            doomed.stop()
            try:
                out, err = proc.communicate(timeout=HANG)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.communicate()
                self.fail("the client was still running %g s after its --timeout 1.5" % HANG)
        lines = out.splitlines()
        self.assertTrue([l for l in lines if l.startswith("Task 1: lost the connection")],
                        "Task 1's server was stopped mid-poem: expected 'Task 1: lost the "
                        "connection to ...', got:\n  %s" % "\n  ".join(lines[-6:]))
        self.assertNotIn(self.timed_out_line(1, "1.5"), lines,
                         "Task 1's connection was lost long before its timeout, yet later it was "
                         "also reported as timed out: cancel the timeout whenever the poem is "
                         "over (connectionLost), not only when it ends cleanly.")
        self.assertIn(self.timed_out_line(2, "1.5"), lines,
                      "Task 2 never finishes, so it should time out after 1.5 s.")

    def test_5_bad_timeout_is_refused(self):
        for value in ["0", "-1", "soon", "nan", "inf"]:
            result = self.run_program("--timeout", value, "10000")
            self.assertEqual(result.returncode, 1, "--timeout %s should be refused (exit status 1)."
                             % value)
            self.assertIn("--timeout", result.stderr, "The error for --timeout %s should name "
                          "--timeout." % value)


if __name__ == "__main__":
    unittest.main()
