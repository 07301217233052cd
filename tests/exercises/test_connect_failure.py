"""Exercise 1: a failure to connect must not crash the client.
Each check's message is what `./lab check` shows the learner."""
import unittest

from exercise_support import Blackhole, ExerciseTestCase, Server, refused_port

POEM = b"A poem that made it\nacross the wire.\n"


class ConnectFailure(ExerciseTestCase):

    def check_one_failed(self, args, failed_task, expected_line, sizes):
        result = self.run_program(*args)
        self.assertIn(expected_line, result.lines,
                      "Task %d could not connect, so the client should print\n  %s\nand go on, "
                      "but it printed:\n  %s\n(stderr: %s)"
                      % (failed_task, expected_line, "\n  ".join(result.lines) or "(nothing)",
                         result.stderr.strip() or "nothing"))
        self.assertClosingLines(result, sizes,
                                "After a failed connect the client must still fetch the other "
                                "poems and print the closing lines.")
        self.assertEqual(result.returncode, 1,
                         "A task failed, so the client should exit with status 1, not %d."
                         % result.returncode)

    def test_1_refused_after_a_good_server(self):
        poem = self.write_poem("p.txt", POEM)
        port = refused_port()
        with Server(poem) as server:
            self.check_one_failed(
                [server.port, port], 2,
                "Task 2: failed to connect to 127.0.0.1:%d: Connection refused" % port,
                [len(POEM), 0])

    def test_2_refused_before_a_good_server(self):
        poem = self.write_poem("p.txt", POEM)
        port = refused_port()
        with Server(poem) as server:
            self.check_one_failed(
                [port, server.port], 1,
                "Task 1: failed to connect to 127.0.0.1:%d: Connection refused" % port,
                [0, len(POEM)])

    def test_3_unknown_host(self):
        poem = self.write_poem("p.txt", POEM)
        with Server(poem) as server:
            result = self.run_program(server.port, "no-such-host.invalid:10000")
            failed = [l for l in result.lines
                      if l.startswith("Task 2: failed to connect to no-such-host.invalid:10000: ")]
            self.assertTrue(failed, "An unknown host name is a failed task too: expected a line "
                            "starting 'Task 2: failed to connect to no-such-host.invalid:10000: ', "
                            "got:\n  %s\n(stderr: %s)" % ("\n  ".join(result.lines),
                                                          result.stderr.strip() or "nothing"))
            self.assertClosingLines(result, [len(POEM), 0],
                                    "After an unknown host the client must go on.")
            self.assertEqual(result.returncode, 1, "A task failed: exit status 1, please.")

    def test_4_connect_that_times_out(self):
        poem = self.write_poem("p.txt", POEM)
        with Server(poem) as server, Blackhole() as hole:
            self.check_one_failed(
                ["--connect-timeout", "0.3", server.port, hole.port], 2,
                "Task 2: failed to connect to 127.0.0.1:%d: Connection timed out" % hole.port,
                [len(POEM), 0])

    def test_5_every_server_fails(self):
        ports = [refused_port(), refused_port()]
        result = self.run_program(*ports)
        for task, port in enumerate(ports, start=1):
            line = "Task %d: failed to connect to 127.0.0.1:%d: Connection refused" % (task, port)
            self.assertIn(line, result.lines, "Expected the line\n  %s\ngot:\n  %s\n(stderr: %s)"
                          % (line, "\n  ".join(result.lines), result.stderr.strip() or "nothing"))
        self.assertClosingLines(result, [0, 0], "When every server fails the client should still "
                                "print the closing lines, and exit at once.")
        self.assertEqual(result.returncode, 1, "Every task failed: exit status 1, please.")

    def test_6_no_failure_exits_zero(self):
        poem = self.write_poem("p.txt", POEM)
        with Server(poem) as server:
            result = self.run_program(server.port, server.port)
        self.assertClosingLines(result, [len(POEM), len(POEM)], "With every server up, nothing "
                                "about the client should change.")
        self.assertEqual(result.returncode, 0,
                         "No task failed, so the exit status should be 0, not %d." % result.returncode)


if __name__ == "__main__":
    unittest.main()
