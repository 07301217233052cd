"""python3 -m poetrylab.serve [--delay SECONDS] [--lang en|ko]: ./lab servers.

The chapter opens with three slow poetry servers, each in its own terminal
(Part 4, "Twisted Poetry"):

    slowpoetry --port 10000 poetry/ecstasy.txt --num-bytes 30
    slowpoetry --port 10001 poetry/fascination.txt
    slowpoetry --port 10002 poetry/science.txt

Three terminals, each scrolling a "Sending 10 bytes" line per chunk, is a
lot of projector for an instructor who wants to type the clients by hand
in a fourth. This starts the three in one terminal, quietly: one status
line per server (its port, its poem, the bytes of the current poem sent so
far, the clients served, idle or sending), rewritten in place on a
terminal, and a line per change of state through a pipe. Ctrl-C (or
SIGTERM) stops them all; none is left running, even if we are killed
(SlowServer starts each to die with us).
"""
import math
import os
import signal
import sys
import time

from poetrylab.command import Command
from poetrylab.manifest import ROOT
from poetrylab.messages import pick_lang, say
from poetrylab.processes import reader_may_leave
from poetrylab.servers import ServerError, SlowServer
from poetrylab.terminal import Style, width
from poetrylab.text import columns, pad

# The chapter's servers: (port, poem, options). The delay is ours to set.
CHAPTER = [(10000, "ecstasy.txt", ["--num-bytes", "30"]),
           (10001, "fascination.txt", []),
           (10002, "science.txt", [])]
REDRAW = 0.2  # seconds between looks at the servers: at most five redraws a second
MAX_DELAY = 7 * 24 * 3600  # as the programs' own options (lib/cli.hpp's kMaxSeconds)


def usage(lang):
    return say(lang, """usage: ./lab servers [--delay SECONDS] [--lang en|ko]

The chapter's three slow poetry servers in one terminal, quietly: one line
each (port, poem, bytes sent, clients served, idle or sending), until
Ctrl-C stops them all. In another terminal, fetch from them by hand:

  build/async-client/get-poetry 10000 10001 10002

  --delay SECONDS   the servers' pause after each chunk (default 0.1)
  --lang            messages in English (en) or Korean (ko)""",
               """사용법: ./lab servers [--delay SECONDS] [--lang en|ko]

장의 느린 시 서버 세 개를 터미널 하나에서 조용히 띄웁니다. 서버마다 한 줄
(포트, 시, 보낸 바이트, 받은 클라이언트, 대기 중 또는 보내는 중)이 보이고,
Ctrl-C를 누르면 모두 멈춥니다. 다른 터미널에서 직접 받아 보세요:

  build/async-client/get-poetry 10000 10001 10002

  --delay SECONDS   서버가 조각 하나를 보낸 뒤 쉬는 시간 (기본값 0.1)
  --lang            메시지 언어: 영어(en) 또는 한국어(ko)""")


def parse_args(argv):
    """(lang, build folder, delay, any_port): every mistake answered in the
    learner's language, exit status 1."""
    given = None
    for i, word in enumerate(argv):
        if word == "--lang" and i + 1 < len(argv):
            given = argv[i + 1]
        elif word.startswith("--lang="):
            given = word.split("=", 1)[1]
    lang = pick_lang(given if given in ("en", "ko") else None)
    if "-h" in argv or "--help" in argv:
        print(usage(lang))
        sys.exit(0)
    help_hint = say(lang, "(./lab servers --help lists its options)", "(옵션 목록은 ./lab servers --help에 있습니다)")
    # --any-port: the tests' (port 0 only, never the chapter's ports).
    command = Command(lang, help_hint, flags={"--any-port"}, valued={"--delay", "--lang", "--build"})
    options, _ = command.parse(argv)
    if options.get("--lang", "en") not in ("en", "ko"):
        command.fail(say(lang, "--lang takes en or ko, not '{value}'", "--lang에는 en이나 ko를 씁니다(받은 값: '{value}')",
                         value=options["--lang"]))
    delay = options.get("--delay", "0.1")
    try:
        seconds = float(delay)
    except ValueError:
        seconds = -1.0
    if not (math.isfinite(seconds) and 0 <= seconds <= MAX_DELAY):
        command.fail(say(lang, "--delay takes seconds from 0 to {most}, not '{value}'",
                         "--delay에는 0부터 {most}까지의 초를 씁니다(받은 값: '{value}')",
                         most=MAX_DELAY, value=delay))
    return lang, options.get("--build", os.path.join(ROOT, "build")), delay, bool(options.get("--any-port"))


class Stop(Exception):
    """SIGTERM, or SIGHUP (the terminal closed): stop as Ctrl-C does."""


def stop_on_signal(signum, frame):
    raise Stop()


class Watched:
    """One server and what its lines have said so far: SlowServer reads
    each line it prints, as it comes, into its list `_lines` (only ever
    appended to), and we read on from where we stopped last time."""

    def __init__(self, server, poem):
        self.server, self.poem, self.size = server, os.path.basename(poem), os.path.getsize(poem)
        self.clients, self.sent, self.sending, self.seen = 0, 0, False, 0
        self.stopped = False

    def read(self):
        new = self.server._lines[self.seen:]  # one slice: safe while its reader thread appends
        self.seen += len(new)
        for line in new:
            if line.startswith("Somebody at "):  # a client: a new poem from its start
                self.clients, self.sent, self.sending = self.clients + 1, 0, True
            elif line.startswith("Sending "):
                self.sent += int(line.split()[1])
                self.sending = self.sent < self.size  # the last chunk: the poem is out
            elif line.startswith("The client left"):
                self.sending = False

    def line(self, lang):
        state = (say(lang, "stopped", "멈춤") if self.stopped else
                 say(lang, "sending", "보내는 중") if self.sending else say(lang, "idle", "대기 중"))
        clients = say(lang, "{n} client" + ("" if self.clients == 1 else "s"), "클라이언트 {n}명", n=self.clients)
        sent = say(lang, "{sent:>4} / {size} bytes", "{sent:>4} / {size}바이트", sent=self.sent, size=self.size)
        return "  %s  %s %s  %s  %s" % (say(lang, "port {port:>5}", "포트 {port:>5}", port=self.server.port),
                                        pad(self.poem, 15), pad(sent, 18), pad(clients, 12), state)


def fit(text, room):
    """`text` cut to `room` terminal columns: a line that wrapped would
    throw off the redraw, which moves up one row per line."""
    while columns(text) > room:
        text = text[:-1]
    return text


class Board:
    """The status lines. On a terminal: drawn in place, the cursor taken
    back up over them each time (ECMA-48 cursor up, erase line), so that
    no copy is left in the scrollback. Through a pipe: a server's line
    again only when its state changed (a client came, a poem ended)."""

    def __init__(self, lang, tty):
        self.lang, self.tty = lang, tty
        self.drawn, self.shown = 0, {}

    def draw(self, watched):
        lines = [w.line(self.lang) for w in watched]
        if self.tty:
            room = width() - 1
            out = "\033[%dA" % self.drawn if self.drawn else ""
            out += "".join("\r\033[K" + fit(line, room) + "\n" for line in lines)
            sys.stdout.write(out)
            self.drawn = len(lines)
        else:
            for w, line in zip(watched, lines):
                state = (w.clients, w.sending, w.stopped)
                if self.shown.get(w.server.port) != state:
                    self.shown[w.server.port] = state
                    sys.stdout.write(line + "\n")
        sys.stdout.flush()


def start(lang, program, delay, any_port, watched):
    """The three servers, into `watched`, each on its chapter port, or on a
    free one when that is taken (said so): a class often has one left from
    last time. False when one would not start (said why)."""
    for port, name, options in CHAPTER:
        poem, want = os.path.join(ROOT, "poetry", name), 0 if any_port else port
        options = options + ["--delay", delay]
        try:
            try:
                server = SlowServer(program, poem, *options, port=want)
            except ServerError as error:
                if "Address already in use" not in error.stderr or want == 0:
                    raise
                server = SlowServer(program, poem, *options)
                print(say(lang, "port {want} is taken: {poem} is served on port {port} instead",
                          "포트 {want}은(는) 이미 쓰이고 있어 {poem}은(는) 포트 {port}에서 보냅니다",
                          want=want, poem=name, port=server.port))
        except ServerError as error:
            print(say(lang, "lab servers: the server for {poem} did not start: {error}",
                      "lab servers: {poem}의 서버가 시작되지 않았습니다: {error}", poem=name, error=error),
                  file=sys.stderr)
            return False
        watched.append(Watched(server, poem))
    return True


def main():
    lang, build, delay, any_port = parse_args(sys.argv[1:])
    signal.signal(signal.SIGTERM, stop_on_signal)
    signal.signal(signal.SIGHUP, stop_on_signal)
    program = os.path.join(build, "slow-server", "slowpoetry")
    if not os.access(program, os.X_OK):
        sys.exit(say(lang, "lab servers: no {program}: build first (./lab build)",
                     "lab servers: {program}이(가) 없습니다. 먼저 빌드하세요 (./lab build)", program=program))
    tty = sys.stdout.isatty()
    board, status, watched = Board(lang, tty), 0, []
    try:
        if not start(lang, program, delay, any_port, watched):
            return 1
        ports = " ".join(str(w.server.port) for w in watched)
        print(Style(tty)("1", say(lang, "The chapter's three slow poetry servers (delay {delay} s); Ctrl-C stops them",
                                  "장의 느린 시 서버 세 개 (지연 {delay}초). Ctrl-C로 모두 멈춥니다", delay=delay)))
        print(say(lang, "fetch by hand: build/async-client/get-poetry {ports}",
                  "직접 받아 보기: build/async-client/get-poetry {ports}", ports=ports))
        sys.stdout.flush()
        while True:
            for w in watched:
                w.read()
            board.draw(watched)
            gone = [w for w in watched if w.server.proc.poll() is not None]
            if gone:
                # Exit status 0 is how a server ends on a stop signal (the
                # terminal's Ctrl-C reaches it too); anything else is news.
                for w in gone:
                    if w.server.proc.returncode != 0:
                        status = 1
                        print(say(lang, "the server on port {port} ended (exit status {code})",
                                  "포트 {port}의 서버가 끝났습니다(종료 상태 {code})",
                                  port=w.server.port, code=w.server.proc.returncode), file=sys.stderr)
                break
            time.sleep(REDRAW)
    except (KeyboardInterrupt, Stop):
        pass
    finally:
        # Every server told at once, then each waited for (stop_all); a
        # second Ctrl-C must not cut that short.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        SlowServer.stop_all([w.server for w in watched])
    if len(watched) < len(CHAPTER):
        return 1  # stopped while starting them: nothing to report
    for w in watched:
        w.read()
        w.stopped = True
    if tty:
        sys.stdout.write("\r\033[K")  # the terminal's own ^C, on the line under the board
    board.draw(watched)
    served = sum(w.clients for w in watched)
    print(say(lang, "all three servers stopped ({n} client" + ("" if served == 1 else "s") + " served)",
              "서버 세 개를 모두 멈췄습니다 (받은 클라이언트 {n}명)", n=served))
    return status


if __name__ == "__main__":
    with reader_may_leave():
        sys.exit(main())
