"""python3 -m poetrylab.build BUILD [TARGET...]: the build before ./lab
demo, servers, check and watch, which is never a blank screen.

Up to date (the common case): nothing is printed. Otherwise one line saying
what is built, then ninja's counter, "building: 37/118 (21 s) Compiling
lib/reactor.cpp": on a terminal one line rewritten in place, cut to the
terminal's width (read again at each redraw: it may be resized), that ends
as "built (52 s)"; through a pipe a line at the first step and at each
quarter, then "built (52 s)". The compiler's messages are kept aside, and
shown whole if the build fails (exit status 1)."""
import os
import re
import select
import signal
import subprocess
import sys
import time

from poetrylab.messages import pick_lang, say
from poetrylab.terminal import fit, width

# ninja's status line as we ask for it (NINJA_STATUS): "[lab-progress 3/118] ..."
MARK = "[lab-progress "
STATUS = re.compile(r"^\[lab-progress (\d+)/(\d+)\] ?(.*)$")
FIRST = ("Building the lab for the first time (later runs skip this).",
         "처음이라 실습을 빌드합니다 (다음부터는 건너뜁니다).")


def step_name(description, lang):
    """A step of ninja's, said short: "Compiling C++ object
    lib/liblab.a.p/reactor.cpp.o" is "Compiling lib/reactor.cpp"."""
    for start, en, ko in (("Compiling C++ object ", "Compiling", "컴파일"),
                          ("Linking static target ", "Linking", "링크"),
                          ("Linking target ", "Linking", "링크"),
                          ("Generating ", "Generating", "생성")):
        if description.startswith(start):
            path = description[len(start):]
            if start == "Generating ":
                path = path.split(" ")[0]
            object_file = re.match(r"^(.*/)?[^/]+\.p/(.+)\.o$", path)
            if object_file:  # an object in meson's private folder: the source it comes from
                source = object_file.group(2)
                source = source[len("meson-generated_"):] if source.startswith("meson-generated_") else source
                source = source[len(".._"):] if source.startswith(".._") else source
                path = (object_file.group(1) or "") + source
            return say(lang, en, ko) + " " + path
    return description


def built_before(log):
    """Whether ninja's log holds any step (a fresh one holds a header)."""
    try:
        with open(log) as handle:
            return len(handle.readlines()) > 1
    except OSError:
        return False


class Progress:
    """The one line that says how far the build is."""

    def __init__(self, lang):
        self.lang = lang
        self.tty = sys.stdout.isatty() and os.environ.get("TERM", "dumb") != "dumb"
        self.open = False
        self.started = time.monotonic()

    def seconds(self):
        return say(self.lang, "{n} s", "{n}초", n=int(time.monotonic() - self.started))

    def show(self, text):
        if not self.tty:
            print(text, flush=True)
            return
        # One column to spare: a line that wrapped could not be rewritten.
        sys.stdout.write("\r" + fit(text, width() - 1) + "\033[K")
        sys.stdout.flush()
        self.open = True

    def clear(self):
        if self.open:
            sys.stdout.write("\r\033[K")
            sys.stdout.flush()
            self.open = False


def configure(build, progress):
    """meson setup, named before it runs; its messages only if it fails."""
    progress.show(say(progress.lang, "configuring: meson setup {build}", "설정: meson setup {build}", build=build))
    setup = subprocess.run(["meson", "setup", build], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if setup.returncode != 0:
        progress.clear()
        sys.stderr.write(setup.stdout)
        sys.exit(1)


def main(argv):
    build, targets = argv[0], argv[1:]
    lang = pick_lang()
    progress = Progress(lang)
    for signum, status in ((signal.SIGINT, 130), (signal.SIGTERM, 143)):
        # Ctrl-C reaches ninja too (our process group); the line goes with us.
        signal.signal(signum, lambda *_, status=status: (progress.clear(), os._exit(status)))
    env = dict(os.environ, NINJA_STATUS=MARK + "%f/%t] ")
    log = os.path.join(build, ".ninja_log")
    first = not os.path.isfile(os.path.join(build, "build.ninja"))
    if first:
        print(say(lang, *FIRST), flush=True)
        configure(build, progress)
    # A dry run (a few milliseconds) says whether there is anything to do,
    # and how many steps.
    plan = subprocess.run(["ninja", "-C", build, "-n"] + targets, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True).stdout
    counted = re.search(r"\[lab-progress \d+/(\d+)\]", plan)
    total = counted.group(1) if counted else None
    if "ninja: no work to do." in plan and not first:
        return 0
    if not first:
        # Configured, but nothing built yet: still the first time.
        if not built_before(log):
            print(say(lang, *FIRST), flush=True)
        elif total:
            print(say(lang, "Bringing the lab's build up to date ({n} steps).",
                      "실습 빌드를 최신으로 맞춥니다 ({n}단계).", n=total), flush=True)
        else:
            print(say(lang, "Bringing the lab's build up to date.", "실습 빌드를 최신으로 맞춥니다."), flush=True)

    label = say(lang, "building:", "빌드:")
    if progress.tty:
        progress.show("%s 0/%s (%s)" % (label, total or "?", progress.seconds()))
    # The compiler's colours kept, for a failure shown on a terminal.
    if sys.stderr.isatty():
        env["CLICOLOR_FORCE"] = "1"
    ninja = subprocess.Popen(["ninja", "-C", build] + targets, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT)
    output, pending, done, step, quarter, shown = [], b"", 0, "", 0, False
    while True:
        ready, _, _ = select.select([ninja.stdout], [], [], 1.0)
        if not ready:  # a second passed: the time on the line
            if progress.tty:
                progress.show("%s %d/%s (%s) %s" % (label, done, total or "?", progress.seconds(), step))
            continue
        data = os.read(ninja.stdout.fileno(), 65536)
        if not data:
            break
        *lines, pending = (pending + data).split(b"\n")
        for raw in lines:
            line = raw.decode(errors="replace")
            status = STATUS.match(line)
            if status is None:
                if not line.startswith("ninja: Entering directory"):
                    output.append(line)
                continue
            done, total = int(status.group(1)), status.group(2)
            step = step_name(status.group(3), lang)
            text = "%s %d/%s (%s) %s" % (label, done, total, progress.seconds(), step)
            if progress.tty:
                progress.show(text)
            elif done < int(total) and (not shown or 4 * done // int(total) > quarter):
                progress.show(text)  # through a pipe: the first step, then each quarter
                quarter, shown = 4 * done // int(total), True
    output.append(pending.decode(errors="replace"))
    progress.clear()
    if ninja.wait() == 0:
        print(say(lang, "built ({secs})", "빌드 완료 ({secs})", secs=progress.seconds()), flush=True)
        return 0
    sys.stderr.write("\n".join(output).rstrip("\n") + "\n")
    sys.stderr.write(say(lang, "lab: the build failed (the compiler's messages are above)",
                         "lab: 빌드에 실패했습니다 (컴파일러의 메시지는 위에 있습니다)") + "\n")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
