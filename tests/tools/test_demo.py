"""./lab demo through a pipe, as a script or a log sees it (poetrylab.demo,
run on this build's programs): the chapter's lines as they happen, the
table, the pictures and traces of --out, --ask, --step and the captions in
Korean. tests/blackbox/test_demo_terminal.py watches it on a terminal."""
import contextlib
import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

from labtest import BUILD, LabTestCase, main
from poetrylab import demo
from poetrylab import trace as labtrace
from poetrylab.demo.run import ClientRun
from poetrylab.demo.table import print_table, reading
from poetrylab.demo.view import Live
from poetrylab.terminal import Style
from poetrylab.text import columns

SVG = "{http://www.w3.org/2000/svg}"
# The demo as the tests run it (tests/blackbox/test_demo_terminal.py too).
DEMO = [sys.executable, "-m", "poetrylab.demo", "--fast", "--build", BUILD, "--any-port"]
# What in the runner's environment would choose the demo's language, or
# make its output stream for it (PYTHONUNBUFFERED): the demo must itself.
LEFT_OUT = ("PYTHONUNBUFFERED", "LANG", "LC_ALL", "LC_MESSAGES", "LAB_LANG")
# The side-by-side table: its heading, and its header's labels in order.
SIDE_BY_SIDE = {"en": "== Side by side ==", "ko": "== 나란히 비교 =="}
LABELS = {"en": ["client", "time", "x slowest", "x sum", "longest callback", "guess"],
          "ko": ["클라이언트", "시간", "x 느린 것", "x 합계", "가장 긴 콜백", "추측"]}
CELL = re.compile(r"[a-z]+|[가-힣]+|-|\d+\.\d+(?: s|초)?")  # a row's: the client, its times and ratios, "-"
ROWS = {"en": ["blocking", "reactor", "broken"], "ko": ["블로킹", "reactor", "깨진"]}


def demo_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in LEFT_OUT}
    env.update(extra)
    return env


def sections(text):
    parts = re.split(r"^== The (blocking|reactor|broken) client(?:: .*)? ==$", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2]))


def check_table(test, text, lang, guesses):
    """The table in `text` (what the demo printed) lines up: the client's
    name starts where its label does, and every other label ends where the
    numbers under it end, counted in terminal columns (Hangul takes two)."""
    lines = text.split(SIDE_BY_SIDE[lang], 1)[1].splitlines()
    header = lines[2]
    rows = [line for line in lines[3:] if re.match(r"^  (%s) " % "|".join(ROWS[lang]), line)]
    test.assertEqual(len(rows), 3, text)
    labels = LABELS[lang][:6 if guesses else 5]
    for row in rows:
        cells = list(CELL.finditer(row))
        test.assertEqual(len(cells), len(labels), row)
        at = 0
        for label, cell in zip(labels, cells):
            start = header.index(label, at)
            at = start + len(label)
            if label == labels[0]:
                test.assertEqual(columns(header[:start]), columns(row[:cell.start()]), "%s\n%s" % (header, row))
            else:
                test.assertEqual(columns(header[:at]), columns(row[:cell.end()]), "%s\n%s" % (header, row))
        test.assertEqual(header[at:].strip(), "", header)  # no label without its column


class DemoTest(LabTestCase):

    def test_fast_demo_with_pictures(self):
        out = os.path.join(self.tmp, "out")
        result = subprocess.run(DEMO + ["--out", out], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, timeout=240, env=demo_env())
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        text = result.stdout
        bodies = sections(text)
        self.assertEqual(list(bodies), ["blocking", "reactor", "broken"])
        for client, body in bodies.items():
            got = "got " if client == "blocking" else ""  # its closing lines carry the times
            self.assertRegex(body, r"Task 1: {0}3003 bytes of poetry.*\n\s+Task 2: {0}623 bytes of "
                             r"poetry.*\n\s+Task 3: {0}653 bytes of poetry.*\n\s+Got 3 poems in "
                             .format(got), client)
        # The table: a row per client, and what the run says under it.
        table = text.split("== Side by side ==", 1)[1]
        for client in ("blocking", "reactor", "broken"):
            self.assertRegex(table, r"\n  %s +\d+\.\d\d s +\d+\.\d\d +\d+\.\d\d +(-|\d+\.\d{3} s)\n {12}\w"
                             % client)
        check_table(self, text, "en", guesses=False)
        for line in text.splitlines():
            self.assertLessEqual(columns(line), 80, line)

        # The broken client: its holds of the loop, told when they end, and
        # the warnings as they came (who, and the heartbeat they delayed).
        broken = bodies["broken"]
        self.assertRegex(broken, r"\(the reactor was held by Task \d doRead for \d+\.\d s; "
                                 r"Tasks? [\d, ]+ waited\)")
        self.assertRegex(broken, r"! Task \d doRead \(fd \d+, 127\.0\.0\.1:\d+\) blocked the reactor")
        self.assertRegex(broken, r"! heartbeat: the reactor was \d+\.\d{3} s late")
        self.assertNotIn("blocked the reactor", bodies["reactor"])

        # The timeline: per client, its waits, a lane per task, a lane per server.
        root = ElementTree.parse(os.path.join(out, "timeline.svg")).getroot()
        lanes = [(g.get("data-client"), g.get("data-lane")) for g in root.iter(SVG + "g")
                 if g.get("class") == "lane"]
        for client in ("blocking", "reactor", "broken"):
            names = [lane for c, lane in lanes if c == client]
            self.assertEqual([n for n in names if n.startswith("Task")], ["Task 1", "Task 2", "Task 3"])
            self.assertEqual(len([n for n in names if n.startswith("server :")]), 3)
            self.assertEqual("reactor" in names, client != "blocking")
        rects = {r.get("class") for r in root.iter(SVG + "rect")}
        self.assertTrue({"read", "wait", "sent", "longest"} <= rects, rects)
        words = " ".join(t.text or "" for t in root.iter(SVG + "text"))
        self.assertIn("one mark per read", words)
        self.assertIn("longest callback: Task", words)

        # Figure 7: turns of the reactor loop, each a wait and doRead calls.
        figure = ElementTree.parse(os.path.join(out, "reactor-doread.svg")).getroot()
        turns = [g for g in figure.iter(SVG + "g") if g.get("class") == "turn"]
        self.assertGreaterEqual(len(turns), 3)
        for turn in turns:
            kinds = [r.get("class") for r in turn.iter(SVG + "rect")]
            self.assertEqual(kinds[0], "wait")
            self.assertGreaterEqual(kinds.count("doread"), 1)

        # Each client's trace has a slice of reads per `got` line shown; the
        # combined trace has a process per client.
        for client in ("blocking", "reactor", "broken"):
            record = labtrace.load(os.path.join(out, client + ".trace.json"))
            got_lines = re.findall(r"^  Task \d+: got \d+ bytes", bodies[client], flags=re.M)
            self.assertEqual(len(record.got()), len(got_lines), client)
        with open(os.path.join(out, "demo.trace.json")) as handle:
            combined = json.load(handle)["traceEvents"]
        names = {e["pid"]: e["args"]["name"] for e in combined if e.get("name") == labtrace.E.process_name}
        self.assertEqual(names, {1: "blocking", 2: "reactor", 3: "broken"})

    def test_lines_stream_through_a_pipe(self):
        # The blocking client's first line reaches the pipe while it runs.
        # Block buffering (8 KiB) would hold it until the reactor client's
        # many lines had filled the buffer, or the demo had ended: what comes
        # with it would then be later sections too. Read from the pipe itself
        # (os.read), so that no buffer of ours holds anything back either.
        proc = subprocess.Popen(DEMO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=demo_env())
        seen = b""
        try:
            while not re.search(rb"^  Task 1: got \d+ bytes", seen, flags=re.M):
                data = os.read(proc.stdout.fileno(), 65536)
                if not data:
                    self.fail("no got line came:\n" + seen.decode(errors="replace"))
                seen += data
            self.assertIsNone(proc.poll(), "the demo had already ended")
            self.assertIn(b"== The blocking client", seen)
            self.assertFalse(b"== The reactor client" in seen, "the lines came only once a buffer was full")
        finally:
            rest = proc.communicate(timeout=240)[0]
        self.assertIn(b"== Side by side ==", rest)

    def test_ask_then_observe(self):
        result = subprocess.run(DEMO + ["--ask"], input="2.5\nsoon\n\n1\n", stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, timeout=240, env=demo_env())
        self.assertEqual(result.returncode, 0, result.stderr)
        bodies = sections(result.stdout)
        self.assertRegex(bodies["blocking"], r"you guessed 2\.5 s; it took \d+\.\d\d s")
        self.assertIn("not a number of seconds: soon", bodies["reactor"])  # asked again: Enter
        self.assertNotIn("you guessed", bodies["reactor"])
        self.assertRegex(bodies["broken"], r"you guessed 1\.0 s; it took \d+\.\d\d s")
        table = result.stdout.split("== Side by side ==", 1)[1]
        self.assertIn("guess", table.splitlines()[2])
        check_table(self, result.stdout, "en", guesses=True)
        self.assertRegex(table, r"\n  blocking .* 2\.5 s\n")
        self.assertRegex(table, r"\n  reactor .* -\n")

    def test_step_through_the_reactor_client(self):
        # Three turns on Enter, then q: the loop runs on by itself. The four
        # lines come at once through the pipe: each Enter is a turn all the same.
        result = subprocess.run(DEMO + ["--step"], input="\n\n\nq\n", stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, timeout=240, env=demo_env())
        self.assertEqual(result.returncode, 0, result.stderr)
        steps = re.findall(r"^  step (\d+): ready (.+)$", result.stdout, flags=re.M)
        self.assertEqual([int(n) for n, _ in steps], [1, 2, 3], result.stdout)
        for _, ready in steps:
            self.assertRegex(ready, r"^Task \d(, Task \d)*$")
        self.assertRegex(result.stdout, r"\n  Got 3 poems in ")

    def test_captions_in_korean(self):
        result = subprocess.run(DEMO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                timeout=240, env=demo_env(LANG="ko_KR.UTF-8"))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("== 블로킹 클라이언트: 한 번에 서버 하나씩, 그래서 걸리는 시간은 합계 ==", result.stdout)
        self.assertIn("== 깨진 클라이언트: doRead가 블로킹하며 루프 전체를 붙잡습니다 ==", result.stdout)
        self.assertIn("== 나란히 비교 ==", result.stdout)
        check_table(self, result.stdout, "ko", guesses=False)
        for line in result.stdout.splitlines():
            self.assertLessEqual(columns(line), 80, line)

    def test_the_table_lines_up_in_both_languages(self):
        # Hangul takes two columns: the Korean labels are laid out by the
        # same widths as the numbers, with and without the guesses (--ask).
        results = [{"key": "blocking", "took": 23.5, "longest": None},
                   {"key": "reactor", "took": 10.21, "longest": 0.0004},
                   {"key": "broken", "took": 10.02, "longest": 9.871}]
        self.addCleanup(setattr, demo, "LANG", demo.LANG)
        for lang in ("en", "ko"):
            for guesses in ({}, {"blocking": 12.5, "broken": 3.0}):
                demo.LANG = lang
                out = io.StringIO()
                with contextlib.redirect_stdout(out):
                    print_table(results, 10.1, 23.0, Style(False), guesses)
                with self.subTest(lang=lang, guesses=bool(guesses)):
                    check_table(self, out.getvalue(), lang, guesses=bool(guesses))
                    for line in out.getvalue().splitlines():
                        self.assertLessEqual(columns(line), 80, line)

    def test_a_hold_names_the_tasks_that_waited_through_it(self):
        # Through a pipe, each hold is told once it is over, with the tasks
        # whose poems were still coming when it began; a task whose poem had
        # all come is not said to have waited, even when nobody else did.
        demo.LANG = "en"
        client = ClientRun("broken", "get-poetry-broken", [], [30, 20], Style(False),
                           Live(False), os.path.join(self.tmp, "trace.json"), heartbeat=0.05, slow=0.05)
        client.start = 100.0
        client.tail.trace.epoch = 100.0  # the trace's zero, on our clock
        client.timed = [(100.9, "Task 1: got 30 bytes of poetry from 127.0.0.1:1"),
                        (101.3, "Task 2: got 20 bytes of poetry from 127.0.0.1:2")]
        for task, start, end in ((1, 0.0, 1.0), (2, 1.0, 1.4), (1, 1.4, 1.43)):
            callback = labtrace.Callback("doRead", start, {"of": "Task %d" % task})
            callback.end = end
            client.tail.trace.callbacks.append(callback)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            client.report_holds()
            client.report_holds()  # once each
        self.assertEqual(out.getvalue().splitlines(),
                         ["  (the reactor was held by Task 1 doRead for 1.0 s; Task 2 waited)",
                          "  (the reactor was held by Task 2 doRead for 0.4 s)"])

    def test_what_the_saga_table_says_of_the_broken_client(self):
        # The chapter's epic sagas: the broken client held the loop a poem at
        # a time and took nearly the sum, little better than blocking.
        demo.LANG = "en"
        self.assertEqual(reading("broken", 2.93, 0.98, 3.958, 11.26),
                         "held the loop a poem at a time: little better than blocking")
        self.assertEqual(reading("broken", 1.01, 0.44, 6.322, 10.14),
                         "held the loop a poem at a time; the kernel's buffers hid it")
        self.assertEqual(reading("reactor", 1.03, 0.34, 0.001, 3.95), "waited on all servers at once")


if __name__ == "__main__":
    main()
