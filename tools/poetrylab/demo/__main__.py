"""python3 -m poetrylab.demo [OPTIONS]: ./lab demo (see __init__.py; the
options: captions.py's usage)."""
import argparse
import math
import os
import select
import shutil
import subprocess
import sys
import tempfile

from poetrylab import demo, messages
from poetrylab.command import Command
from poetrylab.demo import CLIENTS, echo, heading, human_bytes, narrow, stops, t, was_stopped
from poetrylab.demo.figures import draw_doread, draw_timeline, write_combined_trace
from poetrylab.demo.run import RACERS, race, run_client
from poetrylab.demo.table import print_table, server_times
from poetrylab.manifest import ROOT
from poetrylab.messages import pick_lang
from poetrylab.processes import reader_may_leave
from poetrylab.servers import ServerError, SlowServer, write_saga
from poetrylab.terminal import Quiet, Style, theme_of
from poetrylab.text import pad


def parse_args(argv):
    """The demo's options (see captions.py's usage): every mistake answered
    in the class's language, exit status 1."""
    lang = pick_lang(take_lang(argv))
    demo.LANG = lang
    if "-h" in argv or "--help" in argv:
        print(t("usage"))
        sys.exit(0)
    command = Command(lang, messages.t(lang, "see_demo_help"),
                      flags={"--fast", "--saga", "--ask", "--step", "--race", "--pause", "--any-port"},
                      valued={"--out", "--build", "--delay", "--only", "--theme"})
    options, _ = command.parse(argv)
    args = argparse.Namespace(lang=lang, build=options.get("--build", os.path.join(ROOT, "build")),
                              out=options.get("--out"), delay=options.get("--delay"),
                              only=options.get("--only"), theme=options.get("--theme"))
    for flag in ("fast", "saga", "ask", "step", "race", "pause", "any_port"):  # --any-port: the tests'
        setattr(args, flag, bool(options.get("--" + flag.replace("_", "-"))))
    if args.delay is not None:
        try:
            seconds = float(args.delay)
        except ValueError:
            seconds = -1.0
        if not (math.isfinite(seconds) and 0.001 <= seconds <= 10):
            command.fail(t("bad_delay", value=args.delay))
    if args.only not in (None, "blocking", "reactor", "broken"):
        command.fail(t("bad_only", value=args.only))
    if args.theme not in (None, "light", "dark"):
        command.fail(t("bad_theme", value=args.theme))
    if args.step and args.only == "blocking":
        command.fail(t("no_step_blocking"))
    if args.race:
        for option in ("only", "step", "ask"):
            if getattr(args, option):
                command.fail(t("race_with", option="--" + option))
    return args


def take_lang(argv):
    """--lang en|ko taken out of `argv` (None when it is not there)."""
    for i, word in enumerate(argv):
        if word == "--lang" or word.startswith("--lang="):
            value = word.split("=", 1)[1] if "=" in word else (argv[i + 1] if i + 1 < len(argv) else "")
            del argv[i:i + (1 if "=" in word else 2)]
            if value not in ("en", "ko"):
                lang = pick_lang()
                Command(lang, messages.t(lang, "see_demo_help")).fail(messages.t(lang, "bad_lang", value=value))
            return value
    return None


def ask(style):
    """The class's guess, in seconds; None for no guess (Enter, or the end
    of stdin). Asked again when the answer is not a number of seconds."""
    # What was typed before the question (while the last client ran, or
    # while its results were printed) is not an answer.
    Quiet().flush()
    for _ in range(3):
        sys.stdout.write(style("1", t("ask")))
        sys.stdout.flush()
        line = sys.stdin.readline()
        if not line:
            print()
            return None
        if not line.strip():
            return None
        try:
            value = float(line.strip().replace(",", "."))
        except ValueError:
            value = None
        if value is not None and math.isfinite(value) and value >= 0:
            return value
        print(t("not_a_guess", text=line.strip()))
    return None


class Keyboard:
    """Our stdin, shared by the clients stepped through one after another:
    once it has ended (or q was typed), the next client runs on freely."""
    fd = None if sys.stdin is None else sys.stdin.fileno()


class Turns:
    """Where the instructor's Enters go, one per turn. On a terminal, the
    client's stdin is a terminal of its own (a pty), so that its step mode
    throws away the Enters pressed while a turn still runs (lib/step.cpp:
    the broken client's doRead can hold one for seconds), as it does when
    run by hand; through a pipe, a pipe, every line a turn."""

    def __init__(self):
        self.master = None
        if Keyboard.fd is not None and os.isatty(Keyboard.fd):
            import termios
            self.master, slave = os.openpty()
            attrs = termios.tcgetattr(slave)
            attrs[3] &= ~termios.ECHO  # nobody reads its echo
            termios.tcsetattr(slave, termios.TCSANOW, attrs)
            self.stdin = slave
        else:
            self.stdin = subprocess.PIPE
        self.open = Keyboard.fd is not None

    def started(self, proc):
        self.proc = proc
        if self.master is not None:
            os.close(self.stdin)
        elif not self.open:
            proc.stdin.close()

    def enter(self):
        """One Enter to the client; False once it can take no more."""
        try:
            if self.master is not None:
                os.write(self.master, b"\n")
            else:
                self.proc.stdin.write(b"\n")
            return True
        except OSError:  # it has ended (BrokenPipeError, or EIO on the pty)
            return False

    def close(self):
        """The end of the client's stdin: it runs on freely."""
        if self.open:
            self.open = False
            if self.master is not None:
                os.close(self.master)
            else:
                self.proc.stdin.close()


def step_through(key, program, servers, style):
    """--step: a client with a reactor, one turn at a time, one Enter per
    turn (the broken client's turns hold the loop for a whole poem)."""
    heading(style, t(key))
    echo(t("step_intro" if key == "reactor" else "step_intro_broken"))
    path = os.path.relpath(program, os.path.dirname(os.path.dirname(program)))
    print(style("1", "$ build/%s --step %s" % (path, " ".join(str(s.port) for s in servers))))
    turns = Turns()
    # Unbuffered (bufsize=0): an Enter we forward goes at once, and one the
    # client can no longer take fails there and then, not later on a flush.
    proc = subprocess.Popen([program, "--step"] + [str(s.port) for s in servers], stdin=turns.stdin,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, bufsize=0)
    turns.started(proc)
    out = proc.stdout.fileno()
    typed, shown = b"", b""  # the starts of lines still to come, from the class and from the client
    with Quiet():  # the Enters are not echoed between the client's lines
        while True:
            keys = Keyboard.fd if turns.open else None
            ready, _, _ = select.select([out] + ([keys] if keys is not None else []), [], [])
            if keys is not None and keys in ready:
                # os.read, not sys.stdin.readline(): through a pipe several
                # lines come at once, and readline would keep all but the
                # first in Python's buffer, where select() never sees them.
                data = os.read(keys, 1024)
                *lines, typed = (typed + data).split(b"\n")
                forwarding = bool(data)  # the end of our stdin: the end of the turns
                if not data:
                    Keyboard.fd = None
                for line in lines:
                    if line.strip().lower() == b"q" or not turns.enter():
                        forwarding = False
                        break
                if not forwarding:
                    turns.close()
            if out in ready:
                data = os.read(out, 65536)
                if not data:
                    break
                *complete, shown = (shown + data).split(b"\n")
                for raw in complete:
                    line = raw.decode(errors="replace")
                    print("  " + (style("1;7", line) if line.startswith("step ") else line))
                    sys.stdout.flush()
    turns.close()
    print()
    return proc.wait()


def wait_for_enter(style):
    """--pause: the next client starts when the instructor presses Enter
    (at once through a pipe that has ended)."""
    Quiet().flush()  # keys pressed while the last one ran are not this Enter
    sys.stdout.write(style("1", t("pause")))
    sys.stdout.flush()
    with Quiet() as keys:  # on a terminal, what is typed meanwhile does not show
        if keys.fd is None:
            sys.stdin.readline()
            print()
            return
        while os.read(keys.fd, 1) not in (b"", b"\n", b"\r"):
            pass
    # The prompt goes: the client's command line follows its heading.
    sys.stdout.write("\r\033[K")
    sys.stdout.flush()


def start_servers(program, specs, ports, style, quiet=False):
    """The three servers, each on its port, or on a free one when that is
    taken (said so): a class often has one left from last time."""
    servers = []
    for want, (poem, options) in zip(ports, specs):
        try:
            server = SlowServer(program, poem, *options, port=want)
        except ServerError as error:
            if "Address already in use" not in error.stderr or want == 0:
                sys.exit("lab demo: the server for %s did not start: %s" % (poem, error))
            server = SlowServer(program, poem, *options)
            if not quiet:
                print(t("taken", want=want, port=server.port))
        servers.append(server)
    return servers


def scenario(args, work):
    """The poems (with their servers' options), the chunk sizes, the delay."""
    if args.saga:
        heading(style_of(args), t("sagas"))
        names = ("saga-one.txt", "saga-two.txt", "saga-three.txt")
        poems = [write_saga(os.path.join(work, n), 48 * 1024 * 1024, i) for i, n in enumerate(names, 1)]
        print()
        delay, chunk = args.delay or ("0.005" if args.fast else "0.02"), 256 * 1024
        return [(p, ["--num-bytes", str(chunk), "--delay", delay]) for p in poems], [chunk] * 3, delay
    poetry = os.path.join(ROOT, "poetry")
    delay = args.delay or ("0.01" if args.fast else "0.1")
    return ([(os.path.join(poetry, "ecstasy.txt"), ["--num-bytes", "30", "--delay", delay]),
             (os.path.join(poetry, "fascination.txt"), ["--delay", delay]),
             (os.path.join(poetry, "science.txt"), ["--delay", delay])], [30, 10, 10], delay)


def style_of(args):
    return Style(sys.stdout.isatty(), theme_of(args.theme))


def main():
    args = parse_args(sys.argv[1:])
    # Lines stream as they happen, through a pipe too, whatever the
    # environment: the chapter's output is about when things happen.
    sys.stdout.reconfigure(line_buffering=True)
    style = style_of(args)
    stops.install()
    work = tempfile.mkdtemp(prefix="poetry-lab-demo-")
    servers, others = [], []
    try:
        specs, chunks, delay = scenario(args, work)
        sizes = [os.path.getsize(p) for p, _ in specs]
        alone = server_times(sizes, chunks, float(delay))
        slowest, total = max(alone), sum(alone)
        # A heartbeat slower than the servers' delay, so that it is only ever
        # late when something holds the loop.
        heartbeat = max(float(delay), 0.05)
        # A callback holding the loop longer than this is a hold (ten times
        # shorter with --fast, as the delay is): see ClientRun.
        slow = max(0.05, 5 * float(delay)) if args.delay else 0.05 if args.fast else 0.5

        servers_title = "servers_saga" if args.saga else "servers_fast" if args.fast else "servers"
        heading(style, t(servers_title, delay=delay))
        program = os.path.join(args.build, "slow-server", "slowpoetry")
        servers = start_servers(program, specs, (0, 0, 0) if args.any_port else (10000, 10001, 10002), style)
        for server, (poem, _), size, chunk, seconds in zip(servers, specs, sizes, chunks, alone):
            # Narrower than 80 columns: without the chunks (each server's
            # time alone says what they add up to).
            print(t("server_line_narrow" if narrow() else "server_line", port=server.port, poem=pad(os.path.basename(poem), 16),
                    size=pad(human_bytes(size), 10, right=True), chunk=chunk, alone=seconds))
        if args.race:  # the broken client's own three: the kernel's queues are not shared
            others = start_servers(program, specs, (0, 0, 0) if args.any_port else (10003, 10004, 10005),
                                   style, quiet=True)
            echo(t("race_servers", ports=" :".join(str(s.port) for s in others)))
        if not args.ask:  # with --ask the class works it out
            echo(t("alone", slowest=slowest, total=total))
        # A long --delay makes a long lesson: say so before it starts.
        chosen = [key for key, _ in CLIENTS if args.only in (None, key)]
        length = slowest if args.race else sum(total if key == "blocking" else slowest for key in chosen)
        if length > 180 and not args.step:
            echo(t("long_run", minutes=length / 60))
        print()

        if args.step:
            statuses = [step_through(key, os.path.join(args.build, path), servers, style)
                        for key, path in CLIENTS if key != "blocking" and args.only in (None, key)]
            sys.exit(max(statuses))

        results, traces, sends, guesses = [], {}, {}, {}
        if args.race:
            heading(style, t("race"))
            for key, _ in RACERS:
                traces[key] = os.path.join(work, "%s.trace.json" % key)
            results = race(args.build, (servers, others), sizes, style, traces, heartbeat, slow)
            for result, own in zip(results, (servers, others)):
                sends[result["key"]] = [(s.port, s.sends(result["start"], result["end"])) for s in own]
            print()
        for key, path in CLIENTS if not args.race else []:
            if args.only not in (None, key):
                continue
            heading(style, t(key + "_ask" if args.ask else key))
            if args.ask:
                guesses[key] = ask(style)
            elif args.pause:
                wait_for_enter(style)
            traces[key] = os.path.join(work, "%s.trace.json" % key)
            result = run_client(key, args.build, path, servers, sizes, style, traces[key],
                                heartbeat, slow)
            results.append(result)
            sends[key] = [(s.port, s.sends(result["start"], result["end"])) for s in servers]
            if args.ask and guesses[key] is not None:
                print(t("guessed", guess=guesses[key], took=result["took"]))
            print()
        print_table(results, slowest, total, style, {k: v for k, v in guesses.items() if v is not None},
                    title="numbers" if args.only else "side_by_side")
        print()
        # A run stopped on the way (Ctrl-Z) shows nothing of the chapter's;
        # one client alone is compared with its servers, not the others.
        if any(was_stopped(r) for r in results):
            echo(t("notice_stopped"))
        elif args.only:
            key = "notice_only_" + args.only + ("_saga" if args.saga and args.only == "broken" else "")
            echo(t(key, slowest=slowest, total=total))
        else:
            echo(t("notice_race" if args.race else "notice_saga" if args.saga else "notice"))
        if args.out:
            draw(args, results, traces, sends)
    finally:
        SlowServer.stop_all(servers + others)
        shutil.rmtree(work, ignore_errors=True)


def draw(args, results, traces, sends):
    """--out DIR: the timeline, Figure 7 and the Perfetto traces."""
    os.makedirs(args.out, exist_ok=True)
    for key, trace in traces.items():
        shutil.copy(trace, os.path.join(args.out, "%s.trace.json" % key))
    timeline = os.path.join(args.out, "timeline.svg")
    draw_timeline(results, traces, sends, timeline, "Part 4, %s: %s" % (
        "epic sagas" if args.saga else "the chapter's poems",
        ", ".join("%s %.1f s" % (r["key"], r["took"]) for r in results)))
    print()
    print(t("timeline", path=timeline))
    if "reactor" in traces:
        figure7 = os.path.join(args.out, "reactor-doread.svg")
        draw_doread(traces["reactor"], figure7)
        print(t("figure7", path=figure7))
    combined = os.path.join(args.out, "demo.trace.json")
    write_combined_trace(traces, combined)
    for path in [os.path.join(args.out, "%s.trace.json" % key) for key in traces] + [combined]:
        print(t("trace", path=path))
    print(t("perfetto"))


if __name__ == "__main__":
    try:
        with reader_may_leave():
            main()
    except KeyboardInterrupt:
        print()
        print(t("stopped"))
        sys.exit(130)
