"""The learner's side of ./lab: check, watch, reset and hint, for the
chapter's two exercises, in English or Korean.

    learn.py check [NAME ...]      build the learner's file, run the checks, say what is next
    learn.py watch [NAME]          re-check whenever a file under exercises/ is saved
    learn.py reset NAME [--yes]    put the stub back (the learner's file is kept aside first)
    learn.py hint NAME [LEVEL]     a hint, from a nudge (1) to almost the answer

./lab runs it (after installing and configuring what it needs); every
command takes --lang en|ko, and LANG=ko_KR.UTF-8 picks Korean too.
Standard library, plus Debian's python3-watchdog for `watch`.
"""
import argparse
import datetime
import hashlib
import json
import os
import re
import select
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from lablib import die_with_parent, fold, kill_group, pick_lang, reader_may_leave  # noqa: E402
import lablib  # noqa: E402

ROOT = os.environ.get("LAB_ROOT") or os.path.dirname(HERE)
BUILD = os.path.join(ROOT, "build")
EXERCISES = ["connect-failure", "timeout"]
CHECKER = os.path.join(os.path.dirname(HERE), "tests", "exercises", "checker.py")
# Seconds beyond what a correct program needs before a run counts as hanging.
CHECK_MARGIN = "5"
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


LANG = "en"


def say(en, ko, **values):
    """The learner's language, folded to fit an 80-column terminal."""
    return fold(lablib.say(LANG, en, ko, **values))


def interrupt(signum, frame):
    """SIGTERM (and, in watch, SIGHUP) end us as Ctrl-C does, so that the
    `finally` blocks stop the check, its programs and its servers."""
    raise KeyboardInterrupt


def source_of(name):
    return os.path.join(ROOT, "exercises", name, "get-poetry.cpp")


# --- progress ---------------------------------------------------------------

def progress_path():
    return os.environ.get("LAB_PROGRESS_FILE") or os.path.join(ROOT, ".lab-progress.json")


def file_hash(path):
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except OSError:
        return None


def load_progress():
    try:
        with open(progress_path()) as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return {}


def save_progress(progress):
    # Written aside, then renamed over the old one: a reader (the watch and
    # its check both keep progress) never sees half a file, which it would
    # take for no progress at all.
    path = progress_path()
    try:
        with tempfile.NamedTemporaryFile("w", dir=os.path.dirname(path) or ".", prefix=".lab-progress-",
                                         delete=False) as handle:
            json.dump(progress, handle, indent=1)
        os.replace(handle.name, path)
    except OSError:
        pass  # progress is a convenience: a read-only checkout still checks


def record(name, solved, source):
    """Notes a verdict. Every version of the file that was solved is
    remembered, so that putting a solved file back (after a reset, say)
    counts as solved again without a new check."""
    progress = load_progress()
    entry = progress.setdefault(name, {})
    sha = file_hash(source)
    entry["checked"] = datetime.datetime.now().isoformat(timespec="seconds")
    solved_versions = entry.setdefault("solved_sha256", [])
    if solved and sha not in solved_versions:
        solved_versions.append(sha)
    if not solved and sha in solved_versions:
        solved_versions.remove(sha)
    save_progress(progress)


def hint_level(name, level=None):
    """The highest hint level shown for `name` (with `level`: notes it)."""
    progress = load_progress()
    entry = progress.setdefault(name, {})
    if level is not None and level > entry.get("hint", 0):
        entry["hint"] = level
        save_progress(progress)
    return entry.get("hint", 0)


def solved_now(name, progress=None):
    """Solved, in the version of the file that is there now."""
    entry = (progress or load_progress()).get(name) or {}
    return file_hash(source_of(name)) in entry.get("solved_sha256", [])


def progress_line():
    progress = load_progress()
    done = [n for n in EXERCISES if solved_now(n, progress)]
    line = say("progress: {n} of {total} exercises solved", "진행: 연습 문제 {total}개 중 {n}개 해결",
               n=len(done), total=len(EXERCISES))
    if done:
        line += " (%s)" % ", ".join(done)
    return line


def first_unsolved():
    progress = load_progress()
    return next((n for n in EXERCISES if not solved_now(n, progress)), EXERCISES[0])


# --- building the learner's file ---------------------------------------------

def compile_exercise(name, out):
    """Builds build/exercises/NAME/get-poetry (and the server the checks
    start). Prints the compiler's first error, or its warnings, in a few
    lines; returns True when the program is ready to check."""
    result = subprocess.run(["ninja", "-C", BUILD, "exercises/%s/get-poetry" % name,
                             "slow-server/slowpoetry"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    text = ANSI.sub("", result.stdout)
    if result.returncode != 0:
        out(compile_error(name, text))
        return False
    # ninja compiles only a changed file: the warnings of the last compile
    # are kept with the file's hash, to be shown again until it changes.
    cache = os.path.join(BUILD, "check-%s-warnings.json" % name)
    sha = file_hash(source_of(name))
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
    if warnings:
        shown = warnings[:5]
        out(say("{name}: it builds, with {n} warning(s): not fatal here, but worth a look.",
                "{name}: 빌드는 되지만 경고가 {n}개 있습니다. 여기서는 치명적이지 않지만 살펴볼 "
                "만합니다.", name=name, n=len(warnings)))
        for warning in shown:
            out(fold("\n".join("    " + line for line in warning)))
        if len(warnings) > len(shown):
            out(say("    ... and {n} more", "    ... 그리고 {n}개 더", n=len(warnings) - len(shown)))
    return True


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


def compile_error(name, text):
    errors = compiler_messages(text, "error")
    if errors:
        shown = fold("\n".join("    " + line for line in errors[0]))
        more = len(errors) - 1
    else:  # a linker error, or something else: the lines that say error
        picked = [relative(l) for l in text.splitlines() if "error" in l.lower()][:6]
        shown = "\n".join("    " + line for line in picked) or "    " + text.strip()[-600:]
        more = 0
    message = say("{name}: not yet. exercises/{name}/get-poetry.cpp does not compile. The "
                  "compiler's first error:\n{shown}",
                  "{name}: 아직 해결하지 못했습니다. exercises/{name}/get-poetry.cpp가 컴파일되지 않습니다. "
                  "컴파일러의 첫 번째 오류:\n{shown}", name=name, shown=shown)
    if more > 0:
        message += "\n" + say("({n} more after it: fix the first one, then build again)",
                              "(그 뒤로 {n}개 더 있습니다. 첫 번째 것을 고치고 다시 빌드하세요)", n=more)
    return message


# --- check ------------------------------------------------------------------

def check_one(name, program=None, out=print):
    """Builds (unless `program` is given) and checks one exercise; records
    the result. Returns True when solved."""
    given = program is not None
    if program is None:
        if not compile_exercise(name, out):
            record(name, False, source_of(name))
            return False
        program = os.path.join(BUILD, "exercises", name, "get-poetry")
    with tempfile.TemporaryDirectory(prefix="poetry-lab-check-") as tmp:
        outcome_file = os.path.join(tmp, "outcome.json")
        env = dict(os.environ, LAB_BUILD_DIR=BUILD, LAB_SOURCE_DIR=ROOT, LAB_LANG=LANG,
                   LAB_CHECK_MARGIN=os.environ.get("LAB_CHECK_MARGIN", CHECK_MARGIN),
                   PYTHONDONTWRITEBYTECODE="1")
        proc = subprocess.Popen(die_with_parent([sys.executable, CHECKER, name, program,
                                                 "--json", outcome_file]),
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        # Stopped (Ctrl-C, or ./lab watch moving on): the checker must stop
        # its programs and servers before we go, or they would outlive us.
        previous = signal.signal(signal.SIGTERM, interrupt)
        try:
            for line in proc.stdout:
                out(line.rstrip("\n"))
            proc.wait()
        except (KeyboardInterrupt, BrokenPipeError):
            proc.terminate()
            proc.wait()
            raise
        finally:
            signal.signal(signal.SIGTERM, previous)
        try:
            with open(outcome_file) as handle:
                outcome = json.load(handle)
        except (OSError, ValueError):
            outcome = {"solved": False, "error": True}
    # A binary given on the command line (the tests) is not the learner's
    # file: it counts for progress only in a progress file of its own.
    if not outcome.get("error") and (not given or os.environ.get("LAB_PROGRESS_FILE")):
        record(name, bool(outcome.get("solved")), source_of(name))
    return bool(outcome.get("solved"))


def cmd_check(args):
    names = args.names or EXERCISES
    for name in names:
        known(name)
    solved = True
    for i, name in enumerate(names):
        if i:
            print()
        solved = check_one(name) and solved
    print_progress()
    return 0 if solved else 1


def print_progress():
    if not os.environ.get("LAB_WATCH_CHILD"):  # ./lab watch shows it in its title
        print()
        print(progress_line())


def known(name):
    if name not in EXERCISES:
        sys.exit(say("lab: error: no exercise '{name}': the exercises are {all}",
                     "lab: error: 없는 연습 문제입니다: '{name}'. 연습 문제: {all}",
                     name=name, all=", ".join(EXERCISES)))


# --- hint -------------------------------------------------------------------

def hints_of(name):
    """[{"en": text, "ko": text}, ...] from exercises/NAME/HINTS.md."""
    hints, current, lang = [], None, None
    with open(os.path.join(ROOT, "exercises", name, "HINTS.md"), encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if line.startswith("## Hint "):
                current, lang = {"en": [], "ko": []}, None
                hints.append(current)
            elif current is not None and line[:3] in ("EN:", "KO:"):
                lang = line[:2].lower()
                current[lang].append(line[3:].strip())
            elif current is not None and lang and line.strip():
                current[lang].append(line.strip())
    return [{k: " ".join(v) for k, v in hint.items()} for hint in hints]


def hint_text(name, level):
    hints = hints_of(name)
    hint = hints[level - 1]
    lines = [say("{name}, hint {level} of {count}", "{name}, 힌트 {level}/{count}",
                 name=name, level=level, count=len(hints))]
    lines.append(fold(hint[LANG] or hint["en"]))
    hint_level(name, level)
    if level < len(hints):
        lines.append(say("(more: ./lab hint {name} {next})", "(다음 힌트: ./lab hint {name} {next})",
                         name=name, next=level + 1))
    else:
        lines.append(say("(that was the last hint; a solution is in solutions/{name}/, "
                         "but try first)",
                         "(마지막 힌트였습니다. 풀이는 solutions/{name}/에 있지만, 먼저 직접 해 "
                         "보세요)", name=name))
    return "\n".join(lines)


def cmd_hint(args):
    known(args.name)
    count = len(hints_of(args.name))
    level = args.level or "1"
    if not level.isdigit() or not 1 <= int(level) <= count:
        sys.exit(say("lab: error: the hints for {name} go from 1 to {count}",
                     "lab: error: {name}의 힌트는 1부터 {count}까지입니다", name=args.name, count=count))
    print(hint_text(args.name, int(level)))
    return 0


# --- reset ------------------------------------------------------------------

def git(*args):
    """git in the lab's clone: what it printed, or None when it failed (or
    there is no git at all)."""
    try:
        result = subprocess.run(["git", "-C", ROOT] + list(args), stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL)
    except OSError:
        return None
    return result.stdout if result.returncode == 0 else None


def pristine_stub(name):
    """The stub as the lab shipped it: the file as it is on the branch this
    clone came from (origin/main, say), which the learner's own commits do
    not touch; without one, the newest committed version that still has
    its TODO marks."""
    path = "exercises/%s/get-poetry.cpp" % name
    upstream = (git("rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}") or b"").strip()
    if upstream:
        shipped = git("show", "%s:%s" % (upstream.decode(), path))
        if shipped and b"TODO(exercise" in shipped:
            return shipped
    for commit in (git("log", "--format=%H", "--", path) or b"").split():
        text = git("show", "%s:%s" % (commit.decode(), path))
        if text and b"TODO(exercise" in text:
            return text
    return None


def cmd_reset(args):
    known(args.name)
    source = source_of(args.name)
    stub = pristine_stub(args.name)
    if stub is None:
        sys.exit(say("lab: error: cannot find the stub of {name} in git's history (reset needs "
                     "a git clone of the lab)",
                     "lab: error: git 기록에서 {name}의 스텁을 찾을 수 없습니다(reset에는 실습의 git "
                     "클론이 필요합니다)", name=args.name))
    try:
        with open(source, "rb") as handle:
            current = handle.read()
    except FileNotFoundError:
        current = None  # deleted: nothing to keep aside
    if current == stub:
        print(say("{name}: exercises/{name}/get-poetry.cpp is already the stub.",
                  "{name}: exercises/{name}/get-poetry.cpp는 이미 스텁입니다.", name=args.name))
        return 0
    backup_dir = os.path.join(ROOT, ".lab-backup")
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    backup = os.path.join(backup_dir, "%s-%s.cpp" % (args.name, stamp))
    shown = os.path.relpath(backup, ROOT)
    if not args.yes:
        question = say("Put the stub back in exercises/{name}/get-poetry.cpp? Your version is "
                       "kept in {backup} first. [y/N] ",
                       "exercises/{name}/get-poetry.cpp를 스텁으로 되돌릴까요? 지금 파일은 먼저 "
                       "{backup}에 보관합니다. [y/N] ", name=args.name, backup=shown)
        if not sys.stdin.isatty():
            sys.exit(say("lab: error: not asking without a terminal: add --yes to reset {name}",
                         "lab: error: 터미널이 없어 물어볼 수 없습니다. {name}을(를) 되돌리려면 --yes를 "
                         "붙이세요", name=args.name))
        answer = input(question).strip().lower()
        if answer not in ("y", "yes", "예", "네", "ㅇ"):
            print(say("Nothing changed.", "아무것도 바꾸지 않았습니다."))
            return 1
    if current is not None:
        os.makedirs(backup_dir, exist_ok=True)
        with open(backup, "wb") as handle:
            handle.write(current)
    with open(source, "wb") as handle:
        handle.write(stub)
    record(args.name, False, source)
    print(say("{name}: the stub is back. Your version: {backup}",
              "{name}: 스텁으로 되돌렸습니다. 이전 파일: {backup}", name=args.name, backup=shown))
    return 0


# --- watch ------------------------------------------------------------------

class Screen:
    """A terminal (cleared before each verdict, keys read one at a time) or
    a pipe (verdicts one after another, keys read as lines)."""

    def __init__(self):
        self.tty = sys.stdout.isatty()
        self.keys_tty = sys.stdin.isatty()
        self.saved = None

    def __enter__(self):
        if self.keys_tty:
            import termios
            import tty
            self.saved = termios.tcgetattr(sys.stdin.fileno())
            tty.setcbreak(sys.stdin.fileno())  # Ctrl-C still interrupts
        return self

    def __exit__(self, *exc):
        if self.saved is not None:
            import termios
            termios.tcsetattr(sys.stdin.fileno(), termios.TCSADRAIN, self.saved)

    def clear(self, title):
        if self.tty:
            sys.stdout.write("\033[H\033[2J\033[3J")
            bold = "" if os.environ.get("NO_COLOR") else "\033[1m"  # no-color.org
            for line in title.split("\n"):
                print(bold + line + ("\033[0m" if bold else ""))
        else:
            print("=" * 8 + " " + title)
        sys.stdout.flush()

    def line(self, text=""):
        print(text)
        sys.stdout.flush()


class Job:
    """One check (build, then the checker) running as a child process in
    its own process group, so that a new save or `q` can stop all of it."""

    def __init__(self, name, program, started_by):
        argv = [sys.executable, os.path.abspath(__file__), "check", name]  # LAB_LANG says the language
        if program:
            argv += ["--program", program]
        self.started_by, self.started = started_by, time.monotonic()
        self.proc = subprocess.Popen(die_with_parent(argv), stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     process_group=0, env=dict(os.environ, LAB_WATCH_CHILD="1"))
        self.buffer = b""

    def stop(self):
        if self.proc.poll() is None:
            kill_group(self.proc.pid, signal.SIGTERM)  # the checker cleans up after itself
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                kill_group(self.proc.pid)
                self.proc.wait()
        self.proc.stdout.close()


def watch_events(folder, wake_fd):
    """Starts watching `folder`; each save of a source file writes its path
    and a newline to wake_fd."""
    try:
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserver
    except ImportError:
        sys.exit(say("lab: error: ./lab watch needs Debian's python3-watchdog: run ./lab setup",
                     "lab: error: ./lab watch에는 Debian의 python3-watchdog가 필요합니다. "
                     "./lab setup을 실행하세요"))

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event):
            # What a save does (editors write in place, or write aside and
            # rename); not "opened", which newer watchdogs also report, and
            # which the compiler reading the file would cause.
            if event.event_type not in ("modified", "created", "moved", "closed"):
                return
            paths = [getattr(event, "src_path", ""), getattr(event, "dest_path", "")]
            if event.is_directory or not any(saved_source(p) for p in paths):
                return
            path = next(p for p in paths if saved_source(p))
            try:
                os.write(wake_fd, (path + "\n").encode())
            except OSError:
                pass

    for kind in (Observer, PollingObserver):
        # inotify first; polling where inotify cannot be used (its watch
        # limit reached, or a filesystem without it, such as some shares).
        observer = kind(timeout=0.2) if kind is PollingObserver else kind()
        try:
            observer.schedule(Handler(), folder, recursive=True)
            observer.daemon = True
            observer.start()
            return observer
        except OSError:
            continue
    sys.exit(say("lab: error: cannot watch {folder}", "lab: error: {folder}을(를) 지켜볼 수 없습니다",
                 folder=folder))


def saved_source(path):
    """A file a learner saves (not an editor's swap or backup file)."""
    base = os.path.basename(path or "")
    return bool(re.match(r"^[^.#~][^~]*\.(cpp|hpp|h|cc)$", base))


def exercise_of(path, folder):
    rel = os.path.relpath(path, folder).split(os.sep)
    return rel[0] if rel and rel[0] in EXERCISES else None


# What started a check, as its title says it: "checked 10:41:07, 3.1 s after the save".
STARTED_BY = {"save": ("save", "저장"), "start": ("start", "시작"), "key": ("key press", "키 입력")}
KEYS_EN = "keys: h next hint · r check again · n next exercise · q quit"
KEYS_KO = "키: h 다음 힌트 · r 다시 검사 · n 다음 연습 문제 · q 끝내기"
DEBOUNCE = 0.3


def cmd_watch(args):
    # A closed terminal (SIGHUP) or a kill ends the watch like `q` does:
    # the running check, its programs and its servers go too.
    signal.signal(signal.SIGHUP, interrupt)
    signal.signal(signal.SIGTERM, interrupt)
    name = args.name or first_unsolved()
    known(name)
    folder = args.dir or os.path.join(ROOT, "exercises")
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_read, False)
    observer = watch_events(folder, wake_write)
    shown_hint = hint_level(name)
    job = None
    pending_since = None  # a save seen, waiting for the writes to settle
    saved_at = None
    keys_open = True  # until stdin ends (a pipe at its end): then we just watch
    screen = Screen()

    def title(state):
        return "./lab watch · %s · %s\n%s" % (name, state, progress_line())

    def start(why):
        nonlocal job
        if job:
            job.stop()
        job = Job(name, args.program, why)
        stamp = datetime.datetime.now().strftime("%H:%M:%S")
        screen.clear(title(say("checking (%s)" % stamp, "검사 중 (%s)" % stamp)))

    def finish_job():
        nonlocal job
        job.proc.wait()
        took = time.monotonic() - (saved_at if job.started_by == "save" and saved_at else job.started)
        text = job.buffer.decode("utf-8", "replace").rstrip("\n")
        stamp = datetime.datetime.now().strftime("%H:%M:%S")
        screen.clear(title(say("checked {t}, {s:.1f} s after the {why}", "{t} 검사 완료 ({why} 후 {s:.1f}초)",
                               t=stamp, s=took, why=say(*STARTED_BY[job.started_by]))))
        screen.line(text)
        screen.line()
        screen.line(say(KEYS_EN, KEYS_KO))
        screen.line(say("(saving a file under exercises/ checks again)",
                        "(exercises/ 아래 파일을 저장하면 다시 검사합니다)"))
        job.proc.stdout.close()
        job = None

    with screen:
        try:
            start("start")
            while True:
                fds = [wake_read] + ([sys.stdin.fileno()] if keys_open else [])
                if job:
                    fds.append(job.proc.stdout.fileno())
                wait = None if pending_since is None else max(0, pending_since + DEBOUNCE - time.monotonic())
                ready, _, _ = select.select(fds, [], [], wait)
                if wake_read in ready:
                    paths = os.read(wake_read, 65536).decode(errors="replace").split()
                    for path in paths:
                        other = exercise_of(path, folder)
                        if other and other != name:
                            name, shown_hint = other, hint_level(other)
                    pending_since = time.monotonic()
                    saved_at = pending_since  # the time to a verdict counts from the last save
                if pending_since is not None and time.monotonic() - pending_since >= DEBOUNCE:
                    pending_since = None
                    start("save")
                if job and job.proc.stdout.fileno() in ready:
                    chunk = os.read(job.proc.stdout.fileno(), 65536)
                    if chunk:
                        job.buffer += chunk
                    else:
                        finish_job()
                        saved_at = None
                if sys.stdin.fileno() in ready:
                    keys = os.read(sys.stdin.fileno(), 1024).decode(errors="replace")
                    if not keys:  # stdin closed (a pipe at its end): keep watching
                        keys_open = False
                        continue
                    for key in keys.strip().lower() or " ":
                        if key == "q":
                            return 0
                        if key == "h":
                            # The next one; after the last, the first again
                            # (the hints read before are remembered).
                            shown_hint = shown_hint % len(hints_of(name)) + 1
                            screen.line()
                            screen.line(hint_text(name, shown_hint))
                        elif key == "r":
                            start("key")
                        elif key == "n":
                            others = [n for n in EXERCISES if n != name]
                            name = others[0]
                            shown_hint = hint_level(name)
                            start("key")
        except KeyboardInterrupt:
            return 0
        finally:
            if job:
                job.stop()
            observer.stop()
            screen.line()


class Parser(argparse.ArgumentParser):
    """argparse, with its complaints in the learner's language."""

    def error(self, message):
        sys.exit(say("lab: error: {m} (see ./lab help)",
                     "lab: error: 명령을 이해하지 못했습니다: {m} (./lab help를 보세요)", m=message))


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


def main():
    global LANG
    argv = sys.argv[1:]
    LANG = pick_lang(take_lang(argv))
    os.environ["LAB_LANG"] = LANG  # for the check a watch starts, and the checker
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
    if args.command == "check" and args.program:
        known(args.names[0] if args.names else "")
        solved = check_one(args.names[0], program=args.program)
        print_progress()
        return 0 if solved else 1
    return {"check": cmd_check, "watch": cmd_watch, "reset": cmd_reset, "hint": cmd_hint}[args.command](args)


if __name__ == "__main__":
    with reader_may_leave():
        try:
            sys.exit(main())
        except KeyboardInterrupt:
            sys.exit(130)
