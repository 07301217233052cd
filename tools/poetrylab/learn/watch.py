"""./lab watch: check again whenever a file under exercises/ is saved.

One loop over one state, as rustlings' watch mode: every event (a save, a
key, a check's result) comes through one queue and is handled by one
`match`; the screen is drawn from the state alone. A check runs in a
thread of this process (build, then poetrylab.checker), so that the only
other processes are the compiler, the servers and the learner's program;
a new save or `q` cancels it, and it stops them all.
"""
import datetime
import os
import queue
import re
import signal
import sys
import threading
import time
from dataclasses import dataclass, field

from poetrylab.learn import progress
from poetrylab.learn.check import build_and_check, progress_line
from poetrylab.learn.hints import hint_text, hints_of
from poetrylab.messages import t
from poetrylab.terminal import Keys, bold, clear_screen

DEBOUNCE = 0.3  # seconds for the writes of a save to settle


@dataclass
class Saved:
    path: str


@dataclass
class Key:
    key: str


@dataclass
class Done:
    job: int
    shown: str


class InputClosed:
    pass


@dataclass
class State:
    exercise: object
    job: int = 0                 # the check under way, or the last one
    busy: bool = False
    why: str = "by_start"        # what started it: by_start, by_save, by_key
    started: float = 0.0
    pending: float = None        # a save seen, waiting for its writes to settle
    saved: float = None          # when the last save came
    shown: str = ""              # what the last check found, as the learner reads it
    took: float = 0.0
    finished: str = ""           # when it was found, HH:MM:SS
    hint: int = 0                # the hint shown under the verdict (0: none)
    cancel: threading.Event = field(default_factory=threading.Event)
    worker: threading.Thread = None


def saved_source(path):
    """A file a learner saves (not an editor's swap or backup file)."""
    base = os.path.basename(path or "")
    return bool(re.match(r"^[^.#~][^~]*\.(cpp|hpp|h|cc)$", base))


def start_observer(folder, events, lang):
    """Watches `folder`: each save of a source file is a Saved event."""
    try:
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserver
    except ImportError:
        sys.exit(t(lang, "no_watchdog"))

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event):
            # What a save does (editors write in place, or write aside and
            # rename); not "opened", which newer watchdogs also report, and
            # which the compiler reading the file would cause.
            if event.event_type not in ("modified", "created", "moved", "closed") or event.is_directory:
                return
            paths = [getattr(event, "src_path", ""), getattr(event, "dest_path", "")]
            saved = [p for p in paths if saved_source(p)]
            if saved:
                events.put(Saved(saved[0]))

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
    sys.exit(t(lang, "no_watch", folder=folder))


class Watch:
    def __init__(self, exercises, exercise, build, lang, program=None, folder=None):
        self.exercises, self.build, self.lang, self.program = exercises, build, lang, program
        self.folder = folder or os.path.join(exercise.root, "exercises")
        self.events = queue.Queue()
        self.state = State(exercise, hint=0)
        self.tty = sys.stdout.isatty()

    # --- the checks, in a thread each

    def start(self, why):
        state = self.state
        self.stop_check()
        state.job += 1
        state.busy, state.why, state.started = True, why, time.monotonic()
        state.cancel = threading.Event()
        job, exercise, cancel = state.job, state.exercise, state.cancel

        def run():
            try:
                outcome, said = build_and_check(exercise, self.build, self.lang, self.program, cancel)
                shown = "\n".join(part for part in (said, outcome.verdict(self.lang) if outcome else "") if part)
            except Exception as error:  # the checker's fault: say so, keep watching
                shown = "%s\n    %s" % (t(self.lang, "checker_failed", name=exercise.name), error)
            self.events.put(Done(job, shown))
        state.worker = threading.Thread(target=run, daemon=True)
        state.worker.start()
        self.draw()

    def stop_check(self):
        """Cancels the check under way and waits for it: its programs and
        servers are stopped before we go on."""
        state = self.state
        state.cancel.set()
        if state.worker is not None:
            state.worker.join(30)
        state.worker = None

    # --- the screen, drawn from the state

    def title(self):
        state = self.state
        if state.busy:
            what = t(self.lang, "checking", stamp=datetime.datetime.now().strftime("%H:%M:%S"))
        else:
            what = t(self.lang, "checked", t=state.finished, s=state.took, why=t(self.lang, state.why))
        return "./lab watch · %s · %s\n%s" % (state.exercise.name, what, progress_line(self.exercises, self.lang))

    def draw(self):
        state = self.state
        if self.tty:
            # The whole screen from the state: the verdict, the hint asked
            # for (one at a time, in place of the last), the keys.
            out = [clear_screen() + bold(self.title())]
            if not state.busy:
                out.append(state.shown)
                if state.hint:
                    out += ["", hint_text(state.exercise, state.hint, self.lang, in_watch=True)]
                out += ["", t(self.lang, "keys"), t(self.lang, "saving")]
            sys.stdout.write("\n".join(out) + "\n")
        elif state.busy:
            sys.stdout.write("=" * 8 + " " + self.title() + "\n")
        sys.stdout.flush()

    def show_result(self):
        """Through a pipe: the verdict once, then each hint as it is asked for."""
        if self.tty:
            self.draw()
            return
        state = self.state
        print("=" * 8 + " " + self.title())
        print(state.shown)
        print()
        print(t(self.lang, "keys"))
        print(t(self.lang, "saving"))
        sys.stdout.flush()

    # --- the loop

    def handle(self, event):
        """One event; False to end the watch."""
        state = self.state
        match event:
            case Saved(path=path):
                parts = os.path.relpath(path, self.folder).split(os.sep)
                other = next((e for e in self.exercises if parts and e.name == parts[0]), None)
                if other is not None and other is not state.exercise:
                    state.exercise, state.hint = other, 0
                state.pending = state.saved = time.monotonic()
            case Done(job=job, shown=shown) if job == state.job:
                since = state.saved if state.why == "by_save" and state.saved else state.started
                state.busy, state.shown, state.took = False, shown, time.monotonic() - since
                state.finished = datetime.datetime.now().strftime("%H:%M:%S")
                state.worker = None
                self.show_result()
            case Done():
                pass  # a check that was cancelled: what it found is not needed
            case Key(key="q"):
                return False
            case Key(key="h"):
                count = len(hints_of(state.exercise))
                state.hint = state.hint % count + 1  # after the last, the first again
                if self.tty:
                    self.draw()
                elif not state.busy:
                    print()
                    print(hint_text(state.exercise, state.hint, self.lang, in_watch=True))
                    sys.stdout.flush()
            case Key(key="r"):
                self.start("by_key")
            case Key(key="n"):
                at = self.exercises.index(state.exercise)
                state.exercise, state.hint = self.exercises[(at + 1) % len(self.exercises)], 0
                self.start("by_key")
        if state.pending is not None and time.monotonic() - state.pending >= DEBOUNCE:
            state.pending = None
            self.start("by_save")
        return True

    def run(self):
        observer = start_observer(self.folder, self.events, self.lang)
        keys = Keys(self.events, Key, InputClosed)
        try:
            with keys:
                self.start("by_start")
                while True:
                    wait = None if self.state.pending is None else \
                        max(0.0, self.state.pending + DEBOUNCE - time.monotonic())
                    try:
                        event = self.events.get(timeout=wait)
                    except queue.Empty:
                        event = None  # the debounce is over
                    if not self.handle(event):
                        return 0
        except KeyboardInterrupt:
            return 0
        finally:
            self.stop_check()
            observer.stop()
            print()


def watch(exercises, exercise, build, lang, program=None, folder=None):
    # A closed terminal (SIGHUP) or a kill ends the watch like `q` does:
    # the check under way, its programs and its servers go too.
    def interrupt(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGHUP, interrupt)
    signal.signal(signal.SIGTERM, interrupt)
    progress.hint_level(exercise.name)
    return Watch(exercises, exercise, build, lang, program, folder).run()
