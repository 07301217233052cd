"""The learner's loop: ./lab watch on a real terminal (tmux, 80 columns)
and through a pipe, ./lab check's progress, ./lab reset, ./lab hint, the
learner's language, and what the learner sees when their file does not
compile or only warns."""
import json
import os
import re
import select
import shlex
import subprocess
import sys
import time
import uuid

from labtest import BUILD, SOURCE, LabTestCase, main, processes_marked
from poetrylab import manifest
from poetrylab.learn import build, hints
from poetrylab.text import columns, fold
from poetrylab.messages import josa
from terminal import Terminal

HERE = os.path.dirname(os.path.abspath(__file__))
LEARN = ["-m", "poetrylab.learn"]
SOLVED = os.path.join(BUILD, "solutions", "timeout", "get-poetry")
STUB = os.path.join(BUILD, "exercises", "timeout", "get-poetry")
HANGS = os.path.join(HERE, "..", "checker", "misbehaving", "hang.sh")
PYTHON = sys.executable
# The stub fails check 1 whatever the margin: the margin only says how long
# its hang is waited for, so the tests that only want its verdict wait 1 s.
STUB_MARGIN = "1"


class Learn(LabTestCase):

    def setUp(self):
        super().setUp()
        self.mark = uuid.uuid4().hex
        self.watched = os.path.join(self.tmp, "exercises")
        os.makedirs(os.path.join(self.watched, "timeout"))
        self.env = {"LAB_PROGRESS_FILE": os.path.join(self.tmp, "progress.json"),
                    "LAB_CHECK_MARGIN": "10", "LAB_TEST_MARK": self.mark, "LANG": "C.UTF-8",
                    "LAB_LANG": "", "LAB_BUILD_DIR": BUILD, "PYTHONDONTWRITEBYTECODE": "1"}

    def watch_argv(self, program, *extra):
        return [PYTHON] + LEARN + ["watch", "timeout", "--program", program, "--dir", self.watched] + list(extra)

    def save(self):
        with open(os.path.join(self.watched, "timeout", "get-poetry.cpp"), "w") as handle:
            handle.write("// an edit %s\n" % time.monotonic())

    def assertNothingLeft(self):
        deadline = time.monotonic() + 10
        while processes_marked(self.mark) and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertEqual(processes_marked(self.mark), [])

    def assertFits(self, rows, width=80):
        for row in rows:
            self.assertLessEqual(columns(row), width, "wider than %d columns: %r" % (width, row))

    # --- ./lab watch

    def test_watch_on_a_terminal(self):
        with Terminal(self.watch_argv(SOLVED), width=80, height=40, env=self.env) as term:
            term.wait_for("solved! All 10 checks passed")
            screen = term.screen()
            self.assertTrue(screen[0].startswith("./lab watch · timeout · checked "), screen[0])
            self.assertIn("after the start", screen[0])
            self.assertEqual(screen[1], "progress: 1 of 2 exercises solved (timeout)")
            self.assertEqual(sum(row.startswith("progress:") for row in screen), 1, screen)
            self.assertIn("keys: h next hint · r check again · n next exercise · q quit", screen)
            self.assertFits(term.rows(joined=True))
            # The screen is cleared for each verdict: the "checking" title is gone.
            self.assertFalse([row for row in screen if "checking (" in row], screen)

            self.save()
            term.wait_for("after the save")
            self.assertEqual(sum("solved! All 10 checks passed" in row for row in term.screen()), 1)

            # One hint at a time, in place of the last: the verdict and the
            # keys stay on the screen whatever number of hints was asked for.
            term.keys("h")
            term.wait_for("hint 1 of 4 (h: next hint)")
            term.keys("h")
            term.wait_for("hint 2 of 4 (h: next hint)")
            term.keys("hh")
            # After the last hint, it says that h starts over, and it does.
            term.wait_for("hint 4 of 4, the last (h: back to hint 1)")
            screen = term.screen()
            self.assertIn("keys: h next hint · r check again · n next exercise · q quit", screen)
            self.assertTrue(any("solved! All 10 checks passed" in row for row in screen), screen)
            self.assertEqual(sum("hint " in row and " of 4" in row for row in screen), 1, screen)
            term.keys("h")
            term.wait_for("hint 1 of 4 (h: next hint)")
            term.keys("q")
            self.assertEqual(term.exit_status(), 0)
        self.assertNothingLeft()

    def test_watch_speaks_korean_within_80_columns(self):
        env = dict(self.env, LANG="ko_KR.UTF-8")
        with Terminal(self.watch_argv(SOLVED), width=80, height=40, env=env) as term:
            term.wait_for("해결했습니다! 검사 10개를 모두 통과했습니다")
            screen = term.screen()
            self.assertIn("시작 ", screen[0])
            self.assertEqual(screen[1], "진행: 연습 문제 2개 중 1개 해결 (timeout)")
            term.keys("h")
            term.wait_for("힌트 1/4 (h: 다음 힌트)")
            self.assertFits(term.rows(joined=True))
            term.keys("q")
            self.assertEqual(term.exit_status(), 0)

    def test_quitting_during_a_check_leaves_nothing_running(self):
        # The stub hangs in the first check, and so does a program that
        # ignores SIGTERM and starts a child of its own: quit while they,
        # and their servers, are running.
        for program in (STUB, HANGS):
            with self.subTest(program=os.path.basename(program)), \
                    Terminal(self.watch_argv(program), env=dict(self.env, LAB_CHECK_MARGIN="3")) as term:
                term.wait_for("checking (")
                deadline = time.monotonic() + 30
                while not processes_marked(self.mark, "slowpoetry") and time.monotonic() < deadline:
                    time.sleep(0.1)
                self.assertTrue(processes_marked(self.mark, "slowpoetry"), "the check never started")
                time.sleep(1.0)  # into the check: its servers and the program are running
                term.keys("q")
                self.assertEqual(term.exit_status(), 0)
            self.assertNothingLeft()

    def test_a_verdict_not_yet_on_a_terminal(self):
        # The verdict learners see most, in both languages, at 80 columns;
        # then `r` checks again and `n` moves to the other exercise.
        # (In watch the way to a hint is its key: the legend under the verdict.)
        for lang, stuck in (("en", "keys: h next hint"), ("ko", "키: h 다음 힌트")):
            env = dict(self.env, LAB_CHECK_MARGIN=STUB_MARGIN, LANG="ko_KR.UTF-8" if lang == "ko" else "C.UTF-8")
            with self.subTest(lang=lang), Terminal(self.watch_argv(STUB), width=80, height=40, env=env) as term:
                term.wait_for(stuck)
                self.assertFits(term.rows(joined=True))
                screen = term.screen()
                heading = ["timeout: not yet. Check 1 of 10: a slow poem times out, the others go on"] \
                    if lang == "en" else ["timeout: 아직 해결하지 못했습니다.",
                                          "검사 1/10: 느린 시는 시간 초과되고, 나머지는 계속된다"]
                at = screen.index(heading[0])
                self.assertEqual(screen[at:at + len(heading)], heading)
                if lang == "en":
                    term.keys("r")  # the screen is cleared for the new verdict
                    term.wait_for("after the key press")
                    term.wait_for(stuck)
                    term.keys("n")
                    term.wait_for("./lab watch · connect-failure · checking (")
                term.keys("q")
                self.assertEqual(term.exit_status(), 0)
            self.assertNothingLeft()

    def test_watch_keeps_watching_when_its_input_ends(self):
        # Started with nothing to read keys from (stdin at its end at once):
        # it still checks at every save, and a kill ends it cleanly.
        proc = subprocess.Popen(self.watch_argv(STUB), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT,
                                env=dict(os.environ, **dict(self.env, LAB_CHECK_MARGIN=STUB_MARGIN)))
        out = b""
        for expected in (b"after the start", b"after the save"):
            deadline = time.monotonic() + 60
            while expected not in out and proc.poll() is None and time.monotonic() < deadline:
                if select.select([proc.stdout], [], [], 0.5)[0]:
                    out += os.read(proc.stdout.fileno(), 65536)
            self.assertIn(expected, out, out.decode(errors="replace")[-2000:])
            if expected == b"after the start":
                self.save()
        proc.terminate()
        out += proc.stdout.read()
        proc.stdout.close()
        self.assertEqual(proc.wait(timeout=30), 0, out.decode(errors="replace")[-2000:])
        self.assertNotIn(b"Traceback", out)
        self.assertNothingLeft()

    def test_watch_through_a_pipe(self):
        proc = subprocess.Popen(self.watch_argv(STUB), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT,
                                env=dict(os.environ, **dict(self.env, LAB_CHECK_MARGIN=STUB_MARGIN)))
        out = b""
        deadline = time.monotonic() + 60
        while b"keys: h next hint" not in out and time.monotonic() < deadline:
            if select.select([proc.stdout], [], [], 0.5)[0]:
                out += os.read(proc.stdout.fileno(), 65536)
        self.assertIn(b"keys: h next hint", out, "no verdict within a minute")
        proc.stdin.write(b"h\nq\n")
        proc.stdin.flush()
        out += proc.stdout.read()
        proc.stdin.close()
        proc.stdout.close()
        self.assertEqual(proc.wait(timeout=30), 0)
        text = out.decode()
        self.assertNotIn("\033", text, "no escape sequences through a pipe")
        self.assertIn("======== ./lab watch · timeout · checking (", text)
        self.assertIn("timeout: not yet. Check 1 of 10: a slow poem times out, the others go on", text)
        self.assertIn("No timer was ever armed", text)
        self.assertIn("hint 1 of 4 (h: next hint)", text)
        self.assertNothingLeft()

    # --- ./lab check's progress

    def test_check_keeps_progress(self):
        for program, status, line in ((SOLVED, 0, "progress: 1 of 2 exercises solved (timeout)"),
                                      (STUB, 1, "progress: 0 of 2 exercises solved")):
            env = dict(os.environ, **self.env)
            if program == STUB:
                env["LAB_CHECK_MARGIN"] = STUB_MARGIN
            result = subprocess.run([PYTHON] + LEARN + ["check", "timeout", "--program", program], env=env,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                    timeout=120)
            self.assertEqual(result.returncode, status, result.stdout)
            self.assertEqual(result.stdout.rstrip("\n").splitlines()[-1], line)
            with open(self.env["LAB_PROGRESS_FILE"]) as handle:
                # The versions of the file found solved: this one, or none.
                self.assertEqual(bool(json.load(handle)["timeout"]["solved_sha256"]), status == 0)

    def test_check_into_a_pipe_that_closes(self):
        # `./lab check | head -1`: head leaves after one line; the check
        # ends quietly, as a shell tool would, and leaves nothing running.
        command = "%s -m poetrylab.learn check timeout --program %s | head -1" % (
            shlex.quote(PYTHON), shlex.quote(SOLVED))
        result = subprocess.run(["bash", "-o", "pipefail", "-c", command], env=dict(os.environ, **self.env),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=120)
        self.assertEqual(result.stdout, "timeout: solved! All 10 checks passed:\n")
        self.assertEqual(result.stderr, "")
        # 141 (SIGPIPE's status) when it wrote after head had gone; 0 when
        # all it wrote fitted in the pipe before: never a traceback, or 1.
        self.assertIn(result.returncode, (0, 141))
        self.assertNothingLeft()

    # --- ./lab reset

    def clone(self):
        clone = os.path.join(self.tmp, "clone")
        subprocess.run(["git", "clone", "-q", SOURCE, clone], check=True)
        return clone

    def reset(self, clone, *args, **kwargs):
        return subprocess.run([PYTHON] + LEARN + ["reset", "timeout"] + list(args), stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              env=dict(os.environ, LAB_ROOT=clone, LANG="C.UTF-8", LAB_LANG=""))

    def test_reset_puts_the_stub_back_and_keeps_the_learners_file(self):
        clone = self.clone()
        path = os.path.join(clone, "exercises", "timeout", "get-poetry.cpp")
        with open(path) as handle:
            stub = handle.read()
        self.assertIn("TODO(exercise 2)", stub)
        # The learner committed their work, keeping the TODO comment as
        # learners do: the stub is what the lab shipped, on origin/main.
        mine = stub + "// my solution\n"
        with open(path, "w") as handle:
            handle.write(mine)
        git = ["git", "-C", clone, "-c", "user.name=learner", "-c", "user.email=l@example.org"]
        subprocess.run(git + ["commit", "-qam", "my work"], check=True)

        refused = self.reset(clone)
        self.assertEqual(refused.returncode, 1, refused.stdout)
        self.assertIn("add --yes", refused.stdout)
        with open(path) as handle:
            self.assertEqual(handle.read(), mine)

        done = self.reset(clone, "--yes")
        self.assertEqual(done.returncode, 0, done.stdout)
        with open(path) as handle:
            self.assertEqual(handle.read(), stub)
        backup = re.search(r"Your version:\s+(\S+)", done.stdout).group(1)
        with open(os.path.join(clone, backup)) as handle:
            self.assertEqual(handle.read(), mine)

        again = self.reset(clone, "--yes")
        self.assertIn("is already the stub", again.stdout)

    def test_reset_asks_on_a_terminal(self):
        clone = self.clone()
        path = os.path.join(clone, "exercises", "timeout", "get-poetry.cpp")
        with open(path) as handle:
            stub = handle.read()
        with open(path, "a") as handle:
            handle.write("// my work\n")
        env = {"LAB_ROOT": clone, "LANG": "C.UTF-8", "LAB_LANG": ""}
        for answer, status, said in (("n", 1, "Nothing changed."), ("y", 0, "the stub is back")):
            with self.subTest(answer=answer), \
                    Terminal([PYTHON] + LEARN + ["reset", "timeout"], env=env) as term:
                term.wait_for("[y/N]")
                term.keys(answer, "Enter")
                term.wait_for(said)
                self.assertEqual(term.exit_status(), status)
            with open(path) as handle:
                self.assertEqual(handle.read() == stub, answer == "y")
        # A learner who deleted the file gets the stub back, and no backup
        # of nothing.
        os.remove(path)
        done = self.reset(clone, "--yes")
        self.assertEqual(done.returncode, 0, done.stdout)
        with open(path) as handle:
            self.assertEqual(handle.read(), stub)

    # --- ./lab hint and the language

    def run_lab(self, *args, lang_env="C.UTF-8"):
        return subprocess.run([os.path.join(SOURCE, "lab")] + list(args), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True,
                              env=dict(os.environ, LANG=lang_env, LAB_LANG="", LC_ALL=""))

    def test_hints_and_help_in_the_learners_language(self):
        english = self.run_lab("hint", "timeout", "2")
        self.assertTrue(english.stdout.startswith("timeout, hint 2 of 4\n"), english.stdout)
        self.assertIn("(more: ./lab hint timeout 3)", english.stdout)
        korean = self.run_lab("hint", "timeout", "2", lang_env="ko_KR.UTF-8")
        self.assertTrue(korean.stdout.startswith("timeout, 힌트 2/4\n"), korean.stdout)
        self.assertIn("(다음 힌트: ./lab hint timeout 3)", korean.stdout)
        self.assertEqual(self.run_lab("--lang", "ko", "hint", "timeout", "2").stdout, korean.stdout)
        last = self.run_lab("hint", "timeout", "4", "--lang", "en")
        self.assertIn("that was the last hint", last.stdout)
        bad = self.run_lab("hint", "timeout", "9")
        self.assertEqual(bad.returncode, 1)
        self.assertIn("the hints for timeout go from 1 to 4", bad.stderr)

        help_ko = self.run_lab("help", lang_env="ko_KR.UTF-8").stdout
        self.assertIn("README.ko.md", help_ko)
        self.assertIn("watch [NAME]", help_ko)
        help_en = self.run_lab("help").stdout
        self.assertIn("README.md", help_en)
        self.assertNotIn("README.ko.md", help_en)
        for text in (help_ko, help_en):
            self.assertFits(text.splitlines())

    # --- what the learner sees from the compiler

    def compile_copy(self, edit):
        """Compiles an edited copy of the timeout stub with exactly the
        command the build uses for the learner's file."""
        with open(os.path.join(BUILD, "compile_commands.json")) as handle:
            entry = next(e for e in json.load(handle)
                         if e["file"].endswith("exercises/timeout/get-poetry.cpp"))
        with open(os.path.join(SOURCE, "exercises", "timeout", "get-poetry.cpp")) as handle:
            text = handle.read()
        copy = os.path.join(self.tmp, "get-poetry.cpp")
        with open(copy, "w") as handle:
            handle.write(edit(text))
        argv = shlex.split(entry["command"])
        argv[argv.index(entry["file"])] = copy
        argv[argv.index("-o") + 1] = os.path.join(self.tmp, "copy.o")
        result = subprocess.run(argv, cwd=entry["directory"], stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
        return argv, result, build.ANSI.sub("", result.stdout)

    def test_the_first_compiler_error_with_its_line(self):
        broken = "    int broken = ;\n"
        _, result, text = self.compile_copy(lambda t: t.replace("int main(", broken + "int main(", 1))
        self.assertNotEqual(result.returncode, 0)
        with open(os.path.join(self.tmp, "get-poetry.cpp")) as handle:
            line = [n for n, l in enumerate(handle, 1) if l == broken][0]
        message = build.compile_error(manifest.find("timeout", SOURCE), text, "en")
        self.assertIn("exercises/timeout/get-poetry.cpp does not compile", message)
        self.assertRegex(message, r"get-poetry\.cpp:%d:\d+: error: " % line)
        self.assertIn("int broken = ;", message)

    def test_warnings_in_the_learners_file_are_not_fatal(self):
        argv, result, text = self.compile_copy(
            lambda t: t.replace("    lab::Options options = lab::parse_args(argc, argv);\n",
                                "    int unused_for_now = 0;\n    lab::Options options = lab::parse_args(argc, argv);\n", 1))
        self.assertNotIn("-Werror", argv)
        self.assertEqual(result.returncode, 0, text)
        warnings = build.compiler_messages(text, "warning")
        self.assertTrue(warnings and "unused_for_now" in " ".join(warnings[0]), text)


class WhatTheLearnerReads(LabTestCase):

    def test_korean_particles_follow_the_word_before(self):
        for written, read in (("Task 3은(는) 기다렸습니다", "Task 3은 기다렸습니다"),
                              ("Tasks 2, 4이(가) 기다리는 중", "Tasks 2, 4가 기다리는 중"),
                              ("Task 1과(와) Task 2", "Task 1과 Task 2"),
                              ("timeout을(를) 되돌리려면", "timeout을 되돌리려면"),
                              ("connect-failure을(를)", "connect-failure를"),
                              ("exercises/timeout/을(를)", "exercises/timeout/을"),
                              ("`get-poetry 5 9`이(가) 멈춤", "`get-poetry 5 9`가 멈춤"),
                              ("--timeout abc은(는)", "--timeout abc는"),
                              ("타이머은(는) 콜백이(가)", "타이머는 콜백이"),
                              ("<<은(는)", "<<은(는)")):  # cannot tell: both stay
            self.assertEqual(josa(written), read)

    def test_a_code_span_stays_on_one_line_when_it_fits(self):
        span = '`lab::CONNECTION_LOST.because("timed out after S seconds")`'
        folded = fold("타이머가 울리면 소켓을 reactor에서 빼고 " + span + "로 connectionLost를 부르세요.")
        self.assertIn(span, folded.splitlines()[1])
        # Every hint, in both languages: no span that fits is cut in two.
        for exercise in manifest.load(SOURCE):
            for hint in hints.hints_of(exercise):
                for text in hint.values():
                    lines = fold(text).splitlines()
                    for span in re.findall(r"`[^`]*`", text):
                        if " " in span and len(span) <= 78:
                            self.assertTrue(any(span in line for line in lines), (span, lines))


if __name__ == "__main__":
    main()
