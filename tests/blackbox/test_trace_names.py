"""The --trace record's event names have one definition,
lib/trace_events.def, read by the C++ (an enum: a name not there does not
compile) and by the Python tools (labtrace.E). This test fails when either
side uses a name that is not in it, or when a name there is used by
neither, and when a real record holds a name it does not list."""
import contextlib
import glob
import os
import re

from labtest import ASYNC, BLOCKING, BROKEN, CHAPTER_POEMS, SELECT, SOURCE, LabTestCase, Server, main, run
from poetrylab import trace as labtrace

DEF = os.path.join(SOURCE, "lib", "trace_events.def")


def defined():
    with open(DEF) as handle:
        return set(re.findall(r"^TRACE_EVENT\((\w+),", handle.read(), flags=re.M))


def sources(pattern):
    for path in sorted(glob.glob(os.path.join(SOURCE, pattern), recursive=True)):
        with open(path, encoding="utf-8") as handle:
            yield os.path.relpath(path, SOURCE), handle.read()


class TraceNames(LabTestCase):

    def test_the_cpp_uses_only_defined_names(self):
        used = {}
        for path, text in sources("lib/*.cpp"):
            for name in re.findall(r"\bEvent::(\w+)", text):
                used.setdefault(name, path)
        self.assertTrue(used)
        self.assertEqual({n: p for n, p in used.items() if n not in defined()}, {})
        # Every name is written by some part of the library.
        self.assertEqual(defined() - set(used), set())

    def test_the_python_uses_only_defined_names(self):
        self.assertEqual(set(vars(labtrace.E)) - {"phases"}, defined())
        with self.assertRaises(AttributeError):
            labtrace.E.got  # noqa: B018 (the trace has no such event)
        for path, text in list(sources("tools/**/*.py")) + list(sources("tests/**/*.py")):
            if path.endswith("test_trace_names.py"):
                continue  # this file names a missing event on purpose
            with self.subTest(path=path):
                self.assertEqual([n for n in re.findall(r"\bE\.(\w+)", text)
                                  if n not in defined() | {"phases"}], [])
                # No name spelt out: compare with E.doRead, not "doRead".
                literal = re.findall(r"""\bname"?\]?\)?\s*[!=]=\s*["'](\w+)["']""", text)
                self.assertEqual([n for n in literal if n in defined()], [])

    def test_a_real_record_holds_only_defined_names(self):
        with contextlib.ExitStack() as stack:
            servers = [stack.enter_context(Server(poem, num_bytes=n)) for poem, n in CHAPTER_POEMS]
            ports = [str(s.port) for s in servers] + ["1"]  # and a refused connect
            seen = set()
            for client, extra in ((ASYNC, ["--heartbeat", "0.01", "--slow-callback", "0"]), (BROKEN, []),
                                  (BLOCKING, []), (SELECT, [])):
                trace = os.path.join(self.tmp, "%s.json" % os.path.basename(client))
                run([client, "--trace", trace] + extra + ports[:3])
                run([client, "--trace", trace + ".refused"] + extra + ports[3:])
                for path in (trace, trace + ".refused"):
                    with open(path) as handle:
                        seen |= {event["name"] for event in labtrace.parse(handle.read()) if event["name"]}
        self.assertEqual(seen - defined(), set())
        # Every event the lab writes turned up in these runs (the ones
        # only a learner's program makes aside).
        self.assertEqual(defined() - seen, {"doWrite", "addWriter", "removeWriter", "reset", "interrupted"})


if __name__ == "__main__":
    main()
