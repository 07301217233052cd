"""Exercise 1: a failure to connect must not crash the client.
Each check's message is what `./lab check` shows the learner; the contract
items (C1 ...) are those of exercises/connect-failure/README.md."""
import socket
import time

from poetrylab.checker.benches import Blackhole
from poetrylab.processes import free_port
from poetrylab.checker.case import ExerciseTestCase, check, excerpt, stderr_excerpt, tr

POEM = b"A poem that made it\nacross the wire.\n"
# 600 bytes at 10 bytes every 20 ms: about 1.2 s, alone.
LONG = b"a poem long enough to be read in many small bites\n" * 12


def resolver_says(host):
    """What getaddrinfo answers for `host`: the reason lab::ConnectError
    gives (Python's socket.gaierror carries the same gai_strerror text)."""
    try:
        socket.getaddrinfo(host, 10000, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        return error.strerror
    raise RuntimeError("%s resolves here: the check needs a name that does not" % host)


def failed(task, address, reason):
    return "Task %d: failed to connect to %s: %s" % (task, address, reason)


class ConnectFailure(ExerciseTestCase):

    HELD_ADVICE = ("Is each socket still switched to non-blocking (set_nonblocking) once it is "
                   "connected, as in the reactor client?",
                   "연결된 소켓마다 reactor 클라이언트처럼 논블로킹으로(set_nonblocking) 바꾸고 "
                   "있나요?")

    def check_one_failed(self, args, task, line, sizes):
        run = self.run_program(*args, expect=0.5)
        if not run.lines and run.returncode == 1 and "error:" in run.stderr:
            self.fail(tr("The client stopped at the first failed connect and fetched nothing: "
                         "the error that connect_to throws ended the whole program.\n{err}\n"
                         "Catch it, report it as Task {task}'s failure, and let the other tasks "
                         "go on.",
                         "클라이언트가 첫 연결 실패에서 멈추고 아무것도 가져오지 못했습니다. "
                         "connect_to가 던진 오류가 프로그램 전체를 끝냈습니다.\n{err}\n그 오류를 "
                         "잡아서 Task {task}의 실패로 알리고, 다른 작업은 계속되게 하세요.",
                         err=stderr_excerpt(run), task=task))
        self.assertLine(run, line, tr("Task {task} could not connect: the client should say so "
                                      "and go on.",
                                      "Task {task}의 연결이 실패했습니다. 클라이언트는 그렇다고 "
                                      "말하고 계속해야 합니다.", task=task))
        if "ReactorNotRunning" in run.stderr:
            self.fail(tr("The client died with ReactorNotRunning: stop() was called before run(). "
                         "As in Twisted, a reactor that is not running cannot be stopped. A task "
                         "that fails while connecting (before run) must not stop the reactor; "
                         "run the reactor only when some connection worked.\n{err}",
                         "클라이언트가 ReactorNotRunning으로 죽었습니다. run() 전에 stop()을 "
                         "불렀습니다. Twisted에서처럼 실행 중이 아닌 reactor는 멈출 수 없습니다. "
                         "연결하다가(run 전에) 실패한 작업은 reactor를 멈추면 안 됩니다. 연결이 "
                         "하나라도 됐을 때만 reactor를 실행하세요.\n{err}", err=stderr_excerpt(run)),
                      items=("C5",))
        if not [l for l in run.lines if l.startswith("Got ")]:
            self.fail(tr("The client ended right after reporting Task {task}'s failure (exit "
                         "status {rc}): the other poems and the closing lines never came. One "
                         "server that cannot be reached is one failed task, not the end of the "
                         "program.\nWhat it printed:\n{out}\n{err}",
                         "클라이언트가 Task {task}의 실패를 알린 직후 끝났습니다(종료 상태 {rc}). "
                         "다른 시와 마지막 줄들은 끝내 나오지 않았습니다. 연결할 수 없는 서버 하나는 "
                         "실패한 작업 하나일 뿐, 프로그램의 끝이 아닙니다.\n출력한 것:\n{out}\n{err}",
                         task=task, rc=run.returncode, out=excerpt(run.lines),
                         err=stderr_excerpt(run)))
        self.assertEnding(run, sizes, tr("After a failed connect the client still fetches "
                                         "the other poems and prints the closing lines, for "
                                         "the failed task too (0 bytes).",
                                         "연결이 실패한 뒤에도 클라이언트는 다른 시를 가져오고, "
                                         "실패한 작업까지 포함해(0바이트) 마지막 줄들을 "
                                         "출력합니다."),
                          1, tr("A task failed.", "작업 하나가 실패했습니다."))

    def refused_beside_a_good_server(self, refused_first):
        poem = self.write_poem("p.txt", POEM)
        port = free_port()
        with self.server(poem) as server:
            ports, task = ([port, server.port], 1) if refused_first else ([server.port, port], 2)
            sizes = [0, len(POEM)] if refused_first else [len(POEM), 0]
            self.check_one_failed(ports, task, failed(task, "127.0.0.1:%d" % port, "Connection refused"),
                                  sizes)

    @check("refused after a good server", "정상 서버 다음의 거부된 연결", "C1", "C2", "C3")
    def refused_after_a_good_server(self):
        self.refused_beside_a_good_server(refused_first=False)

    @check("refused before a good server", "정상 서버 앞의 거부된 연결", "C1", "C2", "C5")
    def refused_before_a_good_server(self):
        self.refused_beside_a_good_server(refused_first=True)

    @check("an unknown host", "알 수 없는 호스트", "C1", "C2")
    def unknown_host(self):
        poem = self.write_poem("p.txt", POEM)
        # Where a nameserver is set up but cannot be reached, the resolver
        # takes seconds to give up: time it, and give the client that long too.
        started = time.monotonic()
        reason = resolver_says("no-such-host.invalid")
        resolving = time.monotonic() - started
        with self.server(poem) as server:
            run = self.run_program(server.port, "no-such-host.invalid:10000", expect=0.5 + 2 * resolving)
        self.assertLine(run, failed(2, "no-such-host.invalid:10000", reason),
                        tr("An unknown host name is a failed task too, with the resolver's reason "
                           "(what lab::ConnectError's reason() says).",
                           "알 수 없는 호스트 이름도 실패한 작업이며, 이유는 이름 해석(resolver)이 알려 준 것"
                           "(lab::ConnectError의 reason())입니다."))
        self.assertEnding(run, [len(POEM), 0], tr("After an unknown host the client goes on.",
                                     "알 수 없는 호스트 뒤에도 클라이언트는 계속합니다."),
                          1, tr("A task failed.", "작업 하나가 실패했습니다."))

    @check("a connect that times out", "시간 초과된 연결", "C1", "C2")
    def connect_that_times_out(self):
        poem = self.write_poem("p.txt", POEM)
        with self.server(poem) as server, Blackhole() as hole:
            self.check_one_failed(["--connect-timeout", "0.3", server.port, hole.port], 2,
                                  failed(2, "127.0.0.1:%d" % hole.port, "Connection timed out"),
                                  [len(POEM), 0])

    @check("every server fails", "모든 서버가 실패", "C4")
    def every_server_fails(self):
        ports = [free_port(), free_port()]
        run = self.run_program(*ports, expect=0.2,
                               hang=tr("No connection worked, so there is nothing to wait for.",
                                       "어떤 연결도 되지 않았으니 기다릴 것이 없습니다."))
        for task, port in enumerate(ports, start=1):
            self.assertLine(run, failed(task, "127.0.0.1:%d" % port, "Connection refused"),
                            tr("Both servers refuse.", "두 서버 모두 연결을 거부합니다."))
        still = tr("When every server fails the client still prints the closing lines, and "
                   "ends at once.", "모든 서버가 실패해도 클라이언트는 마지막 줄들을 출력하고 바로 "
                   "끝납니다.")
        self.assertEnding(run, [0, 0], still, 1, tr("Every task failed.", "모든 작업이 실패했습니다."))

    @check("no failure, exit status 0", "실패가 없으면 종료 상태 0", "C3")
    def no_failure_exits_zero(self):
        poem = self.write_poem("p.txt", POEM)
        with self.server(poem) as server:
            run = self.run_program(server.port, server.port, expect=0.2)
        self.assertClosingLines(run, [len(POEM)] * 2, tr("With every server up, nothing about the client "
                                           "should change.",
                                           "모든 서버가 살아 있으면 클라이언트는 아무것도 달라지지 "
                                           "않아야 합니다."))
        if [l for l in run.lines if "failed to connect" in l]:
            self.fail(tr("Every server was up, yet a failure was reported:\n{out}",
                         "모든 서버가 살아 있는데 실패가 보고되었습니다:\n{out}",
                         out=excerpt(run.lines)))
        self.assertExit(run, 0, tr("No task failed.", "실패한 작업이 없습니다."))

    def two_long_poems_and_a_refusal(self):
        """Tasks 1 and 3 each take about 1.2 s alone; task 2 is refused."""
        poem = self.write_poem("long.txt", LONG)
        with self.server(poem, num_bytes=10, delay="0.02") as a, \
                self.server(poem, num_bytes=10, delay="0.02") as b:
            return self.run_program(a.port, free_port(), b.port, expect=1.3)

    @check("the reactor is never held", "reactor를 붙잡지 않는다", "C6")
    def reactor_is_never_held(self):
        self.assertNeverHeld(self.two_long_poems_and_a_refusal())

    @check("poems arrive side by side", "시들이 나란히 도착한다", "C7")
    def poems_arrive_side_by_side(self):
        self.assertOverlap(self.two_long_poems_and_a_refusal(), [1, 3], [len(LONG) / 10 * 0.02] * 2)

