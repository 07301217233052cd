"""The reactor, select and broken clients on the chapter's servers (shrunk
delays): the same poems, the chapter's lines, and the shape of the run:
interleaved `got` lines for the event-driven clients, one `got` per task for
the broken one. Shapes are checked by counting and ordering lines, never by
timing them."""
import contextlib
import os
import re
import socket
import threading
import time

from labtest import (ASYNC, BROKEN, CHAPTER_POEMS, SELECT, SOURCE, TIMEDELTA, LabTestCase,
                     Server, main, read_bytes, run)
from poetrylab import manifest
from poetrylab.chapter import FINISHED, GOT



def chapter_run(client, servers_extra=()):
    with contextlib.ExitStack() as stack:
        servers = [stack.enter_context(Server(poem, num_bytes=n)) for poem, n in CHAPTER_POEMS]
        result = run([client] + [str(s.port) for s in servers])
    return servers, result


class EventClientContract:
    """What every one of the three event-driven clients must print."""
    client = None

    def check_closing_lines(self, lines, sizes):
        tail = lines[-(len(sizes) + 1):]
        for i, size in enumerate(sizes):
            self.assertEqual(tail[i], "Task %d: %d bytes of poetry" % (i + 1, size))
        self.assertRegex(tail[-1], r"^Got %d poems in %s$" % (len(sizes), TIMEDELTA))

    def check_run(self, servers, result, sizes):
        """Per task: `got` lines adding up to its poem, then one `finished`."""
        self.assertClean(result, os.path.basename(self.client))
        lines = result.stdout.splitlines()
        body = lines[:-(len(sizes) + 1)]
        self.check_closing_lines(lines, sizes)
        got_per_task = {}
        for index, line in enumerate(body):
            got, finished = GOT.match(line), FINISHED.match(line)
            self.assertTrue(got or finished, "unexpected line %r" % line)
            task = int((got or finished).group(1))
            self.assertIn(task, range(1, len(sizes) + 1))
            if got:
                self.assertIsNone(got.group(4), "an event-driven client's got line has no time")
                self.assertEqual(got.group(3), servers[task - 1].address)
                self.assertNotIn("Task %d finished" % task, body[:index], "got after finished")
                got_per_task.setdefault(task, []).append(int(got.group(2)))
        for task, size in enumerate(sizes, start=1):
            self.assertEqual(sum(got_per_task.get(task, [])), size, "task %d" % task)
            self.assertEqual(body.count("Task %d finished" % task), 1)
        return body, got_per_task

    def test_chapter_scenario(self):
        servers, result = chapter_run(self.client)
        sizes = [os.path.getsize(poem) for poem, _ in CHAPTER_POEMS]
        body, got_per_task = self.check_run(servers, result, sizes)
        self.check_shape(body, got_per_task)

    def test_empty_and_one_byte_poems(self):
        empty = self.write_poem("empty.txt", b"")
        one = self.write_poem("one.txt", b"!")
        with Server(empty) as s1, Server(one) as s2:
            result = run([self.client, str(s1.port), str(s2.port)])
        self.check_run([s1, s2], result, [0, 1])

    def test_same_server_twice_and_host_port_form(self):
        poem = self.write_poem("p.txt", b"twice told\n" * 3)
        with Server(poem) as server:
            result = run([self.client, server.address, "localhost:%d" % server.port])
        self.assertClean(result)
        self.check_closing_lines(result.stdout.splitlines(), [33, 33])
        self.assertIn("from localhost:%d" % server.port, result.stdout)

    def test_independent_server(self):
        """Any slow poetry server will do: here one written in the test itself,
        sending a binary poem in odd-sized chunks."""
        poem = bytes(range(256)) * 10 + b"\x00\xff"
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(5)
        port = listener.getsockname()[1]

        def serve(clients):
            for _ in range(clients):
                conn, _ = listener.accept()
                with conn:
                    for start in range(0, len(poem), 333):
                        conn.sendall(poem[start:start + 333])
                        time.sleep(0.002)

        thread = threading.Thread(target=serve, args=(2,), daemon=True)
        thread.start()
        result = run([self.client, str(port), str(port)])
        thread.join(30)
        listener.close()
        self.assertClean(result)
        self.check_closing_lines(result.stdout.splitlines(), [len(poem), len(poem)])


class AsyncClientTest(EventClientContract, LabTestCase):
    client = ASYNC

    def check_shape(self, body, got_per_task):
        # Interleaved: while task 1 (the slowest) is still arriving, the other
        # tasks' bytes arrive too, in many small pieces.
        task1 = [i for i, line in enumerate(body) if line.startswith("Task 1: got")]
        between = body[task1[0]:task1[-1]]
        self.assertTrue(any(l.startswith("Task 2: got") for l in between), body)
        self.assertTrue(any(l.startswith("Task 3: got") for l in between), body)
        for task in (1, 2, 3):
            self.assertGreater(len(got_per_task[task]), 1)


class SelectClientTest(AsyncClientTest):
    client = SELECT


class BrokenClientTest(EventClientContract, LabTestCase):
    client = BROKEN

    def check_shape(self, body, got_per_task):
        # doRead reads to the end of the stream: one `got` per task, the whole poem.
        for task, (poem, _) in enumerate(CHAPTER_POEMS, start=1):
            self.assertEqual(got_per_task[task], [len(read_bytes(poem))])


def code_lines(path):
    """A source file's code, comments and blank lines left out."""
    lines = []
    for line in open(os.path.join(SOURCE, path)):
        code = line.split("//", 1)[0].strip()
        if code:
            lines.append(code)
    return lines


class DiffTest(LabTestCase):
    """`diff async-client/get-poetry.cpp broken-client/get-poetry-broken.cpp`
    shows the chapter's two differences and nothing else but comments; the
    exercise stubs stay the reactor client, so that the diff between a stub
    and its solution is the exercise and nothing else."""

    def test_only_the_two_differences(self):
        async_code = code_lines("async-client/get-poetry.cpp")
        broken_code = code_lines("broken-client/get-poetry-broken.cpp")
        only_async = [l for l in async_code if l not in broken_code]
        only_broken = [l for l in broken_code if l not in async_code]
        self.assertEqual(only_broken, [])
        self.assertEqual(only_async, [
            "lab::set_nonblocking(sock_);",
            "if (got.kind == lab::Received::WouldBlock) break;",
        ])
        self.assertEqual(len(async_code) - 2, len(broken_code))

    def test_connect_failure_stub_is_the_reactor_client(self):
        self.assertEqual(code_lines("exercises/connect-failure/get-poetry.cpp"),
                         code_lines("async-client/get-poetry.cpp"))

    def test_timeout_stub_is_the_reactor_client_too(self):
        # Its --timeout option comes from its manifest (features): the file
        # is the reactor client's, line for line.
        self.assertEqual(code_lines("exercises/timeout/get-poetry.cpp"),
                         code_lines("async-client/get-poetry.cpp"))
        self.assertIn("lab::kPoemTimeout", manifest.find("timeout", SOURCE).features)

    def test_the_lesson_files_carry_the_chapter_only(self):
        # No lab plumbing in a file a learner reads next to the chapter: no
        # tracing, no stop signals, no waiting helpers, no feature flags.
        plumbing = re.compile(r"trace::|stop_requested|catch_stop_signals|wait_for|quiet\(|"
                              r"stop_wait_mask|run_client|kReactorOptions|kPoemTimeout|\bppoll\b")
        lessons = ["blocking-client/get-poetry.cpp", "async-client/get-poetry.cpp",
                   "async-client/get-poetry-select.cpp", "broken-client/get-poetry-broken.cpp"]
        lessons += ["%s/%s/get-poetry.cpp" % (kind, name) for kind in ("exercises", "solutions")
                    for name in ("connect-failure", "timeout")]
        for path in lessons:
            with self.subTest(path=path):
                self.assertEqual([l for l in code_lines(path) if plumbing.search(l)], [])

    def test_the_reactor_knows_no_instrument(self):
        # Twisted's reactor has no heartbeat, trace or step mode: ours tells
        # its observers, and each instrument lives in its own file. Not even
        # a comment of reactor.cpp names one.
        with open(os.path.join(SOURCE, "lib", "reactor.cpp")) as handle:
            text = handle.read()
        self.assertEqual(re.findall(r"(?i)heartbeat|trace|\bstep", text), [])

if __name__ == "__main__":
    main()
