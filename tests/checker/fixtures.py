"""The checker's verdict on every fixture of one exercise, from its
manifest: each wrong solution must be rejected by the check the manifest
names (and say the cause it names), and each right one (the solution said
in other words) must be solved. One `python3 -m poetrylab.checker` per
fixture, exactly as a developer runs it by hand; reported in TAP, a line
per fixture.

    python3 tests/checker/fixtures.py NAME

The runs go three at a time: a check mostly waits (for slow servers and
timers), and 26 of them one after another kept a test slot for 100 s.
The test suite's margin (--margin test) is for a busy machine."""
import concurrent.futures
import os
import subprocess
import sys

from poetrylab import manifest

BUILD = os.environ.get("LAB_BUILD_DIR") or os.path.join(manifest.ROOT, "build")
AT_ONCE = 3


def fixtures(exercise):
    """(program, what --expect says) for each fixture, as meson names them
    (tests/meson.build): build/tests/wrong-timeout-late-timer and so on."""
    found = [(exercise.wrong_edit(mistake), "wrong:" + mistake) for mistake in exercise.wrong]
    found += [(exercise.right_edit(variant), "solved") for variant in exercise.right]
    return [(os.path.join(BUILD, "tests", manifest.fixture_name(exercise.name, edit)), expect)
            for edit, expect in found]


def judge(name, program, expect):
    # A link to another exercise's program (or to none) would run nothing
    # of this fixture's, and some mistakes look alike from outside.
    target = os.readlink(program) if os.path.islink(program) else None
    if target != "fixtures-" + name:
        return 1, "%s is not a link to fixtures-%s (it is %r)" % (program, name, target)
    result = subprocess.run([sys.executable, "-m", "poetrylab.checker", name, program, "--margin", "test",
                             "--expect", expect, "--build", BUILD],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return result.returncode, result.stdout


def main(argv):
    if len(argv) != 1:
        sys.exit(__doc__)
    exercise = manifest.find(argv[0])
    if exercise is None:
        sys.exit("fixtures: no exercise %r" % argv[0])
    runs = fixtures(exercise)
    failed = 0
    with concurrent.futures.ThreadPoolExecutor(AT_ONCE) as pool:
        verdicts = [pool.submit(judge, exercise.name, program, expect) for program, expect in runs]
        for number, ((program, expect), verdict) in enumerate(zip(runs, verdicts), start=1):
            status, said = verdict.result()
            fixture = os.path.basename(program)
            if status == 0:
                print("ok %d - %s (%s)" % (number, fixture, expect), flush=True)
            else:
                failed += 1
                print("not ok %d - %s (%s): exit status %d" % (number, fixture, expect, status))
                print("".join("# " + line + "\n" for line in said.splitlines()), end="", flush=True)
                # and whole on stderr, which `meson test --print-errorlogs` shows
                print("%s (%s):\n%s" % (fixture, expect, said), file=sys.stderr, flush=True)
    print("1..%d" % len(runs))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
