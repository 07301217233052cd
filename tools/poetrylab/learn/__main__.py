"""python3 -m poetrylab.learn check|watch|hint|reset ...: see __init__.py."""
import argparse
import os
import sys

from poetrylab import manifest
from poetrylab.learn import hints, progress
from poetrylab.learn.check import check_all
from poetrylab.learn.reset import reset
from poetrylab.learn.watch import watch
from poetrylab.messages import pick_lang, t
from poetrylab.processes import reader_may_leave
from poetrylab.text import fold

BUILD = os.environ.get("LAB_BUILD_DIR") or os.path.join(manifest.ROOT, "build")


class Parser(argparse.ArgumentParser):
    """argparse, with its complaints in the learner's language."""
    lang = "en"

    def error(self, message):
        sys.exit(fold(t(self.lang, "bad_command", m=message)))


def take_lang(argv):
    """--lang en|ko, anywhere on the command line (as ./lab takes it),
    taken out of `argv`: the language comes first, so that even a bad
    command line is answered in it."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            value, taken = argv[i + 1], 2
        elif arg.startswith("--lang="):
            value, taken = arg[len("--lang="):], 1
        else:
            continue
        del argv[i:i + taken]
        if value not in ("en", "ko"):
            sys.exit("lab: error: --lang takes en or ko, not '%s'" % value)
        return value
    return None


def known(name, exercises, lang):
    found = next((e for e in exercises if e.name == name), None)
    if found is None:
        sys.exit(fold(t(lang, "no_exercise", name=name, all=", ".join(e.name for e in exercises))))
    return found


def main():
    argv = sys.argv[1:]
    lang = pick_lang(take_lang(argv))
    Parser.lang = lang
    parser = Parser(prog="./lab")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    p = sub.add_parser("check")
    p.add_argument("names", nargs="*")
    p.add_argument("--program", help=argparse.SUPPRESS)  # tests: check this binary, build nothing
    p = sub.add_parser("watch")
    p.add_argument("name", nargs="?")
    p.add_argument("--program", help=argparse.SUPPRESS)
    p.add_argument("--dir", help=argparse.SUPPRESS)      # tests: watch this folder instead
    p = sub.add_parser("reset")
    p.add_argument("name")
    p.add_argument("--yes", action="store_true")
    p = sub.add_parser("hint")
    p.add_argument("name")
    p.add_argument("level", nargs="?")
    args = parser.parse_args(argv)
    exercises = manifest.load()

    if args.command == "check":
        chosen = [known(n, exercises, lang) for n in args.names] or exercises
        return check_all(chosen, exercises, BUILD, lang, program=args.program)
    if args.command == "watch":
        exercise = known(args.name, exercises, lang) if args.name else progress.first_unsolved(exercises)
        return watch(exercises, exercise, BUILD, lang, program=args.program, folder=args.dir)
    if args.command == "reset":
        return reset(known(args.name, exercises, lang), args.yes, lang)
    exercise = known(args.name, exercises, lang)
    count = len(hints.hints_of(exercise))
    level = args.level or "1"
    if not level.isdigit() or not 1 <= int(level) <= count:
        sys.exit(fold(t(lang, "hint_range", name=exercise.name, count=count)))
    print(hints.hint_text(exercise, int(level), lang))
    return 0


if __name__ == "__main__":
    with reader_may_leave():
        try:
            sys.exit(main())
        except KeyboardInterrupt:
            sys.exit(130)
