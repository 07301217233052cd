"""The checker itself, against programs no learner should write but some
will: one that crashes, one that hangs and shrugs off SIGTERM (and leaves a
child of its own), one that floods stdout. Each must get a verdict in
bounded time, worded for the learner, with no Python traceback, and leave
no process behind: not the program, not its children, not the servers."""
import os
import subprocess
import sys
import uuid

from labtest import LabTestCase, main, processes_marked

HERE = os.path.dirname(os.path.abspath(__file__))
MISBEHAVING = os.path.join(HERE, "misbehaving")


class MistakesCannotBreakTheChecker(LabTestCase):

    def verdict(self, script, lang="en"):
        mark = uuid.uuid4().hex
        env = dict(os.environ, LAB_TEST_MARK=mark)
        # A hang guard, not a speed claim: a checker that is stuck fails here.
        result = subprocess.run([sys.executable, "-m", "poetrylab.checker", "timeout",
                                 os.path.join(MISBEHAVING, script), "--margin", "3", "--lang", lang],
                                env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, timeout=60)
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertNotIn("Traceback", result.stdout + result.stderr)
        self.assertEqual(result.stderr, "")
        self.assertEqual(processes_marked(mark), [], "left behind after: " + result.stdout)
        self.assertTrue(result.stdout.startswith("timeout: "), result.stdout)
        self.lines = result.stdout.splitlines()
        return " ".join(result.stdout.split())  # as one line: the folding does not matter here

    def test_a_crash_is_named_by_its_signal(self):
        out = self.verdict("crash.sh")
        self.assertIn("crashed: SIGSEGV ended it", out)
        self.assertIn("Task 1: got 10 bytes of poetry from 127.0.0.1:1", out)

    def test_a_hang_that_ignores_sigterm_is_killed_with_its_child(self):
        out = self.verdict("hang.sh")
        self.assertIn("was still running after", out)
        self.assertIn("did not stop on SIGTERM either, so it was killed", out)

    def test_a_flood_is_stopped(self):
        out = self.verdict("flood.sh")
        self.assertIn("printed more than 1 MiB, so it was stopped", out)

    def test_the_verdicts_speak_korean(self):
        out = self.verdict("crash.sh", lang="ko")
        self.assertIn("아직 해결하지 못했습니다", out)
        self.assertIn("비정상 종료했습니다: SIGSEGV", out)
        self.assertIn("(요구 사항: exercises/timeout/README.ko.md의 T3 T5 T6)", out)
        # The Korean heading is too wide for one 80-column line: the verdict,
        # then the check, each whole on a line of its own.
        self.assertEqual(self.lines[:2], ["timeout: 아직 해결하지 못했습니다.",
                                          "검사 1/10: 느린 시는 시간 초과되고, 나머지는 계속된다"])


if __name__ == "__main__":
    main()
