"""./lab's command lines, as a learner mistypes them: a typo gets a
suggestion first, then one line on where help is (never the whole help);
every error has our own words and exit status 1; and in Korean, whatever
the container's LC_ALL=C.UTF-8 says, with LANG=ko_KR.UTF-8."""
import os
import subprocess

from labtest import BUILD, SOURCE, LabTestCase, main
from poetrylab.text import columns

SOLVED = os.path.join(BUILD, "solutions", "timeout", "get-poetry")
KOREAN = {"LANG": "ko_KR.UTF-8", "LC_ALL": "C.UTF-8"}


class Commands(LabTestCase):

    def lab(self, *args, env=None, timeout=120):
        environ = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE",
                                                                    "LAB_LANG")}
        environ.update(env or {"LANG": "C.UTF-8"})
        environ["LAB_PROGRESS_FILE"] = os.path.join(self.tmp, "progress.json")
        return subprocess.run([os.path.join(SOURCE, "lab")] + list(args), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=environ, timeout=timeout)

    def assertError(self, result, *lines):
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertEqual(result.stdout, "")
        self.assertEqual(result.stderr.splitlines(), list(lines))
        for line in result.stderr.splitlines():
            self.assertLessEqual(columns(line), 80, line)

    def test_typos_get_a_suggestion_first(self):
        self.assertError(self.lab("chek"), "lab: error: unknown command 'chek' (did you mean 'check'?)",
                         "(./lab help lists the commands)")
        self.assertError(self.lab("check", "connect_failure"),
                         "lab: error: no exercise 'connect_failure' (did you mean 'connect-failure'?)",
                         "(./lab help lists the commands)")
        self.assertError(self.lab("hint", "timout"), "lab: error: no exercise 'timout' (did you mean 'timeout'?)",
                         "(./lab help lists the commands)")
        self.assertError(self.lab("demo", "--fats"), "lab: error: unknown option '--fats' (did you mean '--fast'?)",
                         "(./lab demo --help lists its options)")
        self.assertError(self.lab("frobnicate"), "lab: error: unknown command 'frobnicate'",
                         "(./lab help lists the commands)")

    def test_every_error_in_korean_with_exit_status_1(self):
        for args, first in ((["chek"], "lab: error: 알 수 없는 명령입니다: 'chek' (혹시 'check' 명령인가요?)"),
                            (["--lang", "jp", "hint", "timeout"],
                             "lab: error: --lang에는 en이나 ko를 씁니다(받은 값: 'jp')"),
                            (["hint"], "lab: error: 어느 연습 문제인가요? 이름을 적어 주세요: connect-failure, timeout"),
                            (["reset", "timeout", "extra"], "lab: error: 필요 없는 말이 있습니다: extra"),
                            (["check", "connect_failure"],
                             "lab: error: 없는 연습 문제: 'connect_failure' (혹시 'connect-failure'인가요?)"),
                            (["demo", "--fats"], "lab: error: 알 수 없는 옵션입니다: '--fats' (혹시 '--fast'인가요?)"),
                            (["setup", "--x"], "lab: error: setup에는 --test와 --bench만 씁니다(받은 값: '--x')")):
            with self.subTest(args=args):
                result = self.lab(*args, env=KOREAN)
                self.assertEqual(result.returncode, 1, result.stderr)
                lines = result.stderr.splitlines()
                self.assertEqual(lines[0], first)
                self.assertIn(lines[1], ("(명령 목록은 ./lab help에 있습니다)", "(옵션 목록은 ./lab demo --help에 있습니다)"))
                self.assertEqual(len(lines), 2, result.stderr)

    def test_what_the_learner_reads_is_korean(self):
        setup = self.lab("setup", env=KOREAN)
        self.assertEqual(setup.returncode, 0, setup.stderr)
        self.assertRegex(setup.stdout, r"^setup: 필요한 패키지 \d+개가 모두 설치되어 있습니다\n$")
        usage = self.lab("demo", "--help", env=KOREAN)
        self.assertTrue(usage.stdout.startswith("사용법: ./lab demo"), usage.stdout)
        for line in usage.stdout.splitlines():
            self.assertLessEqual(columns(line), 80, line)
        checked = self.lab("check", "timeout", "--program", SOLVED, env=KOREAN)
        self.assertEqual(checked.returncode, 0, checked.stdout + checked.stderr)
        self.assertTrue(checked.stdout.startswith("timeout: 해결했습니다!"), checked.stdout)
        self.assertIn("진행: 연습 문제", checked.stdout)


if __name__ == "__main__":
    main()
