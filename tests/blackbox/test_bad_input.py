"""Bad input gets one clear line and exit status 1, never a crash."""
import os
import socket

from labtest import ASYNC, BLOCKING, BROKEN, SELECT, SERVER, LabTestCase, Server, main, run

CLIENTS = [BLOCKING, ASYNC, SELECT, BROKEN]


def free_port():
    """A port nobody listens on: bind, note, close (nothing accepts there)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ClientBadInputTest(LabTestCase):

    def check_all(self, args, *fragments):
        for client in CLIENTS:
            with self.subTest(client=os.path.basename(os.path.dirname(client))):
                self.assertOneLineError(run([client] + args), *fragments)

    def test_non_numeric_port(self):
        self.check_all(["10x"], "Ports must be integers.")
        self.check_all(["localhost:abc"], "Ports must be integers.")

    def test_port_out_of_range(self):
        self.check_all(["70000"], "Port out of range", "70000")
        self.check_all(["0"], "Port out of range")

    def test_no_address_prints_usage(self):
        for client in CLIENTS:
            result = run([client])
            self.assertOneLineError(result, "no server given", after_usage=True)
            self.assertIn("usage:", result.stderr)

    def test_refused_connection_names_address_and_reason(self):
        port = free_port()
        self.check_all([str(port)], "127.0.0.1:%d" % port, "Connection refused")

    def test_unknown_host(self):
        self.check_all(["no-such-host.invalid:10000"], "unknown host", "no-such-host.invalid")

    def test_ipv6_without_brackets(self):
        self.check_all(["::1:10000"], "brackets")

    def test_help_exits_zero(self):
        for client in CLIENTS:
            result = run([client, "--help"])
            self.assertEqual(result.returncode, 0)
            self.assertIn("usage:", result.stdout)


class ServerBadInputTest(LabTestCase):

    def setUp(self):
        super().setUp()
        self.poem = self.write_poem("p.txt", b"a poem\n")

    def test_missing_poem(self):
        missing = os.path.join(self.tmp, "missing.txt")
        self.assertOneLineError(run([SERVER, missing]), "No such file: " + missing)

    def test_directory_as_poem(self):
        self.assertOneLineError(run([SERVER, self.tmp]), self.tmp, "directory")

    def test_unreadable_poem(self):
        # Root reads any file whatever its mode; a path through a file is
        # unreadable for everybody.
        path = os.path.join(self.poem, "inside")
        self.assertOneLineError(run([SERVER, path]), path, "Not a directory")
        if os.geteuid() != 0:
            os.chmod(self.poem, 0)
            self.assertOneLineError(run([SERVER, self.poem]), self.poem, "Permission denied")

    def test_not_exactly_one_poem(self):
        self.assertOneLineError(run([SERVER]), "Provide exactly one poetry file.")
        self.assertOneLineError(run([SERVER, self.poem, self.poem]), "Provide exactly one poetry file.")

    def test_port_in_use(self):
        with Server(self.poem) as server:
            self.assertOneLineError(run([SERVER, "--iface", "127.0.0.1", "--port", str(server.port),
                                         self.poem]), "Address already in use", str(server.port))

    def test_bad_port(self):
        self.assertOneLineError(run([SERVER, "--port", "ten", self.poem]), "Ports must be integers.")
        self.assertOneLineError(run([SERVER, "--port", "65536", self.poem]), "Port out of range")

    def test_bad_delay(self):
        for value in ["slow", "-1", "nan", "inf", ""]:
            with self.subTest(delay=value):
                self.assertOneLineError(run([SERVER, "--delay", value, self.poem]), "--delay")

    def test_bad_num_bytes(self):
        for value in ["0", "-5", "ten", "1.5"]:
            with self.subTest(num_bytes=value):
                self.assertOneLineError(run([SERVER, "--num-bytes", value, self.poem]), "--num-bytes")

    def test_unknown_iface(self):
        self.assertOneLineError(run([SERVER, "--iface", "no-such-host.invalid", self.poem]),
                                "no-such-host.invalid")

    def test_unknown_option(self):
        self.assertOneLineError(run([SERVER, "--bogus", self.poem]), "bogus")


if __name__ == "__main__":
    main()
