"""The slow poetry server, seen from outside: its lines, its bytes, its manners."""
import re
import socket
import threading

from labtest import (LabTestCase, Server, fetch, check_no_sanitizer_report, main)

# A poem whose characters take 1 to 4 bytes each, so chunks of 7 bytes cut
# through the middle of characters: the server must not care.
UTF8_POEM = ("Hangul 한글, Greek λόγος, emoji 🌙✨\n"
             "시는 천천히 온다 - poetry comes slowly\n" * 5).encode("utf-8")
BINARY_POEM = bytes(range(256)) * 3 + b"\x00\xff\x00"


def read_to_end(sock):
    got = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return got
        got += chunk


class ServerTest(LabTestCase):

    def test_first_line_names_file_and_real_port(self):
        poem = self.write_poem("short.txt", b"a short poem\n")
        with Server(poem) as server:
            self.assertEqual(server.first_line, "Serving %s on port %d." % (poem, server.port))
            self.assertGreater(server.port, 0)

    def test_utf8_bytes_arrive_exactly(self):
        poem = self.write_poem("utf8.txt", UTF8_POEM)
        with Server(poem, num_bytes=7) as server:
            self.assertEqual(fetch(server.port), UTF8_POEM)

    def test_binary_bytes_arrive_exactly(self):
        poem = self.write_poem("binary.bin", BINARY_POEM)
        with Server(poem, num_bytes=64) as server:
            self.assertEqual(fetch(server.port), BINARY_POEM)

    def test_empty_poem_closes_at_once(self):
        poem = self.write_poem("empty.txt", b"")
        with Server(poem) as server:
            self.assertEqual(fetch(server.port), b"")
            self.assertEqual(fetch(server.port), b"")

    def test_lines_follow_the_spec(self):
        data = b"x" * 95
        poem = self.write_poem("95.txt", data)
        with Server(poem, num_bytes=10) as server:
            self.assertEqual(fetch(server.port), data)
            server.stop()
        lines = server.lines()
        self.assertEqual(lines[0], server.first_line)
        self.assertRegex(lines[1], r"^Somebody at 127\.0\.0\.1:\d+ wants poetry!$")
        # nine chunks of 10 and a last one of 5, each announced before it is sent
        self.assertEqual(lines[2:], ["Sending 10 bytes"] * 9 + ["Sending 5 bytes"])

    def test_serves_one_client_at_a_time(self):
        data = b"0123456789" * 20
        poem = self.write_poem("200.txt", data)
        with Server(poem, num_bytes=10) as server:
            first = server.connect()
            first.recv(1)  # the server is now busy with `first`
            second = server.connect()
            results = {}
            thread = threading.Thread(target=lambda: results.update(second=read_to_end(second)))
            thread.start()
            results["first"] = read_to_end(first)
            thread.join(30)
            ports = [first.getsockname()[1], second.getsockname()[1]]
            first.close()
            second.close()
            server.stop()
        self.assertEqual(results["first"], data[1:])
        self.assertEqual(results["second"], data)
        # The server's own account: all of the first poem, then the second client.
        self.assertEqual(server.lines()[1:], [
            "Somebody at 127.0.0.1:%d wants poetry!" % ports[0]] + ["Sending 10 bytes"] * 20 + [
            "Somebody at 127.0.0.1:%d wants poetry!" % ports[1]] + ["Sending 10 bytes"] * 20)

    def test_client_leaving_mid_poem_ends_only_that_client(self):
        data = b"abcdefghij" * 50
        with Server(self.write_poem("500.txt", data), num_bytes=10) as server:
            quitter = server.connect()
            quitter.recv(10)
            # RST instead of FIN, so the server's next send fails for sure
            quitter.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            quitter.close()
            self.assertEqual(fetch(server.port), data)
            self.assertEqual(fetch(server.port), data)
            server.stop()
        self.assertEqual(server.returncode, 0, server.stderr)
        check_no_sanitizer_report(self, server.stderr, "server")
        self.assertIn("The client left before the end of the poem.", server.lines())
        self.assertEqual(len([l for l in server.lines() if re.match("Somebody at", l)]), 3)

    def test_sigterm_is_a_clean_exit(self):
        poem = self.write_poem("p.txt", b"poem\n")
        with Server(poem) as server:
            fetch(server.port)
            server.stop()
        self.assertEqual(server.returncode, 0)
        check_no_sanitizer_report(self, server.stderr, "server")

    def test_ipv6_loopback(self):
        if not socket.has_ipv6:
            self.skipTest("no IPv6 on this machine")
        try:
            probe = socket.socket(socket.AF_INET6)
            probe.bind(("::1", 0))
            probe.close()
        except OSError:
            self.skipTest("no ::1 on this machine")
        data = b"over IPv6\n"
        poem = self.write_poem("v6.txt", data)
        with Server(poem, iface="::1") as server:
            self.assertEqual(fetch(server.port, host="::1", family=socket.AF_INET6), data)


if __name__ == "__main__":
    main()
