"""python3 -m poetrylab.learn check|watch|hint|reset ...: see __init__.py."""
import os
import sys

from poetrylab import manifest
from poetrylab.command import Command, with_suggestion
from poetrylab.learn import hints, progress
from poetrylab.learn.check import check_all
from poetrylab.learn.reset import reset
from poetrylab.learn.watch import watch
from poetrylab.messages import pick_lang, t
from poetrylab.processes import reader_may_leave
from poetrylab.text import fold

BUILD = os.environ.get("LAB_BUILD_DIR") or os.path.join(manifest.ROOT, "build")
COMMANDS = ["check", "watch", "hint", "reset"]


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
            lang = pick_lang()
            sys.exit("lab: error: " + t(lang, "bad_lang", value=value) + "\n" + t(lang, "see_help"))
        return value
    return None


def main():
    argv = sys.argv[1:]
    lang = pick_lang(take_lang(argv))
    hint_line = t(lang, "see_help")
    command = argv[0] if argv else ""
    if command not in COMMANDS:
        Command(lang, hint_line).fail(with_suggestion(lang, "unknown_command", command, COMMANDS))
    exercises = manifest.load()
    names = [e.name for e in exercises]

    def known(name, cmd):
        found = next((e for e in exercises if e.name == name), None)
        if found is None:
            cmd.fail(with_suggestion(lang, "unknown_exercise", name, names, all=", ".join(names)))
        return found

    if command == "check":
        cmd = Command(lang, hint_line, valued={"--program"}, most=len(names))  # --program: the tests'
        options, words = cmd.parse(argv[1:])
        chosen = [known(n, cmd) for n in words] or exercises
        return check_all(chosen, exercises, BUILD, lang, program=options.get("--program"))
    if command == "watch":
        cmd = Command(lang, hint_line, valued={"--program", "--dir"}, most=1)  # the tests'
        options, words = cmd.parse(argv[1:])
        exercise = known(words[0], cmd) if words else progress.first_unsolved(exercises)
        return watch(exercises, exercise, BUILD, lang, program=options.get("--program"),
                     folder=options.get("--dir"))
    if command == "reset":
        cmd = Command(lang, hint_line, flags={"--yes"}, most=1)
        options, words = cmd.parse(argv[1:])
        if not words:
            cmd.fail(t(lang, "missing_word", all=", ".join(names)))
        return reset(known(words[0], cmd), options.get("--yes", False), lang)
    cmd = Command(lang, hint_line, most=2)
    _, words = cmd.parse(argv[1:])
    if not words:
        cmd.fail(t(lang, "missing_word", all=", ".join(names)))
    exercise = known(words[0], cmd)
    count = len(hints.hints_of(exercise))
    level = words[1] if len(words) > 1 else "1"
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
