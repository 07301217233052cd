"""Checks one exercise: runs its checks against a program and says, in the
learner's words (English, or Korean with --lang ko), whether the exercise
is solved.

    checker.py NAME PROGRAM                      # ./lab check: solved / not yet
    checker.py NAME PROGRAM --expect solved      # ./lab test, on solutions/
    checker.py NAME PROGRAM --expect rejected --by CHECK_OR_EDIT_FILE
                                                 # ./lab test, on stubs and wrong fixtures

The checks run side by side (each starts its own servers on port 0), so a
solved exercise takes about as long as its slowest check; the verdict is
the first unmet expectation in the checks' order, and once it is known the
later checks are stopped. Exit status: 0 solved (or as expected), 1 not yet
(or not as expected), 2 the checker itself could not check.
"""
import argparse
import concurrent.futures
import importlib
import json
import os
import signal
import sys
import traceback
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))

from lablib import columns, fold, pad, pick_lang, reader_may_leave, say  # noqa: E402


def expected_check(by):
    """The check named by --by, directly or through an .edit file."""
    if not by or not by.endswith(".edit"):
        return by
    with open(by) as handle:
        for line in handle:
            if line.startswith("# rejected by:"):
                return line.split(":", 1)[1].strip()
    raise SystemExit("%s has no '# rejected by:' line" % by)


class Outcome:
    def __init__(self, number, name, method):
        self.number, self.name = number, name
        self.title = getattr(method, "title", {"en": name, "ko": name})
        self.contract = getattr(method, "contract", ())
        self.status = None  # "passed", "failed", "abandoned", "error"
        self.message = ""


def run_check(support, outcome, case_class):
    result = unittest.TestResult()
    case_class(outcome.name).run(result)
    if result.failures:
        outcome.status, outcome.message = "failed", failure_message(result.failures[0][1])
    elif result.errors:
        trace = result.errors[0][1]
        if "exercise_support.Abandoned" in trace or support.ABANDON.is_set():
            outcome.status = "abandoned"
        else:
            outcome.status, outcome.message = "error", trace
    else:
        outcome.status = "passed"
    return outcome


def failure_message(trace):
    return trace.rstrip().split("AssertionError: ", 1)[-1]


def items_of(outcome):
    """The contract items a failure names itself ("{items:C5} ..."), else
    the check's own; the message without that mark."""
    text = outcome.message
    if text.startswith("{items:"):
        mark, text = text[len("{items:"):].split("}", 1)
        return tuple(mark.split()), text
    return outcome.contract, text


def run_all(support, checks):
    """Runs every check side by side; returns the outcomes in order. Once
    the verdict is known, the checks still running are abandoned."""
    outcomes = [Outcome(i, name, getattr(cls, name)) for i, (name, cls) in enumerate(checks, start=1)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(checks)) as pool:
        futures = [pool.submit(run_check, support, outcome, cls)
                   for outcome, (_, cls) in zip(outcomes, checks)]
        try:
            for future in futures:  # in order: the first unmet one decides
                if future.result().status != "passed":
                    break
        finally:
            support.ABANDON.set()  # what still runs is not needed (or we were stopped)
    return outcomes


def print_verdict(name, outcomes, lang):
    total = len(outcomes)
    failed = next((o for o in outcomes if o.status in ("failed", "error")), None)
    readme = "exercises/%s/README%s.md" % (name, ".ko" if lang == "ko" else "")
    if failed is None:
        print(say(lang, "{name}: solved! All {total} checks passed:",
                  "{name}: 해결했습니다! 검사 {total}개를 모두 통과했습니다:", name=name, total=total))
        for o in outcomes:
            print("  %2d. %s %s" % (o.number, pad(o.title[lang], 51), " ".join(o.contract)))
        return
    if failed.status == "error":
        print(say(lang, "{name}: the checker could not check {check} (not your program's fault):",
                  "{name}: 검사기가 '{check}' 검사를 실행하지 못했습니다(프로그램 탓이 아닙니다):",
                  name=name, check=failed.name))
        # The exception's last line; the whole traceback for whoever fixes the checker.
        lines = failed.message.rstrip().splitlines()
        print("    " + (lines[-1] if lines else "?"))
        if os.environ.get("LAB_CHECK_DEBUG"):
            print(failed.message)
        else:
            print(say(lang, "    (LAB_CHECK_DEBUG=1 shows where)", "    (LAB_CHECK_DEBUG=1이면 어디서인지 보여 줍니다)"))
        return
    items, message = items_of(failed)
    heading = say(lang, "{name}: not yet. Check {n} of {total}: {title}",
                  "{name}: 아직 해결하지 못했습니다. 검사 {n}/{total}: {title}",
                  name=name, n=failed.number, total=total, title=failed.title[lang])
    if columns(heading) > 78:  # the verdict, then the check, on 80 columns
        heading = heading.replace(". ", ".\n", 1)
    print(heading)
    print(fold(message, width=76, indent="    "))
    print(say(lang, "    (what is expected: {items} in {readme})", "    (요구 사항: {readme}의 {items})",
              items=" ".join(items), readme=readme))
    passed = failed.number - 1
    if passed == 1:
        print(say(lang, "(check 1 passed)", "(검사 1 통과)"))
    elif passed:
        print(say(lang, "(checks 1 to {n} passed)", "(검사 1~{n} 통과)", n=passed))
    print(say(lang, "stuck? ./lab hint {name}", "막혔나요? ./lab hint {name}", name=name))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("name", help="connect-failure or timeout")
    parser.add_argument("program")
    parser.add_argument("--expect", choices=["solved", "rejected"])
    parser.add_argument("--by", metavar="CHECK",
                        help="with --expect rejected: the check that must be the first to fail "
                             "(or an .edit file whose '# rejected by:' line names it)")
    parser.add_argument("--lang", choices=["en", "ko"])
    parser.add_argument("--json", metavar="FILE", help="also write the outcome as JSON")
    args = parser.parse_args()

    lang = pick_lang(args.lang)
    os.environ["LAB_LANG"] = lang  # for the checks' own messages (exercise_support)
    if not os.access(args.program, os.X_OK):
        print(say(lang, "{name}: the program {program} is not built",
                  "{name}: 프로그램 {program}이(가) 빌드되지 않았습니다", name=args.name, program=args.program))
        return 2
    os.environ["LAB_EXERCISE_PROGRAM"] = os.path.abspath(args.program)
    sys.path.insert(0, HERE)
    support = importlib.import_module("exercise_support")
    module = importlib.import_module("test_" + args.name.replace("-", "_"))
    checks = support.checks_of(module)

    # Ctrl-C (or ./lab watch moving on) stops the checks, their programs
    # and their servers: nothing is left running.
    def stop(signum, frame):
        support.ABANDON.set()
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, stop)
    try:
        outcomes = run_all(support, checks)
    except KeyboardInterrupt:
        return 130
    except Exception:  # never a traceback for the learner without saying whose fault
        print(say(lang, "{name}: the checker failed (not your program's fault):",
                  "{name}: 검사기가 실패했습니다(프로그램 탓이 아닙니다):", name=args.name))
        traceback.print_exc(file=sys.stdout)
        return 2
    print_verdict(args.name, outcomes, lang)

    solved = all(o.status == "passed" for o in outcomes)
    first = next((o for o in outcomes if o.status != "passed"), None)
    if args.json:
        with open(args.json, "w") as handle:
            json.dump({"name": args.name, "solved": solved, "total": len(outcomes),
                       "passed": sum(o.status == "passed" for o in outcomes),
                       "first_unmet": first.name if first else None,
                       "error": bool(first and first.status == "error")}, handle)
    if first is not None and first.status == "error":
        return 2
    if args.expect == "solved":
        return 0 if solved else 1
    if args.expect == "rejected":
        if solved:
            return 1
        expected = expected_check(args.by)
        if expected and first.name != expected:
            print("%s: rejected, but by %s, not by %s as expected" % (args.name, first.name, expected))
            return 1
        return 0
    return 0 if solved else 1


if __name__ == "__main__":
    with reader_may_leave():
        sys.exit(main())
