"""Faults and scale: what learners do to the programs in a real class.
A server stopped mid-poem, Ctrl-C on a client, IPv6, hundreds of clients in
a row on one server, one client holding 1,000 connections at once."""
import os
import re
import resource
import signal
import socket
import subprocess
import threading
import time

from labtest import (ASYNC, BLOCKING, BROKEN, SELECT, LabTestCase, Server, check_no_sanitizer_report,
                     fetch, main, run)

from poetrylab.checker.benches import Blackhole

CLIENTS = [BLOCKING, ASYNC, SELECT, BROKEN]
SHORT = b"A short poem that arrives at once.\n"
# At 10 bytes every 20 ms this outlasts any test: always mid-poem.
ENDLESS = b"and on the poem went, and on, and on\n" * 20000


def name(client):
    return os.path.basename(client)


def wait_until(condition, what, timeout=20):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("gave up waiting for " + what)
        time.sleep(0.01)


def task_bytes(stdout, task):
    """The closing line's count for `task`."""
    match = re.search(r"^Task %d: (\d+) bytes of poetry$" % task, stdout, re.M)
    return int(match.group(1)) if match else None


def got_sum(stdout, task):
    return sum(int(n) for n in re.findall(r"^Task %d: got (\d+) bytes" % task, stdout, re.M))


class FaultTest(LabTestCase):

    def test_server_stopped_mid_poem(self):
        """The task whose server stops reports the loss with what it got; the
        others finish; exit status 1."""
        short = self.write_poem("short.txt", SHORT)
        endless = self.write_poem("endless.txt", ENDLESS)
        for client in CLIENTS:
            with self.subTest(client=name(client)), Server(short) as first, \
                    Server(endless, num_bytes=10, delay="0.02") as doomed, Server(short) as third:
                proc = subprocess.Popen([client, str(first.port), str(doomed.port), str(third.port)],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                wait_until(lambda: doomed.sending_lines() >= 10, "the second poem to be under way")
                doomed.stop()  # Ctrl-C on the server: it resets the connection
                out, err = proc.communicate(timeout=60)
                check_no_sanitizer_report(self, err, name(client))
                self.assertEqual(proc.returncode, 1, out + err)
                self.assertRegex(out, r"(?m)^Task 2: lost the connection to 127\.0\.0\.1:%d: "
                                 r"Connection reset by peer$" % doomed.port)
                # The blocking client's one got line per task is its closing line.
                count = got_sum if client == BLOCKING else task_bytes
                got = count(out, 2)
                self.assertGreater(got, 0, out)
                self.assertLess(got, len(ENDLESS))
                self.assertEqual(got, got_sum(out, 2), "every byte reported in a got line")
                self.assertEqual(count(out, 1), len(SHORT))
                self.assertEqual(count(out, 3), len(SHORT))

    def interrupt(self, client, servers, ready):
        """Ctrl-C on `client` (fetching from `servers`) once `ready()`:
        it must end as interrupted, with no sanitizer report."""
        proc = subprocess.Popen([client] + [str(s.port) for s in servers],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        wait_until(ready, "the poems to be under way")
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
        check_no_sanitizer_report(self, err, name(client))
        self.assertEqual(proc.returncode, 130, out + err)
        return out, err

    def test_ctrl_c_on_a_client_prints_what_arrived(self):
        # Two endless poems: the broken client's doRead blocks on one while
        # the other is ready too, and Ctrl-C must still end it at once.
        endless = self.write_poem("endless.txt", ENDLESS)
        for client in CLIENTS:
            with self.subTest(client=name(client)), \
                    Server(endless, num_bytes=10, delay="0.02") as one, \
                    Server(endless, num_bytes=10, delay="0.02") as two:
                out, err = self.interrupt(client, [one, two], lambda: one.sending_lines() >= 5)
                self.assertIn("interrupted by SIGINT", err)
                # The chapter's closing line is for a run that ended on its own.
                self.assertRegex(out.splitlines()[-1], r"^Interrupted: got 0 of 2 poems in \S+$")
                self.assertNotIn("Got 2 poems", out)
                # Which poem a client was reading when Ctrl-C came differs
                # from run to run (the broken client may be blocked in either
                # doRead): what arrived, from either server, is reported.
                tasks = (1,) if client == BLOCKING else (1, 2)
                counts = [got_sum(out, t) if client == BLOCKING else task_bytes(out, t) for t in tasks]
                self.assertNotIn(None, counts, out)
                self.assertGreater(sum(counts), 0, out)
                if client != BLOCKING:
                    for task, count in zip(tasks, counts):
                        self.assertEqual(count, got_sum(out, task), "every byte reported in a got line")

    def test_ctrl_c_counts_the_poems_that_arrived_whole(self):
        short = self.write_poem("short.txt", SHORT)
        endless = self.write_poem("endless.txt", ENDLESS)
        for client in CLIENTS:
            with self.subTest(client=name(client)), Server(short) as done, \
                    Server(endless, num_bytes=10, delay="0.02") as going:
                out, _ = self.interrupt(client, [done, going], lambda: going.sending_lines() >= 10)
                last = out.splitlines()[-1]
                if client == BROKEN:
                    # It may be stuck in the endless poem's doRead before it
                    # ever read the short one: it counts what finished.
                    whole = len([l for l in out.splitlines() if l.endswith(" finished")])
                    self.assertRegex(last, r"^Interrupted: got %d of 2 poems in \S+$" % whole)
                else:
                    self.assertRegex(last, r"^Interrupted: got 1 of 2 poems in \S+$")

    def test_ctrl_c_while_connecting(self):
        for client in CLIENTS:
            with self.subTest(client=name(client)), Blackhole() as hole:
                proc = subprocess.Popen([client, str(hole.port)], stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)
                time.sleep(0.3)  # it is now waiting for a handshake that never comes
                proc.send_signal(signal.SIGINT)
                out, err = proc.communicate(timeout=20)
                check_no_sanitizer_report(self, err, name(client))
                self.assertEqual(proc.returncode, 130, out + err)
                self.assertEqual(err.strip().splitlines(),
                                 ["%s: error: interrupted while connecting to 127.0.0.1:%d"
                                  % (name(client), hole.port)])

    def test_server_stopped_after_the_last_chunk_ends_the_poem_cleanly(self):
        """Ctrl-C while the server sleeps after the last chunk: the poem was
        all sent, so the client must see a normal end, not a reset."""
        poem = self.write_poem("ten.txt", b"0123456789")
        for client in (ASYNC, BLOCKING):
            with self.subTest(client=name(client)), Server(poem, delay="5") as server:
                proc = subprocess.Popen([client, str(server.port)], stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)
                wait_until(lambda: server.sending_lines() >= 1, "the only chunk")
                time.sleep(0.2)
                server.stop()
                out, err = proc.communicate(timeout=20)
                self.assertEqual(proc.returncode, 0, out + err)
                self.assertNotIn("lost the connection", out)

    def test_server_stops_promptly_at_delay_0(self):
        """--delay 0 never sleeps; a stop signal must still get in between
        chunks (Server.stop() gives it 20 s, the poem would take far longer)."""
        poem = self.write_poem("big.txt", b"x" * (4 * 1024 * 1024))
        with Server(poem, num_bytes=1, delay="0") as server:
            reader = server.connect()
            wait_until(lambda: server.sending_lines() >= 100, "the poem to be under way")
            server.stop()
            reader.close()
        self.assertEqual(server.returncode, 0)

    def test_ipv6_everywhere(self):
        try:
            with socket.socket(socket.AF_INET6) as probe:
                probe.bind(("::1", 0))
        except OSError:
            self.skipTest("no ::1 on this machine")
        poem = self.write_poem("v6.txt", SHORT)
        with Server(poem, iface="::1") as server:
            for client in CLIENTS:
                with self.subTest(client=name(client)):
                    result = run([client, "[::1]:%d" % server.port])
                    self.assertClean(result)
                    self.assertIn("from [::1]:%d" % server.port, result.stdout)
                    self.assertIn("Task 1: %s%d bytes of poetry" % ("got " if client == BLOCKING
                                                                     else "", len(SHORT)),
                                  result.stdout)

    def test_hundreds_of_clients_in_a_row(self):
        """One server, 300 clients one after another, every fifth hanging up
        after the first chunk: the others get every byte, and the server's
        descriptor count ends where it started."""
        data = bytes(range(256)) * 4
        poem = self.write_poem("kilo.bin", data)
        with Server(poem, num_bytes=128, delay="0") as server:
            fds = "/proc/%d/fd" % server.proc.pid
            before = len(os.listdir(fds))
            for i in range(300):
                if i % 5 == 4:
                    with server.connect() as quitter:
                        quitter.recv(1)
                        quitter.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           b"\x01\x00\x00\x00\x00\x00\x00\x00")
                else:
                    self.assertEqual(fetch(server.port), data, "client %d" % i)
            self.assertEqual(fetch(server.port), data)  # the quitters are all behind us
            self.assertEqual(len(os.listdir(fds)), before)
            server.stop()
        self.assertEqual(server.returncode, 0)
        check_no_sanitizer_report(self, server.stderr, "server")
        self.assertEqual(len([l for l in server.lines() if l.startswith("Somebody at")]), 301)


class ManyServers:
    """A helper in the test itself: one port, any number of connections,
    each sent a small poem and closed (our slow server takes one client at a
    time, which is the point of it, but not what this test is about)."""

    def __init__(self, poem):
        self.poem = poem
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(2048)
        self.port = self.listener.getsockname()[1]
        self.done = False
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        self.listener.settimeout(0.1)
        while not self.done:
            try:
                conn, _ = self.listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            with conn:
                conn.sendall(self.poem)

    def close(self):
        self.done = True
        self.thread.join(5)
        self.listener.close()


class ScaleTest(LabTestCase):

    def setUp(self):
        super().setUp()
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if hard < 1200:
            self.skipTest("the hard descriptor limit (%d) is below 1,200" % hard)
        self.helper = ManyServers(SHORT)

    def tearDown(self):
        self.helper.close()
        super().tearDown()

    def test_reactor_client_holds_1000_connections(self):
        # Start it with the usual soft limit of 1,024: it must raise its own.
        def low_soft_limit():
            hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
            resource.setrlimit(resource.RLIMIT_NOFILE, (1024, hard))

        result = run([ASYNC, "--quiet"] + [str(self.helper.port)] * 1000, timeout=120,
                     preexec_fn=low_soft_limit)
        self.assertClean(result)
        lines = result.stdout.splitlines()
        self.assertEqual(lines[:-1], ["Task %d: %d bytes of poetry" % (t, len(SHORT))
                                      for t in range(1, 1001)])
        self.assertRegex(lines[-1], r"^Got 1000 poems in ")

    def test_too_few_descriptors_is_said_clearly(self):
        def tiny_limit():
            resource.setrlimit(resource.RLIMIT_NOFILE, (40, 40))

        result = run([ASYNC] + [str(self.helper.port)] * 100, preexec_fn=tiny_limit)
        self.assertOneLineError(result, "Too many open files", "40 descriptors")

    def test_select_client_refuses_fd_setsize(self):
        result = run([SELECT] + [str(self.helper.port)] * 1100, timeout=120)
        self.assertOneLineError(result, "FD_SETSIZE (1024)", "reactor client")


if __name__ == "__main__":
    main()
