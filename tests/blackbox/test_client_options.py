"""Options the instructor demo relies on: --quiet, --trace, --slow-callback,
--connect-timeout, --help, on every client that takes them."""
import contextlib
import json
import os
import re
import select
import subprocess

from labtest import (ASYNC, BLOCKING, BROKEN, CHAPTER_POEMS, SELECT, SERVER, LabTestCase, Server,
                     main, run)
from poetrylab import trace as labtrace
from poetrylab.chapter import GOT, GOT_POEMS, seconds_of

ALL = [BLOCKING, ASYNC, SELECT, BROKEN]


@contextlib.contextmanager
def chapter_servers():
    with contextlib.ExitStack() as stack:
        yield [stack.enter_context(Server(poem, num_bytes=n)) for poem, n in CHAPTER_POEMS]


def name(client):
    return os.path.basename(client)


class ClientOptionsTest(LabTestCase):

    def each_client(self, *options):
        """Runs every client with `options` against the chapter's servers;
        yields (client, its result, the poems' sizes) inside a subTest."""
        sizes = [os.path.getsize(poem) for poem, _ in CHAPTER_POEMS]
        with chapter_servers() as servers:
            for client in ALL:
                with self.subTest(client=name(client)):
                    result = run([client] + list(options) + [str(s.port) for s in servers])
                    self.assertClean(result)
                    yield client, result, sizes

    def test_quiet_prints_only_the_closing_lines(self):
        for client, result, sizes in self.each_client("--quiet"):
            lines = result.stdout.splitlines()
            if client == BLOCKING:  # its result lines are one per task, with the time
                self.assertEqual(len(lines), 4, result.stdout)
                for task, size in enumerate(sizes, start=1):
                    self.assertRegex(lines[task - 1], r"^Task %d: got %d bytes of poetry "
                                     % (task, size))
            else:
                self.assertEqual(lines[:-1], ["Task %d: %d bytes of poetry" % (t, n)
                                              for t, n in enumerate(sizes, start=1)])
            self.assertRegex(lines[-1], r"^Got 3 poems in ")

    def test_count_only_counts_the_same_bytes(self):
        for client, result, sizes in self.each_client("--count-only"):
            for task, size in enumerate(sizes, start=1):
                pattern = (r"(?m)^Task %d: got %d bytes of poetry from .* in " if client == BLOCKING
                           else r"(?m)^Task %d: %d bytes of poetry$") % (task, size)
                self.assertRegex(result.stdout, pattern)

    def test_the_trace_records_every_read(self):
        with chapter_servers() as servers:
            for client in ALL:
                with self.subTest(client=name(client)):
                    trace = os.path.join(self.tmp, name(client) + ".json")
                    result = run([client, "--trace", trace] + [str(s.port) for s in servers])
                    self.assertClean(result)
                    got = [(int(m.group(1)), int(m.group(2)))
                           for m in map(GOT.match, result.stdout.splitlines()) if m]
                    with open(trace) as handle:
                        document = json.load(handle)  # whole: the program ended
                    events = document["traceEvents"]
                    record = labtrace.load(trace)
                    # Every byte the got lines report, read by a recv on its
                    # task's track, and each task's end of stream too.
                    for task in (1, 2, 3):
                        self.assertEqual(sum(r.bytes for r in record.reads if r.task == task),
                                         sum(n for t, n in got if t == task))
                        self.assertTrue(record.whole(task))
                    # One thread reads: each recv ends before the next begins.
                    for one, after in zip(record.reads, record.reads[1:]):
                        self.assertLessEqual(one.end, after.start + 1e-6)
                    if client != SELECT:
                        # A slice per got line: per doRead and task (the
                        # reactor clients), per task (the blocking client).
                        self.assertEqual([(task, n) for task, _, _, n in record.got()], got)
                    # And the reads fit in the total the client printed. The
                    # blocking client's total is the sum of its tasks' times;
                    # the others time the whole run, from just after the
                    # trace opened (50 ms: a bound on that gap, not a speed).
                    total = seconds_of(GOT_POEMS.match(result.stdout.splitlines()[-1]), 4)
                    if client == BLOCKING:
                        self.assertLessEqual(sum(d for _, _, d, _ in record.got()), total + 1e-3)
                    else:
                        self.assertLessEqual(record.reads[-1].end, total + 0.05)
                    names = {e["tid"]: e["args"]["name"] for e in events
                             if e["ph"] == "M" and e["name"] == labtrace.E.thread_name}
                    loop = "main" if client in (BLOCKING, SELECT) else "reactor"
                    self.assertEqual(names, {0: loop, 1: "Task 1", 2: "Task 2", 3: "Task 3"})
                    callbacks = {c.name for c in record.callbacks}
                    self.assertEqual(callbacks, set() if client in (BLOCKING, SELECT) else {"doRead"})

    def test_trace_to_an_unwritable_file_is_refused(self):
        for client in ALL:
            result = run([client, "--trace", os.path.join(self.tmp, "no", "such", "dir.json"), "1"])
            self.assertOneLineError(result, "--trace")

    def test_slow_callback_trips_on_broken_not_on_async(self):
        # The broken client's doRead reads a whole poem: ecstasy at 30 bytes
        # every 5 ms holds the loop for half a second. The reactor client's
        # doRead only takes what is there.
        with chapter_servers() as servers:
            ports = [str(s.port) for s in servers]
            broken = run([BROKEN, "--slow-callback", "0.1"] + ports)
            reactor = run([ASYNC, "--slow-callback", "0.1"] + ports)
        self.assertClean(broken)
        self.assertClean(reactor)
        warnings = [l for l in broken.stderr.splitlines() if "blocked the reactor" in l]
        self.assertTrue(warnings, broken.stderr)
        for line in warnings:
            # Who blocked: the task, its descriptor and its server.
            who = re.match(r"^Task ([123]) doRead \(fd \d+, 127\.0\.0\.1:\d+\) "
                           r"blocked the reactor for \d+\.\d{3} s$", line)
            self.assertTrue(who, line)
            task = int(who.group(1))
            self.assertIn(":%d) blocked" % servers[task - 1].port, line)
        self.assertIn("Task 1 doRead", broken.stderr)
        self.assertNotIn("blocked the reactor", reactor.stderr)

    def test_heartbeat_freezes_while_a_doread_holds_the_loop(self):
        # The broken client's doRead holds the loop for a whole poem (half a
        # second at least here): a 50 ms heartbeat must come that late, and
        # say so on stderr; each tick is in the trace with how late it was.
        with chapter_servers() as servers:
            ports = [str(s.port) for s in servers]
            for client in (BROKEN, ASYNC):
                with self.subTest(client=name(client)):
                    trace = os.path.join(self.tmp, name(client) + ".json")
                    result = run([client, "--heartbeat", "0.05", "--trace", trace] + ports)
                    self.assertClean(result)
                    with open(trace) as handle:
                        ticks = [e for e in json.load(handle)["traceEvents"]
                                 if e["name"] == labtrace.E.heartbeat and e["ph"] == "i"]
                    self.assertTrue(ticks)
                    if client == ASYNC:  # nothing holds it up: it ticks on, re-arming itself
                        self.assertGreater(len(ticks), 3)
                    late = [float(l.split()[4]) for l in result.stderr.splitlines()
                            if l.startswith("heartbeat: the reactor was ")]
                    if client == BROKEN:
                        worst = max(e["args"]["late"] for e in ticks)
                        self.assertGreater(worst, 0.4, "a doRead held the loop for a whole poem")
                        # The stderr line says it with 3 decimals (the trace with 6).
                        self.assertTrue(any(abs(worst - seconds) <= 0.0006 for seconds in late),
                                        (worst, late))

    def test_step_runs_one_turn_per_line(self):
        with chapter_servers() as servers:
            proc = subprocess.Popen([ASYNC, "--step"] + [str(s.port) for s in servers],
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True)
            # Without a line on stdin, no turn runs: nothing is read.
            first = select.select([proc.stdout], [], [], 0.5)[0]
            self.assertEqual(first, [], "a turn ran without a line on stdin")
            out, err = proc.communicate("\n\n\n", timeout=60)  # then the end of stdin: it runs freely
        self.assertEqual(proc.returncode, 0, err)
        steps = [l for l in err.splitlines() if re.match(r"^step \d+: ", l)]
        self.assertTrue(err.startswith("step mode: "), err)
        self.assertEqual([int(l.split()[1].rstrip(":")) for l in steps], list(range(1, len(steps) + 1)))
        self.assertTrue(1 <= len(steps) <= 3, err)
        for line in steps:
            self.assertRegex(line, r"^step \d+: ready (Task [123])(, Task [123])*$")
        self.assertRegex(out.splitlines()[-1], r"^Got 3 poems in ")

    def test_the_trace_shows_where_each_client_waits(self):
        with chapter_servers() as servers:
            for client in (ASYNC, BLOCKING):
                with self.subTest(client=name(client)):
                    trace = os.path.join(self.tmp, name(client) + ".json")
                    self.assertClean(run([client, "--trace", trace] + [str(s.port) for s in servers]))
                    record = labtrace.load(trace)
                    order = [r.task for r in record.reads]
                    if client == ASYNC:
                        # The reactor waits on all the sockets at once, on
                        # its own track, and the tasks' reads interleave.
                        self.assertTrue(record.waits)
                        self.assertEqual({tid for tid, _, _ in record.waits}, {0})
                        self.assertNotEqual(order, sorted(order))
                    else:
                        # The blocking client has no loop: it waits in one
                        # task's recv at a time, task after task.
                        self.assertEqual(record.waits, [])
                        self.assertEqual(order, sorted(order))
                        self.assertEqual(set(order), {1, 2, 3})

    def test_slow_callback_only_on_reactor_clients(self):
        # No reactor to watch: refused in one line of at most 80 columns,
        # without "error: " (test_by_hand has them all, option by option).
        for client in (BLOCKING, SELECT):
            result = run([client, "--slow-callback", "1", "1"])
            self.assertEqual(result.returncode, 1, result.stderr)
            self.assertEqual(result.stderr.splitlines(),
                             [os.path.basename(client) +
                              ": no reactor; try build/async-client/get-poetry --slow-callback"])
            self.assertLessEqual(len(result.stderr.rstrip("\n")), 80)
        for client in (ASYNC, BROKEN):
            self.assertOneLineError(run([client, "--slow-callback", "soon", "1"]), "--slow-callback")

    def test_timeout_only_on_the_exercise(self):
        self.assertOneLineError(run([ASYNC, "--timeout", "1", "1"]), "timeout")

    def test_bad_connect_timeout(self):
        for value in ["0", "-1", "never", "nan", "1e300"]:
            with self.subTest(value=value):
                self.assertOneLineError(run([ASYNC, "--connect-timeout", value, "1"]),
                                        "--connect-timeout")

    def test_help_on_every_program(self):
        for program in ALL + [SERVER]:
            with self.subTest(program=name(program)):
                result = run([program, "--help"])
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertIn("--help", result.stdout)
        for client in ALL:
            self.assertIn("--trace FILE", run([client, "--help"]).stdout)
        self.assertIn("--slow-callback", run([BROKEN, "--help"]).stdout)
        self.assertNotIn("--slow-callback", run([SELECT, "--help"]).stdout)


if __name__ == "__main__":
    main()
