"""What the learner has done so far, in .lab-progress.json: every version of
each exercise's file that was found solved, and the hints read."""
import datetime
import hashlib
import json
import os
import tempfile

from poetrylab import manifest


def path():
    return os.environ.get("LAB_PROGRESS_FILE") or os.path.join(manifest.ROOT, ".lab-progress.json")


def file_hash(source):
    try:
        with open(source, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except OSError:
        return None


def load():
    try:
        with open(path()) as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return {}


def save(progress):
    # Written aside, then renamed over the old one: a reader never sees
    # half a file, which it would take for no progress at all.
    target = path()
    try:
        with tempfile.NamedTemporaryFile("w", dir=os.path.dirname(target) or ".", prefix=".lab-progress-",
                                         delete=False) as handle:
            json.dump(progress, handle, indent=1)
        os.replace(handle.name, target)
    except OSError:
        pass  # progress is a convenience: a read-only checkout still checks


def record(name, solved, source):
    """Notes a verdict. Every version of the file that was solved is
    remembered, so that putting a solved file back (after a reset, say)
    counts as solved again without a new check."""
    progress = load()
    entry = progress.setdefault(name, {})
    sha = file_hash(source)
    entry["checked"] = datetime.datetime.now().isoformat(timespec="seconds")
    solved_versions = entry.setdefault("solved_sha256", [])
    if solved and sha not in solved_versions:
        solved_versions.append(sha)
    if not solved and sha in solved_versions:
        solved_versions.remove(sha)
    save(progress)


def hint_level(name, level=None):
    """The highest hint level shown for `name` (with `level`: notes it)."""
    progress = load()
    entry = progress.setdefault(name, {})
    if level is not None and level > entry.get("hint", 0):
        entry["hint"] = level
        save(progress)
    return entry.get("hint", 0)


def solved_now(exercise, progress=None):
    """Solved, in the version of the file that is there now."""
    entry = (progress or load()).get(exercise.name) or {}
    return file_hash(exercise.stub) in entry.get("solved_sha256", [])


def solved(exercises):
    progress = load()
    return [e.name for e in exercises if solved_now(e, progress)]


def first_unsolved(exercises):
    progress = load()
    return next((e for e in exercises if not solved_now(e, progress)), exercises[0])
