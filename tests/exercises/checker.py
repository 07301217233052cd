"""Checks one exercise: runs its checks against a program and says, in the
learner's words, whether the exercise is solved.

    checker.py NAME PROGRAM                  # ./lab check: solved / not yet
    checker.py NAME PROGRAM --expect solved      # ./lab test, on solutions/
    checker.py NAME PROGRAM --expect rejected    # ./lab test, on stubs and wrong fixtures
"""
import argparse
import importlib
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


def expected_check(by):
    """The check named by --by, directly or through an .edit file."""
    if not by or not by.endswith(".edit"):
        return by
    with open(by) as handle:
        for line in handle:
            if line.startswith("# rejected by:"):
                return line.split(":", 1)[1].strip()
    raise SystemExit("%s has no '# rejected by:' line" % by)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("name", help="connect-failure or timeout")
    parser.add_argument("program")
    parser.add_argument("--expect", choices=["solved", "rejected"])
    parser.add_argument("--by", metavar="CHECK",
                        help="with --expect rejected: the check that must be the first to fail "
                             "(or an .edit file whose '# rejected by:' line names it)")
    args = parser.parse_args()

    if not os.access(args.program, os.X_OK):
        print("%s: the program %s is not built" % (args.name, args.program))
        return 2
    os.environ["LAB_EXERCISE_PROGRAM"] = os.path.abspath(args.program)
    sys.path.insert(0, HERE)
    module = importlib.import_module("test_" + args.name.replace("-", "_"))
    suite = unittest.defaultTestLoader.loadTestsFromModule(module)
    # Stop at the first unmet expectation: that is the one to work on.
    result = unittest.TestResult()
    result.failfast = True
    suite.run(result)

    if result.errors:  # the checks themselves broke: never a verdict
        for test, trace in result.errors:
            print("%s: checker error in %s:\n%s" % (args.name, test.id(), trace))
        return 2
    if result.wasSuccessful():
        verdict = "solved (%d checks passed)" % result.testsRun
    else:
        test, trace = result.failures[0]
        message = trace.rstrip().split("AssertionError: ", 1)[-1]
        check = test.id().rsplit(".", 1)[-1].split("_", 2)[-1].replace("_", " ")
        verdict = "not yet. Check '%s':\n    %s" % (check, message.replace("\n", "\n    "))
    print("%s: %s" % (args.name, verdict))

    if args.expect == "solved":
        return 0 if result.wasSuccessful() else 1
    if args.expect == "rejected":
        if result.wasSuccessful():
            return 1
        expected = expected_check(args.by)
        first = result.failures[0][0].id().rsplit(".", 1)[-1]
        if expected and first != expected:
            print("%s: rejected, but by %s, not by %s as expected" % (args.name, first, expected))
            return 1
        return 0
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
