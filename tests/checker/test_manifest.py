"""Everything about an exercise is found from its manifest
(exercises/NAME/.meta/config.toml): each manifest names files that exist
and checks that exist; and adding an exercise is a folder with its
manifest: a toy one, added to a copy of the lab, is built, listed, hinted
and checked by ./lab with nothing else changed."""
import os
import shutil
import subprocess

from labtest import SOURCE, LabTestCase, main
from poetrylab import manifest
from poetrylab.checker import checks_of

TOY_STUB = """\
// The toy exercise: say hello.
#include <cstdio>

int main() {
    // TODO(exercise 3): say hello
    return 0;
}
"""
TOY_SOLUTION = """\
#include <cstdio>

int main() {
    std::printf("hello, toy\\n");
    return 0;
}
"""
TOY_CHECKS = '''\
"""The toy exercise's one check."""
from poetrylab.checker.case import ExerciseTestCase, check, tr


class Toy(ExerciseTestCase):

    @check("it says hello", "인사한다", "Y1")
    def says_hello(self):
        run = self.run_program(expect=0.2)
        self.assertLine(run, "hello, toy", tr("Say hello.", "인사하세요."))
'''
TOY_MANIFEST = """\
name = "toy"
order = 3
file = "get-poetry.cpp"
solution = "solutions/toy/get-poetry.cpp"
contract = { en = "README.md", ko = "README.ko.md" }
hints = "HINTS.md"
checks = ".meta/checks.py"
features = "0"
edition = "toy edition"

[margin]
check = 3
test = 10

[stub]
rejected_by = "says_hello"

[wrong]

[right]
"""
TOY_HINTS = """\
# Hints: toy

## Hint 1
EN: Print it.
KO: 출력하세요.
"""


class Manifests(LabTestCase):

    def test_every_manifest_names_what_exists(self):
        exercises = manifest.load(SOURCE)
        self.assertEqual([e.name for e in exercises], ["connect-failure", "timeout"])
        for e in exercises:
            with self.subTest(exercise=e.name):
                for path in [e.stub, e.solution, e.hints, e.checks] + list(e.contract.values()):
                    self.assertTrue(os.path.isfile(path), path)
                names = [name for name, _, _, _ in checks_of(e)]
                self.assertIn(e.stub_rejected_by, names)
                for mistake in e.wrong:
                    self.assertTrue(os.path.isfile(e.wrong_edit(mistake)), mistake)
                    for check in e.rejects(mistake):
                        self.assertIn(check, names, mistake)
                for variant in e.right:
                    self.assertTrue(os.path.isfile(e.right_edit(variant)), variant)
                # Every .edit file there is in the manifest: none is forgotten.
                for kind, listed in (("wrong", e.wrong), ("right", e.right)):
                    folder = e.here(os.path.join(".meta", kind))
                    edits = sorted(f[:-5] for f in os.listdir(folder)) if os.path.isdir(folder) else []
                    self.assertEqual(edits, sorted(listed), kind)

    def test_the_fixtures_of_an_exercise_are_one_program(self):
        # Each in its namespace, its main renamed, run by its link's name;
        # the includes shared at the top, and nothing else that could leak
        # from one fixture into the next.
        one = "#include <vector>\nnamespace {\nint n = 1;\n}\nint main(int, char**) { return n; }\n"
        two = "#include <poll.h>\n#include <vector>\nint main(int, char**) { return 2; }\n"
        text = manifest.multi_call([("wrong-toy-one", one), ("right-toy-two", two)])
        self.assertEqual(text.count("#include <vector>"), 1)
        self.assertLess(text.index("#include <poll.h>"), text.index("namespace fixture_0"))
        self.assertIn('{"wrong-toy-one", fixture_0::fixture_main}', text)
        self.assertIn('{"right-toy-two", fixture_1::fixture_main}', text)
        self.assertEqual(text.count("int main("), 1)  # the dispatcher's only
        for bad, why in (("#define N 1\n" + two, "only #include"), (two + two, "exactly one")):
            with self.subTest(why=why), self.assertRaisesRegex(manifest.ManifestError, why):
                manifest.multi_call([("wrong-toy-bad", bad)])

    def test_a_toy_exercise_is_a_folder_and_its_manifest(self):
        copy = os.path.join(self.tmp, "lab")
        shutil.copytree(SOURCE, copy, ignore=shutil.ignore_patterns(".git", "build", "build-*", "lab-out",
                                                                    ".lab-*", "__pycache__"))
        home = os.path.join(copy, "exercises", "toy")
        os.makedirs(os.path.join(home, ".meta"))
        os.makedirs(os.path.join(copy, "solutions", "toy"))
        files = {
            "exercises/toy/get-poetry.cpp": TOY_STUB, "exercises/toy/.meta/checks.py": TOY_CHECKS,
            "exercises/toy/.meta/config.toml": TOY_MANIFEST, "exercises/toy/HINTS.md": TOY_HINTS,
            "exercises/toy/README.md": "# Toy\n\n- **Y1.** Say hello.\n",
            "exercises/toy/README.ko.md": "# 장난감\n\n- **Y1.** 인사하세요.\n",
            "solutions/toy/get-poetry.cpp": TOY_SOLUTION,
        }
        # The folder's meson.build is the one every exercise has.
        shutil.copy(os.path.join(SOURCE, "exercises", "timeout", "meson.build"), home)
        shutil.copy(os.path.join(SOURCE, "solutions", "timeout", "meson.build"),
                    os.path.join(copy, "solutions", "toy"))
        for path, text in files.items():
            with open(os.path.join(copy, path), "w") as handle:
                handle.write(text)
        # A quick build for the copy (./lab would make a slower, optimised one).
        subprocess.run(["meson", "setup", "build", "-Dbuildtype=plain"], cwd=copy, check=True,
                       stdout=subprocess.DEVNULL)
        lab = os.path.join(copy, "lab")
        env = dict(os.environ, LANG="C.UTF-8", LAB_LANG="", LC_ALL="", LAB_PROGRESS_FILE=os.path.join(
            self.tmp, "progress.json"))

        def run(*args):
            return subprocess.run([lab] + list(args), cwd=copy, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, timeout=300)

        listed = run("check", "no-such")
        self.assertEqual(listed.returncode, 1)
        self.assertIn("connect-failure, timeout, toy", " ".join(listed.stderr.split()))
        hint = run("hint", "toy", "1")
        self.assertEqual(hint.stdout.splitlines()[:2], ["toy, hint 1 of 1", "Print it."])
        stub = run("check", "toy")
        self.assertEqual(stub.returncode, 1, stub.stdout + stub.stderr)
        self.assertIn("toy: not yet. Check 1 of 1: it says hello", stub.stdout)
        self.assertIn("(what is expected: Y1 in exercises/toy/README.md)", stub.stdout)
        # The solution put in the learner's place: solved.
        shutil.copy(os.path.join(copy, "solutions", "toy", "get-poetry.cpp"), os.path.join(home, "get-poetry.cpp"))
        solved = run("check", "toy")
        self.assertEqual(solved.returncode, 0, solved.stdout + solved.stderr)
        self.assertIn("toy: solved! Its one check passed", solved.stdout)
        # And meson builds the solution too, from the manifest alone.
        subprocess.run(["ninja", "-C", "build", "solutions/toy/get-poetry"], cwd=copy, check=True,
                       stdout=subprocess.DEVNULL)
        self.assertTrue(os.access(os.path.join(copy, "build", "solutions", "toy", "get-poetry"), os.X_OK))


if __name__ == "__main__":
    main()
