"""The checker on its own, for the test suite (./lab check is the learner's
way in):

    python3 -m poetrylab.checker NAME PROGRAM                      solved, or the first unmet check
    python3 -m poetrylab.checker NAME PROGRAM --expect solved      the solution, a right variant
    python3 -m poetrylab.checker NAME PROGRAM --expect stub        rejected first by the check the
    python3 -m poetrylab.checker NAME PROGRAM --expect wrong:MISTAKE   manifest names for it

Exit status: 0 solved (or as expected), 1 not yet (or not as expected), 2
the checker itself could not check. --margin test gives a run the test
suite's margin (the manifest's), for sanitizer builds on a busy machine.
"""
import argparse
import json
import os
import signal
import sys
import threading

from poetrylab import manifest
from poetrylab.checker import check
from poetrylab.messages import pick_lang
from poetrylab.processes import reader_may_leave

BUILD = os.environ.get("LAB_BUILD_DIR") or os.path.join(manifest.ROOT, "build")


def main():
    parser = argparse.ArgumentParser(prog="python3 -m poetrylab.checker", description=__doc__.split("\n\n")[0])
    parser.add_argument("name")
    parser.add_argument("program")
    parser.add_argument("--expect", metavar="solved|stub|wrong:MISTAKE")
    parser.add_argument("--margin", default="check", metavar="check|test|SECONDS",
                        help="the manifest's margin for a learner's check, or the test suite's, or this")
    parser.add_argument("--build", default=BUILD)
    parser.add_argument("--lang", choices=["en", "ko"])
    parser.add_argument("--json", metavar="FILE", help="also write the outcome as JSON")
    args = parser.parse_args()
    lang = pick_lang(args.lang)
    exercise = manifest.find(args.name)
    if exercise is None:
        sys.exit("checker: no exercise %r (the exercises: %s)" % (args.name, ", ".join(manifest.names())))

    cancel = threading.Event()

    def stop(signum, frame):  # stop the checks, their programs and their servers first
        cancel.set()
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, stop)
    try:
        margin = exercise.margin[args.margin] if args.margin in exercise.margin else float(args.margin)
        outcome = check(exercise, args.program, args.build, margin=margin, cancel=cancel)
    except KeyboardInterrupt:
        return 130
    print(outcome.verdict(lang, debug=bool(os.environ.get("LAB_CHECK_DEBUG"))))
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(outcome.as_dict(), handle, ensure_ascii=False, indent=1)
    if outcome.error:
        return 2
    if args.expect is None:
        return 0 if outcome.solved else 1
    if args.expect == "solved":
        return 0 if outcome.solved else 1
    mistake = args.expect.split(":", 1)[1] if args.expect.startswith("wrong:") else None
    expected = exercise.rejects(mistake)
    unmet = outcome.first_unmet
    if unmet is None or unmet.name not in expected:
        print("%s: rejected by %s, not by %s as its manifest says"
              % (args.name, unmet.name if unmet else "nothing (solved)", " or ".join(expected)))
        return 1
    cause = exercise.wrong_cause.get(mistake) if mistake else None
    if cause and " ".join(cause.split()) not in " ".join(outcome.verdict("en").split()):
        print("%s: the verdict does not say what its manifest says it must: %r" % (args.name, cause))
        return 1
    return 0


if __name__ == "__main__":
    with reader_may_leave():
        sys.exit(main())
