"""The blocking client on the chapter's three servers: one after the other."""
import contextlib
import os
import re

from labtest import (BLOCKING, CHAPTER_POEMS, TIMEDELTA, LabTestCase, Server, fetch, main,
                     parse_timedelta, read_bytes, run)


class BlockingClientTest(LabTestCase):

    def test_chapter_scenario(self):
        with contextlib.ExitStack() as stack:
            servers = [stack.enter_context(Server(poem, num_bytes=n)) for poem, n in CHAPTER_POEMS]
            result = run([BLOCKING] + [str(s.port) for s in servers])
        self.assertClean(result, "get-poetry")
        lines = result.stdout.splitlines()
        self.assertEqual(len(lines), 2 * len(servers) + 1, result.stdout)
        task_times = []
        for i, (server, (poem, _)) in enumerate(zip(servers, CHAPTER_POEMS)):
            task = i + 1
            # One server at a time: "get poetry from" then its "got" line.
            self.assertEqual(lines[2 * i], "Task %d: get poetry from: %s" % (task, server.address))
            match = re.fullmatch(r"Task %d: got (\d+) bytes of poetry from %s in (%s)"
                                 % (task, re.escape(server.address), TIMEDELTA), lines[2 * i + 1])
            self.assertTrue(match, lines[2 * i + 1])
            self.assertEqual(int(match.group(1)), os.path.getsize(poem))
            task_times.append(parse_timedelta(match.group(2)))
        match = re.fullmatch(r"Got 3 poems in (%s)" % TIMEDELTA, lines[-1])
        self.assertTrue(match, lines[-1])
        # The blocking client's total is the sum of its tasks' times, exactly.
        self.assertEqual(parse_timedelta(match.group(1)), sum(task_times))

    def test_bare_port_host_port_and_order(self):
        poem = self.write_poem("p.txt", b"twelve bytes")
        with Server(poem) as server:
            result = run([BLOCKING, "127.0.0.1:%d" % server.port, str(server.port)])
        self.assertClean(result)
        lines = result.stdout.splitlines()
        self.assertEqual(lines[0], "Task 1: get poetry from: 127.0.0.1:%d" % server.port)
        self.assertRegex(lines[1], r"^Task 1: got 12 bytes of poetry from 127\.0\.0\.1:%d in "
                         % server.port)
        self.assertEqual(lines[2], "Task 2: get poetry from: 127.0.0.1:%d" % server.port)
        self.assertRegex(lines[4], r"^Got 2 poems in " + TIMEDELTA + "$")

    def test_empty_poem_counts_zero_bytes(self):
        poem = self.write_poem("empty.txt", b"")
        with Server(poem) as server:
            result = run([BLOCKING, str(server.port)])
        self.assertClean(result)
        self.assertRegex(result.stdout.splitlines()[1], r"^Task 1: got 0 bytes of poetry from ")

    def test_chapter_poems_have_the_chapter_sizes(self):
        sizes = [len(read_bytes(poem)) for poem, _ in CHAPTER_POEMS]
        self.assertEqual(sizes, [3003, 623, 653])

    def test_server_sends_the_file_bytes(self):
        for poem, n in CHAPTER_POEMS:
            with Server(poem, num_bytes=n) as server:
                self.assertEqual(fetch(server.port), read_bytes(poem))


if __name__ == "__main__":
    main()
