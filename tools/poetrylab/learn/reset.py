"""./lab reset NAME: put the stub back, the learner's file kept aside in
.lab-backup/ first."""
import datetime
import os
import subprocess
import sys

from poetrylab.learn import progress
from poetrylab.messages import t
from poetrylab.text import fold


def git(root, *args):
    """git in the lab's clone: what it printed, or None when it failed (or
    there is no git at all)."""
    try:
        result = subprocess.run(["git", "-C", root] + list(args), stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL)
    except OSError:
        return None
    return result.stdout if result.returncode == 0 else None


def pristine_stub(exercise):
    """The stub as the lab shipped it: the file as it is on the branch this
    clone came from (origin/main, say), which the learner's own commits do
    not touch; without one, the newest committed version that still has
    its TODO marks."""
    path = exercise.relative(exercise.stub)
    root = exercise.root
    upstream = (git(root, "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}") or b"").strip()
    if upstream:
        shipped = git(root, "show", "%s:%s" % (upstream.decode(), path))
        if shipped and b"TODO(exercise" in shipped:
            return shipped
    for commit in (git(root, "log", "--format=%H", "--", path) or b"").split():
        text = git(root, "show", "%s:%s" % (commit.decode(), path))
        if text and b"TODO(exercise" in text:
            return text
    return None


def reset(exercise, yes, lang):
    name, source = exercise.name, exercise.stub
    shown_file = exercise.relative(source)
    stub = pristine_stub(exercise)
    if stub is None:
        sys.exit(fold(t(lang, "no_stub", name=name)))
    try:
        with open(source, "rb") as handle:
            current = handle.read()
    except FileNotFoundError:
        current = None  # deleted: nothing to keep aside
    if current == stub:
        print(fold(t(lang, "is_stub", name=name, file=shown_file)))
        return 0
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    backup = os.path.join(exercise.root, ".lab-backup", "%s-%s.cpp" % (name, stamp))
    shown = os.path.relpath(backup, exercise.root)
    if not yes:
        if not sys.stdin.isatty():
            sys.exit(fold(t(lang, "reset_no_tty", name=name)))
        answer = input(fold(t(lang, "reset_ask", file=shown_file, backup=shown)) + " ").strip().lower()
        if answer not in ("y", "yes", "예", "네", "ㅇ"):
            print(t(lang, "nothing_changed"))
            return 1
    if current is not None:
        os.makedirs(os.path.dirname(backup), exist_ok=True)
        with open(backup, "wb") as handle:
            handle.write(current)
    with open(source, "wb") as handle:
        handle.write(stub)
    progress.record(name, False, source)
    print(fold(t(lang, "reset_done", name=name, backup=shown)))
    return 0
