"""What ./lab demo says to a class, in English and in the Korean chapter's
terms: one entry per caption, (English, Korean), filled in by
poetrylab.messages.say (which also picks each Korean particle)."""

CAPTIONS = {
    "usage": ("""usage: ./lab demo [OPTIONS]

Part 4's scenario for a class: the chapter's three slow servers, then the
blocking, reactor and broken clients one after another, then a table.

  --fast          the servers' delay 0.01 s: the whole demo in seconds
  --delay S       the servers' delay (default 0.1 s): how long the broken
                  client's stall lasts (a poem is about 100 delays)
  --saga          the chapter's "epic sagas": three 48 MiB poems, where
                  the broken client falls back to the blocking client's time
  --only CLIENT   only one client: blocking, reactor or broken
  --race          the reactor and the broken client at the same time, one
                  view above the other, each with its own three servers
  --pause         wait for Enter before each client
  --ask           before each client, ask the class how long it will take
  --step          the reactor, then the broken client, one turn of the
                  loop per Enter (with --only: that one)
  --out DIR       also write DIR/timeline.svg, DIR/reactor-doread.svg (the
                  chapter's Figure 7) and Perfetto traces
  --theme T       colours for a light or a dark background (default: as
                  COLORFGBG says, else dark)
  --lang L        captions in English (en) or Korean (ko)""",
              """사용법: ./lab demo [옵션]

수업용 파트 4 시나리오: 장의 느린 서버 세 개를 띄운 뒤, 블로킹, reactor, 깨진
클라이언트를 차례로 실행하고, 마지막에 표로 나란히 비교합니다.

  --fast          서버 지연 0.01초: 데모 전체가 몇 초 만에 끝납니다
  --delay S       서버 지연 (기본값 0.1초): 깨진 클라이언트가 멈춰 있는
                  시간이 정해집니다 (시 한 편은 지연 약 100번)
  --saga          장의 "대작": 48 MiB짜리 시 세 편. 깨진 클라이언트가
                  블로킹 클라이언트만큼 느려집니다
  --only CLIENT   클라이언트 하나만: blocking, reactor, broken 중 하나
  --race          reactor 클라이언트와 깨진 클라이언트를 동시에, 위아래로
                  보여 주며 각자 자기 서버 세 개로 실행합니다
  --pause         클라이언트마다 시작하기 전에 Enter를 기다립니다
  --ask           클라이언트마다 먼저 몇 초 걸릴지 반에 물어봅니다
  --step          reactor 클라이언트, 이어서 깨진 클라이언트를 Enter 한 번에
                  루프 한 바퀴씩 (--only와 함께: 그 클라이언트만)
  --out DIR       DIR/timeline.svg, DIR/reactor-doread.svg(장의 그림 7)와
                  Perfetto 트레이스도 씁니다
  --theme T       밝은(light) 배경이나 어두운(dark) 배경에 맞춘 색 (기본값:
                  COLORFGBG가 말하는 대로, 없으면 dark)
  --lang L        자막 언어: 영어(en) 또는 한국어(ko)"""),
    # Argument mistakes (the demo's own, beyond Command's)
    "bad_delay": ("--delay takes seconds from 0.001 to 10, not '{value}'",
                  "--delay에는 0.001부터 10까지의 초를 씁니다(받은 값: '{value}')"),
    "bad_only": ("--only takes blocking, reactor or broken, not '{value}'",
                 "--only에는 blocking, reactor, broken 중 하나를 씁니다(받은 값: '{value}')"),
    "bad_theme": ("--theme takes light or dark, not '{value}'",
                  "--theme에는 light나 dark를 씁니다(받은 값: '{value}')"),
    "no_step_blocking": ("--step: the blocking client has no loop to step through",
                         "--step: 블로킹 클라이언트에는 한 바퀴씩 돌 루프가 없습니다"),
    "race_with": ("--race runs two clients at once: not with {option}",
                  "--race는 클라이언트 둘을 동시에 실행합니다: {option}과(와) 함께 못 씁니다"),
    "servers": ("The chapter's three slow poetry servers (delay {delay} s)",
                "이 장에 나오는 느린 시 서버 세 개 (지연 {delay}초)"),
    "servers_fast": ("The chapter's three slow poetry servers, ten times faster (delay {delay} s)",
                     "이 장에 나오는 느린 시 서버 세 개, 열 배 빠르게 (지연 {delay}초)"),
    "servers_saga": ("Three slow poetry servers with epic sagas (delay {delay} s)",
                     "대작을 보내는 느린 시 서버 세 개 (지연 {delay}초)"),
    # {poem} and {size} come padded to their columns (text.pad: Hangul
    # counts two), so that Korean lines keep in line too.
    "server_line": ("  :{port:<5}  {poem} {size}, {chunk} bytes a chunk  {alone:6.2f} s alone",
                    "  :{port:<5}  {poem} {size}, 청크당 {chunk} 바이트  혼자서 {alone:6.2f}초"),
    "server_line_narrow": ("  :{port:<5}  {poem} {size}  {alone:6.2f} s alone",
                           "  :{port:<5}  {poem} {size}  혼자서 {alone:6.2f}초"),
    "taken": ("  (port {want} is taken: port {port} instead)", "  (포트 {want} 사용 중: 대신 포트 {port})"),
    "alone": ("  the slowest alone: {slowest:.2f} s; one after another: {total:.2f} s",
              "  가장 느린 서버 혼자: {slowest:.2f}초, 하나씩 차례로: {total:.2f}초"),
    "long_run": ("  (at this delay the clients take about {minutes:.0f} minutes; Ctrl-C stops them)",
                 "  (이 지연이면 클라이언트가 약 {minutes:.0f}분 걸립니다. Ctrl-C로 멈춥니다)"),
    "blocking": ("The blocking client: one server at a time, so the sum",
                 "블로킹 클라이언트: 한 번에 서버 하나씩, 그래서 걸리는 시간은 합계"),
    "reactor": ("The reactor client: every server at once, so the slowest",
                "reactor 클라이언트: 모든 서버를 한꺼번에, 그래서 가장 느린 서버만큼"),
    "broken": ("The broken client: doRead blocks, holding the whole loop",
               "깨진 클라이언트: doRead가 블로킹하며 루프 전체를 붙잡습니다"),
    # With --ask the headings do not give the answer away.
    "blocking_ask": ("The blocking client", "블로킹 클라이언트"),
    "reactor_ask": ("The reactor client", "reactor 클라이언트"),
    "broken_ask": ("The broken client", "깨진 클라이언트"),
    "held": ("  reactor held by {who}: {secs:.1f} s", "  reactor를 붙잡은 콜백: {who}, {secs:.1f}초"),
    "waiting": ("  {tasks} waiting ({queued} queued in the kernel)",
                "  {tasks}이(가) 기다리는 중 (커널에 {queued} 쌓임)"),
    "elapsed": ("  {secs:.1f} s so far", "  지금까지 {secs:.1f}초"),
    "free": ("  reactor: waiting on every socket at once", "  reactor: 모든 소켓을 한꺼번에 기다리는 중"),
    # The live block's lines fit 59 columns (view.LIMIT).
    "one_at_a_time": ("  Task {task} blocks in recv(); the others wait their turn",
                      "  Task {task}이(가) recv()에서 블로킹 중, 나머지는 차례 대기"),
    # Folded to 80 columns, so written without the indent.
    "was_held": ("(the reactor was held by {who} for {secs:.1f} s; {tasks} waited)",
                 "({who} 콜백이 reactor를 {secs:.1f}초 붙잡았고, 그동안 {tasks}은(는) 기다렸습니다)"),
    # No other poem was still coming: nobody waited.
    "was_held_alone": ("(the reactor was held by {who} for {secs:.1f} s)",
                       "({who} 콜백이 reactor를 {secs:.1f}초 붙잡았습니다)"),
    "heartbeat": ("  heartbeat [{strip}] every {every} s", "  heartbeat [{strip}] {every}초마다"),
    "ask": ("  How many seconds will it take? (Enter: no guess) ",
            "  몇 초 걸릴까요? (Enter: 추측 없음) "),
    "not_a_guess": ("  not a number of seconds: {text}", "  초 단위 숫자가 아닙니다: {text}"),
    "guessed": ("  you guessed {guess:.1f} s; it took {took:.2f} s",
                "  추측 {guess:.1f}초; 실제 {took:.2f}초"),
    "side_by_side": ("Side by side", "나란히 비교"),
    "numbers": ("The numbers", "숫자"),
    "servers_alone": ("  servers alone (chunks x delay): slowest {slowest:.2f} s, sum {total:.2f} s",
                      "  서버 혼자 (청크 x 지연): 가장 느린 것 {slowest:.2f}초, 합계 {total:.2f}초"),
    # The table's columns (TABLE lays them out).
    "col_client": ("client", "클라이언트"),
    "col_time": ("time", "시간"),
    "col_slowest": ("x slowest", "x 느린 것"),
    "col_sum": ("x sum", "x 합계"),
    "col_longest": ("longest callback", "가장 긴 콜백"),
    "col_guess": ("guess", "추측"),
    "one_server": ("waited on one server at a time", "한 번에 서버 하나씩 기다렸습니다"),
    "all_at_once": ("waited on all servers at once", "모든 서버를 한꺼번에 기다렸습니다"),
    "hid": ("held the loop a poem at a time; the kernel's buffers hid it",
            "시 한 편씩 루프를 붙잡았지만, 커널 버퍼가 그것을 가렸습니다"),
    "little_better": ("held the loop a poem at a time: little better than blocking",
                      "시 한 편씩 루프를 붙잡았습니다: 블로킹보다 나을 게 거의 없습니다"),
    "in_between": ("in between: blocked part of the time", "중간: 일부 시간 동안 블로킹했습니다"),
    "notice": ("What to notice: the blocking client takes the sum, the reactor client the\n"
               "slowest server's time. The broken client looks just as fast on these small\n"
               "poems, but its longest callback shows it held the loop for a whole poem at a\n"
               "time, and its heartbeat froze meanwhile: the kernel buffered the other\n"
               "servers' bytes. Try ./lab demo --saga.",
               "눈여겨볼 점: 블로킹 클라이언트는 합계만큼, reactor 클라이언트는 가장 느린\n"
               "서버만큼 걸립니다. 깨진 클라이언트도 이 작은 시들에서는 똑같이 빨라 보이지만,\n"
               "가장 긴 콜백을 보면 시 한 편 내내 루프를 붙잡았고 그동안 heartbeat가\n"
               "멈췄습니다. 그사이 커널이 다른 서버의 바이트를 버퍼에 담아 두었습니다.\n"
               "./lab demo --saga도 해 보세요."),
    "notice_stopped": ("What to notice: nothing this time. The run was stopped (Ctrl-Z) on the way,\n"
                       "so its numbers are not the chapter's: run it again to see them.",
                       "눈여겨볼 점: 이번에는 없습니다. 도중에 멈췄기 때문에(Ctrl-Z) 숫자가 장의\n"
                       "것과 다릅니다. 다시 실행해서 보세요."),
    # --only: what the one client shows, with no other to set it beside.
    "notice_only_blocking": (
        "What to notice: the blocking client took about the sum of the servers' times\n"
        "({total:.2f} s): one server at a time. Without --only, ./lab demo sets it\n"
        "beside the reactor and the broken client.",
        "눈여겨볼 점: 블로킹 클라이언트는 서버 시간의 합({total:.2f}초)쯤 걸렸습니다.\n"
        "한 번에 서버 하나씩이기 때문입니다. --only 없이 ./lab demo를 실행하면 reactor\n"
        "클라이언트, 깨진 클라이언트와 나란히 봅니다."),
    "notice_only_reactor": (
        "What to notice: the reactor client took about the slowest server's time\n"
        "({slowest:.2f} s): it waited on all of them at once, and no callback held the\n"
        "loop. Without --only, ./lab demo sets it beside the other two.",
        "눈여겨볼 점: reactor 클라이언트는 가장 느린 서버의 시간({slowest:.2f}초)쯤\n"
        "걸렸습니다. 모든 서버를 한꺼번에 기다렸고, 어떤 콜백도 루프를 붙잡지\n"
        "않았습니다. --only 없이 ./lab demo를 실행하면 다른 둘과 나란히 봅니다."),
    "notice_only_broken": (
        "What to notice: the broken client's longest callback held the loop for a\n"
        "whole poem, and its heartbeat froze meanwhile. Its time can still look like\n"
        "the slowest server's: the kernel buffered the other servers' bytes. Try\n"
        "./lab demo --only broken --saga, with poems larger than those buffers.",
        "눈여겨볼 점: 깨진 클라이언트의 가장 긴 콜백은 시 한 편 내내 루프를 붙잡았고,\n"
        "그동안 heartbeat가 멈췄습니다. 그래도 걸린 시간은 가장 느린 서버만큼으로 보일\n"
        "수 있습니다. 커널이 다른 서버의 바이트를 버퍼에 담아 두었기 때문입니다. 그\n"
        "버퍼보다 큰 시로 ./lab demo --only broken --saga도 해 보세요."),
    "notice_only_broken_saga": (
        "What to notice: with poems far larger than the kernel's socket buffers, the\n"
        "broken client took about the sum of the servers' times ({total:.2f} s), not the\n"
        "slowest's: each doRead held the loop for a whole poem.",
        "눈여겨볼 점: 시가 커널의 소켓 버퍼보다 훨씬 크면 깨진 클라이언트는 가장 느린\n"
        "서버의 시간이 아니라 서버 시간의 합({total:.2f}초)쯤 걸립니다. doRead마다 시\n"
        "한 편 내내 루프를 붙잡았기 때문입니다."),
    "notice_saga": ("What to notice: with poems far larger than the kernel's socket buffers,\n"
                    "the broken client is scarcely faster than the blocking one, while the\n"
                    "reactor client still takes about the slowest server's time.",
                    "눈여겨볼 점: 시가 커널의 소켓 버퍼보다 훨씬 크면 깨진 클라이언트는\n"
                    "블로킹 클라이언트보다 거의 빠르지 않고, reactor 클라이언트는 여전히 가장\n"
                    "느린 서버만큼만 걸립니다."),
    "sagas": ("Writing the three epic sagas, 48 MiB each, in a temporary folder",
              "대작 세 편을 쓰는 중 (한 편에 48 MiB, 임시 폴더에)"),
    "stopped": ("(the demo was stopped: Ctrl-C)", "(데모를 멈췄습니다: Ctrl-C)"),
    "step_intro": ("The reactor client, one turn of its loop at a time. Each Enter runs one\n"
                   "turn: the reactor waits until a socket is readable, then calls doRead on\n"
                   "every one that is. Type q and Enter to let it run on.",
                   "reactor 클라이언트를 루프 한 바퀴씩 실행합니다. Enter를 누를 때마다 한 바퀴:\n"
                   "reactor는 소켓이 읽을 수 있게 될 때까지 기다렸다가, 그런 소켓마다 doRead를\n"
                   "부릅니다. q를 치고 Enter를 누르면 계속 실행합니다."),
    "timeline": ("Timeline:  {path}", "타임라인:  {path}"),
    "figure7": ("Figure 7:  {path}", "그림 7:    {path}"),
    "trace": ("Trace:     {path}", "트레이스:  {path}"),
    "perfetto": ("(traces open in ui.perfetto.dev or chrome://tracing)",
                 "(트레이스는 ui.perfetto.dev나 chrome://tracing에서 엽니다)"),
    # The live view at any width from 60 columns; below that, plain lines.
    "narrow": ("(the terminal is {width} columns, the live view needs {least}: plain lines from here)",
               "(터미널 폭이 {width}칸이라 라이브 화면에 필요한 {least}칸보다 좁습니다: 여기부터 한 줄씩)"),
    # A heartbeat later than any one callback: several ran in one turn.
    "beat_why": ("(the heartbeat came {late:.2f} s late though no callback took more than {longest:.2f} s: "
                 "{n} callbacks ({who}) ran one after another, and a tick waits for them all)",
                 "(어떤 콜백도 {longest:.2f}초를 넘지 않았는데 heartbeat는 {late:.2f}초 늦었습니다: "
                 "콜백 {n}개({who})가 차례로 실행되었고, 틱은 그 모두를 기다립니다)"),
    # The clients' warnings (lib/slow_callback.cpp, lib/heartbeat.cpp).
    "warn_held": ("{who} ({where}) blocked the reactor for {secs} s",
                  "{who} ({where}) 콜백이 reactor를 {secs}초 붙잡았습니다"),
    "warn_late": ("heartbeat: the reactor was {secs} s late", "heartbeat: reactor가 {secs}초 늦었습니다"),
    # The table's rows and units.
    "row_blocking": ("blocking", "블로킹"),
    "row_reactor": ("reactor", "reactor"),
    "row_broken": ("broken", "깨진"),
    "secs": ("{secs:.2f} s", "{secs:.2f}초"),
    "secs1": ("{secs:.1f} s", "{secs:.1f}초"),
    "secs3": ("{secs:.3f} s", "{secs:.3f}초"),
    "stopped_row": ("stopped {secs:.1f} s (Ctrl-Z) and left out: read no more into it",
                    "{secs:.1f}초 멈춰 있었고(Ctrl-Z) 그 시간은 뺐습니다: 그 이상은 읽지 마세요"),
    "resumed": ("(resumed after {secs:.1f} s stopped: that time is left out)",
                "({secs:.1f}초 멈췄다가 다시 시작했습니다: 그 시간은 뺍니다)"),
    "late_from_stop": ("({secs:.1f} s of it: Ctrl-Z)", "(그중 {secs:.1f}초: Ctrl-Z)"),
    # Class controls.
    "pause": ("  (Enter: start it)", "  (Enter: 시작)"),
    "race": ("The reactor and the broken client at once, each with its own servers",
             "reactor 클라이언트와 깨진 클라이언트를 동시에, 각자 자기 서버로"),
    "race_reactor": ("the reactor client: each poem as it comes", "reactor 클라이언트: 시마다 오는 대로"),
    "race_broken": ("the broken client: doRead blocks until its poem is whole",
                    "깨진 클라이언트: doRead가 시 한 편이 다 올 때까지 블로킹"),
    "race_servers": ("  the broken client's own three, the same: :{ports}",
                     "  깨진 클라이언트의 서버 세 개, 똑같이: :{ports}"),
    "notice_race": ("What to notice: side by side, the reactor client's bars grew together while\n"
                    "the broken client's jumped a whole poem at a time, its heartbeat frozen\n"
                    "meanwhile. On small poems the kernel's buffers hide it in the time taken;\n"
                    "try ./lab demo --race --saga.",
                    "눈여겨볼 점: 나란히 보면 reactor 클라이언트의 막대는 함께 자랐지만, 깨진\n"
                    "클라이언트의 막대는 시 한 편씩 한꺼번에 뛰었고 그동안 heartbeat가 멈췄습니다.\n"
                    "작은 시에서는 커널 버퍼가 걸린 시간에서 그것을 가립니다.\n"
                    "./lab demo --race --saga도 해 보세요."),
    "step_intro_broken": ("The broken client, one turn of its loop at a time. Its doRead blocks until\n"
                          "the whole poem is in: one Enter, and the loop freezes until then. (The\n"
                          "servers send all the while: after a long pause, the freeze is short.)\n"
                          "Type q and Enter to let it run on.",
                          "깨진 클라이언트를 루프 한 바퀴씩 실행합니다. doRead가 시 한 편이 다 올\n"
                          "때까지 블로킹하므로, Enter 한 번에 루프가 그때까지 멈춥니다. (서버는\n"
                          "그동안에도 보내므로, 오래 기다렸다가 누르면 멈춤이 짧습니다.)\n"
                          "q를 치고 Enter를 누르면 계속 실행합니다."),
}
