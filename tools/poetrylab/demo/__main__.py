"""python3 -m poetrylab.demo [--fast] [--saga] [--out DIR] [--ask] [--step]:
./lab demo (see __init__.py)."""
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
from poetrylab.demo import CLIENTS, human_bytes, t
from poetrylab.demo.figures import draw_doread, draw_timeline, write_combined_trace
from poetrylab.demo.run import run_client
from poetrylab.demo.table import print_table, server_times
from poetrylab.manifest import ROOT
from poetrylab.messages import pick_lang
from poetrylab.processes import reader_may_leave
from poetrylab.servers import ServerError, SlowServer, write_saga
from poetrylab.terminal import Quiet, Style


def parse_args(argv):
    """The demo's options (see the catalog's demo_usage): every mistake
    answered in the class's language, exit status 1."""
    lang = pick_lang(take_lang(argv))
    if "-h" in argv or "--help" in argv:
        print(messages.t(lang, "demo_usage"))
        sys.exit(0)
    command = Command(lang, messages.t(lang, "see_demo_help"),
                      flags={"--fast", "--saga", "--ask", "--step", "--any-port"},
                      valued={"--out", "--build"})
    options, _ = command.parse(argv)
    args = argparse.Namespace(lang=lang, build=options.get("--build", os.path.join(ROOT, "build")),
                              out=options.get("--out"))
    for flag in ("fast", "saga", "ask", "step", "any_port"):  # --any-port: the tests' (port 0 only)
        setattr(args, flag, bool(options.get("--" + flag.replace("_", "-"))))
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


def step_through(program, servers, style):
    """--step: the reactor client one turn at a time, one Enter per turn."""
    print(style("1", "== %s ==" % t("reactor")))
    print(t("step_intro"))
    print(style("1", "$ build/async-client/get-poetry --step " + " ".join(str(s.port) for s in servers)))
    # Unbuffered (bufsize=0): an Enter we forward goes at once, and one the
    # client can no longer take fails there and then, not later on a flush.
    proc = subprocess.Popen([program, "--step"] + [str(s.port) for s in servers], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, bufsize=0)
    keys, out = sys.stdin.fileno(), proc.stdout.fileno()
    typed, shown = b"", b""  # the starts of lines still to come, from the class and from the client
    while True:
        ready, _, _ = select.select([out] + ([keys] if keys is not None else []), [], [])
        if keys in ready:
            # os.read, not sys.stdin.readline(): through a pipe several lines
            # come at once, and readline would keep all but the first in
            # Python's buffer, where select() never sees them.
            data = os.read(keys, 1024)
            *lines, typed = (typed + data).split(b"\n")
            forwarding = bool(data)  # the end of our stdin: the end of the turns
            for line in lines:
                if line.strip().lower() == b"q":
                    forwarding = False
                    break
                try:
                    proc.stdin.write(b"\n")  # one Enter, one turn
                except BrokenPipeError:  # it has ended: nobody to forward to
                    forwarding = False
                    break
            if not forwarding:
                proc.stdin.close()  # the end of its stdin: it runs on freely
                keys = None
        if out in ready:
            data = os.read(out, 65536)
            if not data:
                break
            *complete, shown = (shown + data).split(b"\n")
            for raw in complete:
                line = raw.decode(errors="replace")
                print("  " + (style("1;7", line) if line.startswith("step ") else line))
    return proc.wait()


def main():
    args = parse_args(sys.argv[1:])
    demo.LANG = args.lang
    # Lines stream as they happen, through a pipe too, whatever the
    # environment: the chapter's output is about when things happen.
    sys.stdout.reconfigure(line_buffering=True)
    style = Style(sys.stdout.isatty())
    work = tempfile.mkdtemp(prefix="poetry-lab-demo-")
    servers = []
    try:
        poetry = os.path.join(ROOT, "poetry")
        if args.saga:
            print(style("1", "== %s ==" % t("sagas")))
            names = ("saga-one.txt", "saga-two.txt", "saga-three.txt")
            poems = [write_saga(os.path.join(work, n), 48 * 1024 * 1024, i) for i, n in enumerate(names, 1)]
            print()
            delay, chunk = ("0.005" if args.fast else "0.02"), 256 * 1024
            specs = [(p, ["--num-bytes", str(chunk), "--delay", delay]) for p in poems]
            chunks = [chunk] * 3
        else:
            delay = "0.01" if args.fast else "0.1"
            specs = [(os.path.join(poetry, "ecstasy.txt"), ["--num-bytes", "30", "--delay", delay]),
                     (os.path.join(poetry, "fascination.txt"), ["--delay", delay]),
                     (os.path.join(poetry, "science.txt"), ["--delay", delay])]
            chunks = [30, 10, 10]
        sizes = [os.path.getsize(p) for p, _ in specs]
        alone = server_times(sizes, chunks, float(delay))
        slowest, total = max(alone), sum(alone)
        # A heartbeat slower than the servers' delay, so that it is only ever
        # late when something holds the loop.
        heartbeat = max(float(delay), 0.05)
        # A callback holding the loop longer than this is a hold (ten times
        # shorter with --fast, as the delay is): see ClientRun.
        slow = 0.05 if args.fast else 0.5

        heading = "servers_saga" if args.saga else "servers_fast" if args.fast else "servers"
        print(style("1", "== %s ==" % t(heading, delay=delay)))
        program = os.path.join(args.build, "slow-server", "slowpoetry")
        for want, (poem, options), size, chunk, seconds in zip(
                (0, 0, 0) if args.any_port else (10000, 10001, 10002), specs, sizes, chunks, alone):
            try:
                server = SlowServer(program, poem, *options, port=want)
            except ServerError as error:
                if "Address already in use" not in error.stderr or want == 0:
                    sys.exit("lab demo: the server for %s did not start: %s" % (poem, error))
                server = SlowServer(program, poem, *options)
                print(t("taken", want=want, port=server.port))
            servers.append(server)
            print(t("server_line", port=server.port, poem=os.path.basename(poem), size=human_bytes(size),
                    chunk=chunk, alone=seconds))
        if not args.ask:  # with --ask the class works it out
            print(t("alone", slowest=slowest, total=total))
        print()

        if args.step:
            status = step_through(os.path.join(args.build, "async-client", "get-poetry"), servers, style)
            sys.exit(status)

        results, traces, sends, guesses = [], {}, {}, {}
        for key, path in CLIENTS:
            print(style("1", "== %s ==" % t(key + "_ask" if args.ask else key)))
            if args.ask:
                guesses[key] = ask(style)
            traces[key] = os.path.join(work, "%s.trace.json" % key)
            result = run_client(key, args.build, path, servers, sizes, style, traces[key],
                                heartbeat, slow)
            results.append(result)
            sends[key] = [(s.port, s.sends(result["start"], result["end"])) for s in servers]
            if args.ask and guesses[key] is not None:
                print(t("guessed", guess=guesses[key], took=result["took"]))
            print()
        print_table(results, slowest, total, style, {k: v for k, v in guesses.items() if v is not None})
        print()
        print(t("notice_saga" if args.saga else "notice"))

        if args.out:
            os.makedirs(args.out, exist_ok=True)
            for key, trace in traces.items():
                shutil.copy(trace, os.path.join(args.out, "%s.trace.json" % key))
            timeline = os.path.join(args.out, "timeline.svg")
            draw_timeline(results, traces, sends, timeline, "Part 4, %s: %s" % (
                "epic sagas" if args.saga else "the chapter's poems",
                ", ".join("%s %.1f s" % (r["key"], r["took"]) for r in results)))
            figure7 = os.path.join(args.out, "reactor-doread.svg")
            draw_doread(traces["reactor"], figure7)
            combined = os.path.join(args.out, "demo.trace.json")
            write_combined_trace(traces, combined)
            print()
            print(t("timeline", path=timeline))
            print(t("figure7", path=figure7))
            for path in [os.path.join(args.out, "%s.trace.json" % key) for key in traces] + [combined]:
                print(t("trace", path=path))
            print(t("perfetto"))
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    try:
        with reader_may_leave():
            main()
    except KeyboardInterrupt:
        print()
        print(t("stopped"))
        sys.exit(130)
