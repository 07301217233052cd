"""./lab bench: the chapter's claims as ratios, measured side by side in one
run on this machine, plus what a C++ port should also deliver (throughput
against socat, 1,000 servers, memory).

Each pair is measured alternately and the best of several runs is kept, so
that a noisy moment on the machine does not decide a row. Standard library
only; ./lab builds the release programs first.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

from poetrylab.manifest import ROOT
from poetrylab.processes import die_with_parent, free_port, reader_may_leave
from poetrylab.servers import ServerError, SlowServer, write_saga


def parse_args():
    parser = argparse.ArgumentParser(prog="./lab bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, smaller inputs (< 2 min)")
    parser.add_argument("--json", metavar="FILE", help="also write the rows to FILE")
    parser.add_argument("--build", default=os.path.join(ROOT, "build-release"), help=argparse.SUPPRESS)
    # For ./lab test: tiny inputs, one run each, only to check the table's form.
    parser.add_argument("--tiny", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


class Bench:
    def __init__(self, args):
        self.args = args
        self.build = args.build
        self.work = tempfile.mkdtemp(prefix="poetry-lab-bench-")
        self.servers = []
        self.rows = []
        if args.tiny:
            self.runs, self.delay, self.saga_mib, self.big_mib, self.many = 1, 0.002, 1, 2, 20
        elif args.quick:
            self.runs, self.delay, self.saga_mib, self.big_mib, self.many = 2, 0.01, 32, 256, 1000
        else:
            self.runs, self.delay, self.saga_mib, self.big_mib, self.many = 5, 0.02, 48, 256, 1000

    def program(self, path):
        return os.path.join(self.build, path)

    # --- servers ---------------------------------------------------------

    def server(self, poem, num_bytes=10, delay=None):
        """A slowpoetry on port 0; its chatter goes to a file nobody reads."""
        log = os.path.join(self.work, "server-%d.log" % len(self.servers))
        try:
            server = SlowServer(self.program("slow-server/slowpoetry"), poem, "--num-bytes",
                                str(num_bytes), "--delay", str(self.delay if delay is None else delay),
                                log=log, timeout=30)
        except ServerError as error:
            sys.exit("lab bench: a server did not start: %s" % error)
        self.servers.append(server)  # stopped at the end whatever happens next
        return server.port

    def stop_servers(self):
        SlowServer.stop_all(self.servers)  # all at once: 1,000 of them stop in parallel
        self.servers = []

    # --- measuring -------------------------------------------------------

    def run(self, args):
        """Wall seconds, CPU seconds and peak RSS (bytes) of one run.

        CPU and RSS come from GNU time, not from our own wait4(): a child of
        this Python process would count Python's memory (from before its
        exec) in its peak RSS."""
        usage_file = os.path.join(self.work, "usage")
        start = time.monotonic()
        proc = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", "-o", usage_file] + args,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wall = time.monotonic() - start
        if proc.returncode != 0:
            sys.exit("lab bench: %s failed (%d): %s" % (" ".join(args[:3]), proc.returncode,
                                                        proc.stderr.decode().strip()))
        user, system, max_kib = open(usage_file).read().split()[-3:]
        return {"wall": wall, "cpu": float(user) + float(system), "rss": int(max_kib) * 1024}

    def best_of(self, *commands):
        """Runs the commands in turn, `runs` times over; the best of each."""
        best = [None] * len(commands)
        for _ in range(self.runs):
            for i, command in enumerate(commands):
                result = self.run(command)
                if best[i] is None or result["wall"] < best[i]["wall"]:
                    best[i] = result
        return best

    @staticmethod
    def better(best, result):
        return result if best is None or result["wall"] < best["wall"] else best

    def row(self, name, measure, ours, reference, ratio, goal, met, unit="s", note=""):
        self.rows.append({"row": name, "measure": measure, "ours": ours, "reference": reference,
                          "ratio": ratio, "goal": goal, "met": bool(met), "unit": unit,
                          "note": note})

    # --- the rows ----------------------------------------------------------

    def chapter(self):
        poetry = os.path.join(ROOT, "poetry")
        specs = [("ecstasy.txt", 30), ("fascination.txt", 10), ("science.txt", 10)]
        ports = [self.server(os.path.join(poetry, f), n) for f, n in specs]
        p = [str(port) for port in ports]
        client = self.program("async-client/get-poetry")
        quiet = ["--quiet"]
        alone = [[client] + quiet + [port] for port in p]
        async_, select, broken, blocking, *alone_best = self.best_of(
            [client] + quiet + p, [self.program("async-client/get-poetry-select")] + quiet + p,
            [self.program("broken-client/get-poetry-broken")] + quiet + p,
            [self.program("blocking-client/get-poetry")] + quiet + p, *alone)
        slowest = max(r["wall"] for r in alone_best)
        total = sum(r["wall"] for r in alone_best)
        label = "chapter poems, delay %g s" % self.delay
        r = async_["wall"] / slowest
        self.row(label, "async / slowest server alone", async_["wall"], slowest, r, "<= 1.02", r <= 1.02)
        r = select["wall"] / slowest
        self.row(label, "select / slowest server alone", select["wall"], slowest, r, "<= 1.02", r <= 1.02)
        r = blocking["wall"] / total
        self.row(label, "blocking / sum of the servers alone", blocking["wall"], total, r,
                 "0.98 - 1.02", 0.98 <= r <= 1.02)
        r = broken["wall"] / async_["wall"]
        self.row(label, "broken / async", broken["wall"], async_["wall"], r, "<= 1.05", r <= 1.05)
        self.stop_servers()

    def chapter_cpu(self):
        """The chapter's own run (delay 0.1 s, about 10 s): how little of it
        the reactor client spends on the CPU."""
        poetry = os.path.join(ROOT, "poetry")
        delay = 0.01 if self.args.tiny else 0.1
        ports = [str(self.server(os.path.join(poetry, f), n, delay))
                 for f, n in [("ecstasy.txt", 30), ("fascination.txt", 10), ("science.txt", 10)]]
        result = self.run([self.program("async-client/get-poetry")] + ports)
        r = result["cpu"] / result["wall"]
        self.row("the chapter's run, delay %g s" % delay, "async client's CPU seconds / wall time",
                 result["cpu"], result["wall"], r, "< 0.005", r < 0.005,
                 note="CPU time counts in steps of 10 ms (GNU time)")
        self.stop_servers()

    def sagas(self):
        paths = [write_saga(os.path.join(self.work, "saga-%d.txt" % i), self.saga_mib * 1024 * 1024, i)
                 for i in range(1, 4)]
        chunk = 256 * 1024
        ports = [str(self.server(p, chunk)) for p in paths]
        async_, broken = self.best_of([self.program("async-client/get-poetry"), "--quiet"] + ports,
                                      [self.program("broken-client/get-poetry-broken"), "--quiet"] + ports)
        r = broken["wall"] / async_["wall"]
        self.row("sagas: 3 x %d MiB in 256 KiB chunks" % self.saga_mib, "broken / async",
                 broken["wall"], async_["wall"], r, ">= 2.5", r >= 2.5)
        self.stop_servers()
        for p in paths:
            os.remove(p)

    def throughput_and_memory(self):
        size = self.big_mib * 1024 * 1024
        poem = os.path.join(self.work, "big.bin")
        with open(poem, "wb") as out:
            block = bytes(range(256)) * 4096  # 1 MiB
            for _ in range(self.big_mib):
                out.write(block)
        port = str(self.server(poem, 1024 * 1024, 0))
        client = self.program("async-client/get-poetry")
        ours_cmd = [client, "--quiet", port]
        count_cmd = [client, "--quiet", "--count-only", port]
        socat = shutil.which("socat")
        label = "one %d MiB poem, delay 0" % self.big_mib
        if socat:
            # Like our server, socat's listener is started before the clock
            # runs; only the receiving process is timed, as ours is.
            receiver = [socat, "-u", None, "OPEN:/dev/null"]
            ours = counting = theirs = None
            for _ in range(self.runs):
                ours = self.better(ours, self.run(ours_cmd))
                counting = self.better(counting, self.run(count_cmd))
                port = free_port()
                listener = subprocess.Popen(die_with_parent(
                    [socat, "-u", "OPEN:" + poem, "TCP-LISTEN:%d,bind=127.0.0.1,reuseaddr" % port]))
                wait_listening(port)
                receiver[2] = "TCP:127.0.0.1:%d" % port
                theirs = self.better(theirs, self.run(list(receiver)))
                listener.wait(timeout=60)
            r = theirs["wall"] / ours["wall"]
            self.row(label, "socat's time / ours (throughput)", ours["wall"], theirs["wall"], r,
                     ">= 0.9 (stretch 1.5)", r >= 0.9,
                     note="socat copies the same file from a listener started before the clock "
                          "runs, to /dev/null; only the receiving process is timed, as ours is")
        else:
            ours, counting = self.best_of(ours_cmd, count_cmd)
            self.row(label, "socat's time / ours (throughput)", ours["wall"], None, None,
                     ">= 0.9", False, note="socat is not installed (./lab setup --bench)")
        r = ours["rss"] / size
        self.row(label, "async client's peak RSS / poem size", ours["rss"], size, r,
                 "<= 1.1 (+ 8 MiB)", ours["rss"] <= 1.1 * size + 8 * 1024 * 1024, unit="bytes")
        self.row(label, "peak RSS with --count-only", counting["rss"], None, None, "< 16 MiB",
                 counting["rss"] < 16 * 1024 * 1024, unit="bytes")
        self.stop_servers()
        os.remove(poem)

    def many_servers(self):
        poem = os.path.join(self.work, "small.txt")
        with open(poem, "wb") as out:
            out.write(b"A small poem for a thousand servers,\nten bytes at a time.\n")
        # 6 chunks of 10 bytes, half a second apart: 3 s alone. Connecting to
        # 1,000 servers one after another (as the chapter's client does)
        # costs about 0.12 s on a 2-core machine even with bare Python
        # sockets (the kernel's handshakes and 1,000 processes waking to
        # accept), so the poem must last long enough for that to be small.
        delay = 0.01 if self.args.tiny else 0.5
        ports = [str(self.server(poem, 10, delay)) for _ in range(self.many)]
        client = self.program("async-client/get-poetry")
        many, one = self.best_of([client, "--quiet"] + ports, [client, "--quiet", ports[0]])
        r = many["wall"] / one["wall"]
        self.row("%d servers (slowpoetry processes), small poems" % self.many,
                 "async time / one server alone", many["wall"], one["wall"], r, "<= 1.05", r <= 1.05)
        self.stop_servers()

    def close(self):
        self.stop_servers()
        shutil.rmtree(self.work, ignore_errors=True)


def wait_listening(port, timeout=10):
    """Until something listens on 127.0.0.1:port, read from /proc/net/tcp
    (connecting to find out would use up socat's one connection)."""
    wanted = ":%04X" % port
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with open("/proc/net/tcp") as table:
            for line in table.readlines()[1:]:
                fields = line.split()
                if fields[1].endswith(wanted) and fields[3] == "0A":  # 0A: LISTEN
                    return
        time.sleep(0.005)
    sys.exit("lab bench: socat did not start listening on port %d" % port)


def show(value, unit):
    if value is None:
        return "-"
    if unit == "bytes":
        return "%.1f MiB" % (value / 1048576)
    return "%.3f s" % value


def print_table(rows, runs):
    print("best of %d runs each, measured alternately on %d cores" % (runs, os.cpu_count()))
    header = ("what was measured", "ours", "reference", "ratio", "goal", "met")
    lines = [(r["row"] + ": " + r["measure"], show(r["ours"], r["unit"]),
              show(r["reference"], r["unit"]), "-" if r["ratio"] is None else "%.3f" % r["ratio"],
              r["goal"], "yes" if r["met"] else "NO") for r in rows]
    widths = [max(len(str(x[i])) for x in [header] + lines) for i in range(len(header))]
    fmt = "  ".join("%%-%ds" % w if i == 0 else "%%%ds" % w for i, w in enumerate(widths))
    print(fmt % header)
    print("  ".join("-" * w for w in widths))
    for line in lines:
        print(fmt % line)
    for r in rows:
        if r["note"]:
            print("note: %s: %s" % (r["measure"], r["note"]))


def main():
    args = parse_args()
    bench = Bench(args)
    started = time.monotonic()
    try:
        for step in (bench.chapter, bench.chapter_cpu, bench.sagas, bench.throughput_and_memory,
                     bench.many_servers):
            print("bench: %s ..." % step.__name__.replace("_", " "), flush=True)
            step()
    finally:
        bench.close()
    print()
    print_table(bench.rows, bench.runs)
    print("bench took %.0f s" % (time.monotonic() - started))
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"runs": bench.runs, "cores": os.cpu_count(), "rows": bench.rows}, out, indent=2)
        print("rows written to " + args.json)


if __name__ == "__main__":
    with reader_may_leave():
        main()
