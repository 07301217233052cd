"""Building the learner's file: the compiler's first error, or its
warnings, in a few lines a learner can act on."""
import json
import os
import re
import subprocess

from poetrylab.learn.progress import file_hash
from poetrylab.messages import t
from poetrylab.text import fold

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def compile_exercise(exercise, build, lang):
    """Builds build/exercises/NAME/get-poetry (and the server the checks
    start). Returns (ready to check, what to show: the compiler's first
    error, or its warnings, or nothing)."""
    target = os.path.relpath(os.path.join(os.path.dirname(exercise.stub), "get-poetry"), exercise.root)
    result = subprocess.run(["ninja", "-C", build, target, "slow-server/slowpoetry"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    text = ANSI.sub("", result.stdout)
    if result.returncode != 0:
        return False, compile_error(exercise, text, lang)
    # ninja compiles only a changed file: the warnings of the last compile
    # are kept with the file's hash, to be shown again until it changes.
    cache = os.path.join(build, "check-%s-warnings.json" % exercise.name)
    sha = file_hash(exercise.stub)
    if "get-poetry.cpp.o" in text:
        warnings = compiler_messages(text, "warning")
        try:
            with open(cache, "w") as handle:
                json.dump({"sha256": sha, "warnings": warnings}, handle)
        except OSError:
            pass
    else:
        try:
            with open(cache) as handle:
                kept = json.load(handle)
            warnings = kept["warnings"] if kept.get("sha256") == sha else []
        except (OSError, ValueError, KeyError):
            warnings = []
    if not warnings:
        return True, ""
    shown = [fold(t(lang, "warnings", name=exercise.name, n=len(warnings)))]
    for warning in warnings[:5]:
        shown.append(fold("\n".join("    " + line for line in warning)))
    if len(warnings) > 5:
        shown.append(t(lang, "more_warnings", n=len(warnings) - 5))
    return True, "\n".join(shown)


def compiler_messages(text, kind):
    """[[first line, source line, caret line], ...] for each message of
    `kind` ("error", "warning") that gcc printed with a file and a line."""
    lines = text.splitlines()
    found = []
    for i, line in enumerate(lines):
        if re.match(r"^[^ :][^:]*:\d+:\d+: (fatal )?%s: " % kind, line):
            shown = [relative(line)]
            for follow in lines[i + 1:i + 3]:
                if re.match(r"^\s*\d* \|", follow):
                    shown.append(follow)
            found.append(shown)
    return found


def relative(line):
    """gcc names the file from the build folder (../exercises/...)."""
    return re.sub(r"^(\.\./)+", "", line)


def compile_error(exercise, text, lang):
    errors = compiler_messages(text, "error")
    if errors:
        shown = fold("\n".join("    " + line for line in errors[0]))
        more = len(errors) - 1
    else:  # a linker error, or something else: the lines that say error
        picked = [relative(l) for l in text.splitlines() if "error" in l.lower()][:6]
        shown = "\n".join("    " + line for line in picked) or "    " + text.strip()[-600:]
        more = 0
    # Folded whole: the compiler's lines, indented, are kept as they are.
    message = fold(t(lang, "no_compile", name=exercise.name, file=exercise.relative(exercise.stub), shown=shown))
    if more > 0:
        message += "\n" + fold(t(lang, "more_errors", n=more))
    return message
