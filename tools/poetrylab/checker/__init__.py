"""The exercise checker: grades a program by what it does, not only by what
it prints, and returns an Outcome (outcome.py).

    outcome = check(exercise, program, build)    # exercise: a manifest.Exercise
    print(outcome.verdict("ko"))

The checks of an exercise (its .meta/checks.py) run side by side, each
starting its own servers on port 0, so a solved exercise takes about as
long as its slowest check; the verdict is the first unmet check in their
order, and once it is known the later checks are stopped. `cancel` (a
threading.Event) stops them all: ./lab watch sets it when a save comes.
"""
import concurrent.futures
import importlib.util
import os
import threading
import traceback

from poetrylab.checker import picture
from poetrylab.checker.case import CheckFailed, ExerciseTestCase
from poetrylab.checker.outcome import ABANDONED, ERROR, FAILED, PASSED, CheckResult, Outcome
from poetrylab.checker.runner import Abandoned
from poetrylab.messages import Message


class Cancel:
    """Set when any of its events is: the caller's (a new save), or the
    checker's own (the verdict is known)."""

    def __init__(self, *events):
        self.events = [e for e in events if e is not None]

    def is_set(self):
        return any(e.is_set() for e in self.events)


class Context:
    """What every check of a run needs: the program, the server, how long a
    run may take beyond what a correct one needs, and when to give up."""

    def __init__(self, program, server, margin, cancel):
        self.program, self.server, self.margin, self.cancel = program, server, margin, cancel


def checks_of(exercise):
    """[(name, title, contract items, the TestCase class)] of the exercise's
    checks, in the order they are written in its .meta/checks.py."""
    spec = importlib.util.spec_from_file_location("poetrylab_checks_" + exercise.name.replace("-", "_"),
                                                  exercise.checks)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    found = []
    for cls in vars(module).values():
        if isinstance(cls, type) and issubclass(cls, ExerciseTestCase) and cls is not ExerciseTestCase:
            for name, method in vars(cls).items():
                if hasattr(method, "contract"):
                    found.append((name, method.title, method.contract, cls))
    return found


def run_one(context, result, cls, numbers):
    case = cls(result.name)
    case.context, case.numbers = context, numbers
    try:
        case.setUp()
        try:
            getattr(case, result.name)()
        finally:
            case.tearDown()
        result.status = PASSED
    except Abandoned:
        result.status = ABANDONED
    except CheckFailed as failure:
        result.status, result.message, result.items, result.causes = (
            FAILED, failure.message, failure.items, failure.causes)
        result.run = failure.run
    except Exception:  # the checker's own fault: never the learner's
        result.status = ABANDONED if context.cancel.is_set() else ERROR
        result.error = traceback.format_exc()
    return result


def check(exercise, program, build, margin=None, cancel=None):
    """Runs every check of `exercise` against `program` (the servers come
    from the build folder `build`); returns the Outcome."""
    if not os.access(program, os.X_OK):
        return Outcome(exercise.name, [], missing=program)
    checks = checks_of(exercise)
    decided = threading.Event()
    context = Context(os.path.abspath(program), os.path.join(build, "slow-server", "slowpoetry"),
                      float(exercise.margin["check"] if margin is None else margin), Cancel(cancel, decided))
    numbers = {name: number for number, (name, _, _, _) in enumerate(checks, start=1)}
    results = [CheckResult(number, name, title, contract)
               for number, (name, title, contract, _) in enumerate(checks, start=1)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(checks)) as pool:
        futures = [pool.submit(run_one, context, result, cls, numbers)
                   for result, (_, _, _, cls) in zip(results, checks)]
        try:
            for future in futures:  # in order: the first unmet one decides
                if future.result().status != PASSED:
                    break
        finally:
            decided.set()  # what still runs is not needed (or we were stopped)
    outcome = Outcome(exercise.name, results, root=exercise.root)
    unmet = outcome.first_unmet
    run = getattr(unmet, "run", None) if unmet is not None and unmet.status == FAILED else None
    if run is not None and run.trace is not None:
        # LAB_PICTURES: where the tests put theirs; a learner's go to lab-out/.
        folder = os.environ.get("LAB_PICTURES") or os.path.join(exercise.root, "lab-out")
        title = Message("{name}, check {n}: {title}", "{name}, 검사 {n}: {title}", name=exercise.name,
                        n=unmet.number, title=unmet.title)
        unmet.picture = picture.write(run.trace, title, folder, "check-" + exercise.name)
    return outcome
