"""./lab check: build the learner's file, run the exercise's checks in this
process (poetrylab.checker: the only other processes are the compiler,
the servers and the learner's program), note the verdict."""
import os

from poetrylab import checker
from poetrylab.checker.outcome import ABANDONED
from poetrylab.learn import progress
from poetrylab.learn.build import compile_exercise
from poetrylab.messages import t


def margin_of(exercise):
    """How long a run may go on beyond what a correct one needs: the
    manifest's, unless LAB_CHECK_MARGIN says (the tests do)."""
    return float(os.environ.get("LAB_CHECK_MARGIN") or exercise.margin["check"])


def build_and_check(exercise, build, lang, program=None, cancel=None):
    """(the Outcome, or None when the file does not compile, what the build
    said). With `program` (the tests), that binary is checked, nothing built."""
    said = ""
    if program is None:
        ready, said = compile_exercise(exercise, build, lang)
        if not ready:
            progress.record(exercise.name, False, exercise.stub)
            return None, said
        program = os.path.join(build, os.path.relpath(os.path.dirname(exercise.stub), exercise.root), "get-poetry")
    outcome = checker.check(exercise, program, build, margin=margin_of(exercise), cancel=cancel)
    unmet = outcome.first_unmet
    verdict = not outcome.error and not (unmet is not None and unmet.status == ABANDONED)
    # A binary given on the command line (the tests) is not the learner's
    # file: it counts for progress only in a progress file of its own.
    if verdict and (program is None or os.environ.get("LAB_PROGRESS_FILE")):
        progress.record(exercise.name, outcome.solved, exercise.stub)
    return outcome, said


def progress_line(exercises, lang):
    done = progress.solved(exercises)
    line = t(lang, "progress", n=len(done), total=len(exercises))
    return line + (" (%s)" % ", ".join(done) if done else "")


def check_all(chosen, exercises, build, lang, program=None):
    """./lab check [NAME ...]: each verdict, then the progress. Exit
    status: 0 every one solved, 1 not yet, 2 the checker failed."""
    status = 0
    for i, exercise in enumerate(chosen):
        if i:
            print()
        outcome, said = build_and_check(exercise, build, lang, program=program)
        if said:
            print(said)
        if outcome is None:
            status = max(status, 1)
            continue
        print(outcome.verdict(lang, debug=bool(os.environ.get("LAB_CHECK_DEBUG"))))
        if not outcome.solved and not outcome.error and not outcome.missing:
            print(t(lang, "stuck", name=exercise.name))
        status = max(status, 2 if outcome.error else 0 if outcome.solved else 1)
    print()
    print(progress_line(exercises, lang))
    return status
