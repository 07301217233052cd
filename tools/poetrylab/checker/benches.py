"""Servers that misbehave on purpose, for the checks: one that accepts and
says nothing (or stops halfway), one whose connect completes a second late,
one that never answers a connect at all. Each on port 0 of 127.0.0.1."""
import socket
import threading
import time


def fill_queue(port):
    """Connections that fill a listen(0) queue on `port`: the kernel then
    drops a new SYN, and a connect can only wait (and retry)."""
    fillers = []
    for _ in range(3):
        filler = socket.socket()
        filler.setblocking(False)
        try:
            filler.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        fillers.append(filler)
    return fillers


class QuietServer:
    """Accepts, sends `first` (maybe nothing), then says nothing more and
    keeps the connection open: only a timer can end such a poem."""

    def __init__(self, first=b"", late=False):
        self.first = first
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(0 if late else 8)
        self.port = self.listener.getsockname()[1]
        self.clients = []
        self.closed = threading.Event()
        # A full accept queue makes the kernel drop a new SYN; the client's
        # kernel sends it again about 1 s later (the initial retransmission
        # timeout), by when we have emptied the queue: a connect that
        # completes about a second late, whatever the client does.
        self.fillers = fill_queue(self.port) if late else []
        self.thread = threading.Thread(target=self._serve, args=(late,), daemon=True)
        self.thread.start()

    def _serve(self, late):
        if late:
            # The client's first SYN is dropped while the queue is full; its
            # kernel sends it again about a second later. Make room only
            # once that first SYN has come (however slowly the program
            # started, e.g. under the sanitizers on a busy machine): the
            # connect then completes about a second late, never early.
            self._await_syn(deadline=time.monotonic() + 15)
            time.sleep(0.1)
            for filler in self.fillers:
                filler.close()  # no more retries of theirs to take the room
        self.listener.settimeout(0.1)
        while not self.closed.is_set():
            try:
                conn, _ = self.listener.accept()
            except (socket.timeout, OSError):
                continue
            try:
                conn.sendall(self.first)
            except OSError:
                pass
            self.clients.append(conn)

    def _await_syn(self, deadline):
        """Until a socket other than our fillers is in SYN_SENT towards our
        port (/proc/net/tcp: state 02, ports in hex)."""
        ours = {filler.getsockname()[1] for filler in self.fillers}
        while time.monotonic() < deadline and not self.closed.is_set():
            with open("/proc/net/tcp") as table:
                for line in table.readlines()[1:]:
                    fields = line.split()
                    local, remote, state = fields[1], fields[2], fields[3]
                    if (state == "02" and int(remote.split(":")[1], 16) == self.port
                            and int(local.split(":")[1], 16) not in ours):
                        return
            time.sleep(0.01)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.closed.set()
        self.thread.join(5)
        for sock in self.clients + self.fillers + [self.listener]:
            sock.close()


class Blackhole:
    """A listener whose queue stays full: a connect to it is never answered,
    so it can only time out."""

    def __enter__(self):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(0)
        self.port = self.listener.getsockname()[1]
        self.fillers = fill_queue(self.port)
        return self

    def __exit__(self, *exc):
        for sock in self.fillers + [self.listener]:
            sock.close()
