"""What the tools say, in the learner's language: English or Korean.

Each message is written in both, side by side. say(lang, en, ko, **values)
picks one; a Message keeps both, so that what a check found can be shown in
either language later (the checker's Outcome). Korean particles written
both ways ("{tasks}은(는)") are made the one the word before takes (josa).
"""
import os
import re

# --- Korean particles ------------------------------------------------------
# A Korean particle depends on how the word before it ends: 은/이/을/과
# after a final consonant (받침), 는/가/를/와 after a vowel. Messages are
# written with both ("{tasks}은(는)"), as Korean software often is; josa()
# picks the one a reader expects when the word is ours to read: Hangul, a
# number read in Sino-Korean (삼, 일, 구...), or a Latin word ending like a
# loanword (timeout → 타임아웃, failure → 페일리어).
# Also 이었(였) (was: 1이었습니다, 0.5였습니다) and (으)로 (with: 1초로, 3으로).
_PARTICLES = re.compile(r"(은|이|을|과|이었)\((는|가|를|와|였)\)|\((으)\)(로)")
_DIGIT_HAS_FINAL = dict(zip("0123456789", [True, True, False, True, False,
                                           False, True, True, True, False]))


def _has_final(before):
    """Whether text ending in `before` is read with a final consonant;
    None when it cannot tell."""
    word = before.rstrip("`'\")]}/.")
    if not word:
        return None
    last = word[-1]
    if "\uac00" <= last <= "\ud7a3":
        return (ord(last) - 0xAC00) % 28 != 0
    if last in _DIGIT_HAS_FINAL:
        return _DIGIT_HAS_FINAL[last]
    tail = re.search(r"[A-Za-z]+$", word)
    if tail is None:
        return None
    letters = tail.group(0).lower()
    if len(letters) == 1:  # a letter by its name: 엘, 엠, 엔
        return letters in "lmn"
    if letters.endswith(("l", "m", "n", "ng")):
        return True
    return letters[-1] in "ktp" and letters[-2] in "aeiou"  # out 아웃, book 북, cup 컵


def josa(text):
    """`text` with each written-both particle (은(는), 이(가), 을(를),
    과(와), 이었(였), (으)로) made the one its word takes; left as written
    when unsure."""
    def pick(match):
        before = text[:match.start()]
        final = _has_final(before)
        if final is None:
            return match.group(0)
        if match.group(4):  # (으)로: 로 after a vowel, and after ㄹ (서울로, 1로 = 일로)
            return "로" if not final or _ends_in_rieul(before) else "으로"
        return match.group(1) if final else match.group(2)
    return _PARTICLES.sub(pick, text)


def _ends_in_rieul(before):
    word = before.rstrip("`'\")]}/.")
    last = word[-1] if word else ""
    if "\uac00" <= last <= "\ud7a3":
        return (ord(last) - 0xAC00) % 28 == 8
    return last in "178" or last.lower() == "l"  # 일, 칠, 팔; a word ending in l


def pick_lang(option=None, environ=None):
    """The learner's language: `option` (--lang) if given, then LAB_LANG,
    then the locale as gettext reads it: LANGUAGE (its first language),
    then LC_ALL, LC_MESSAGES and LANG, the first that names a language. A
    locale of C, C.UTF-8 or POSIX names none (containers often set
    LC_ALL=C.UTF-8 beside LANG=ko_KR.UTF-8): the next one decides."""
    if option:
        return option
    env = os.environ if environ is None else environ
    if env.get("LAB_LANG"):
        return "ko" if env["LAB_LANG"].startswith("ko") else "en"
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "").split(":")[0]
        if value and value.split(".")[0] not in ("C", "POSIX"):
            return "ko" if value.startswith("ko") else "en"
    return "en"


def say(lang, en, ko, **values):
    """A message in the learner's language (`lang`, from pick_lang): each
    is written in both, side by side, with {names} for `values`; the Korean
    one gets its particles right (josa)."""
    text = ko if lang == "ko" else en
    if values:
        # A value that is itself a Message is shown in the same language.
        text = text.format(**{k: v.text(lang) if isinstance(v, Message) else v for k, v in values.items()})
    return josa(text) if lang == "ko" else text


class Message:
    """A message in both languages, filled in when it is shown:
    Message("{n} poems", "시 {n}편", n=3).text("ko")."""

    def __init__(self, en, ko, **values):
        self.en, self.ko, self.values = en, ko, values

    def text(self, lang):
        return say(lang, self.en, self.ko, **self.values)

    def __add__(self, other):
        """Two messages one after the other (a space between), or a message
        and a plain string."""
        if isinstance(other, str):
            other = Message(other, other)
        return Message("{first} {then}", "{first} {then}", first=self, then=other)

    def as_dict(self):
        return {"en": self.text("en"), "ko": self.text("ko")}


def text_of(value, lang):
    """A value shown in `lang`: a Message's own text, anything else as str()."""
    return value.text(lang) if isinstance(value, Message) else str(value)


# --- the catalog ------------------------------------------------------------
# What the tools say to a learner or a class, by key, in both languages.
# (The checks' verdicts are written next to what they check, in
# exercises/NAME/.meta/checks.py, in both languages too.)
CATALOG = {
    # ./lab check and ./lab watch
    "progress": ("progress: {n} of {total} exercises solved", "진행: 연습 문제 {total}개 중 {n}개 해결"),
    "stuck": ("stuck? ./lab hint {name}", "막혔나요? ./lab hint {name}"),
    "warnings": ("{name}: it builds, with {n} warning(s): not fatal here, but worth a look.",
                 "{name}: 빌드는 되지만 경고가 {n}개 있습니다. 여기서는 치명적이지 않지만 살펴볼 만합니다."),
    "more_warnings": ("    ... and {n} more", "    ... 그리고 {n}개 더"),
    "no_compile": ("{name}: not yet. {file} does not compile. The compiler's first error:\n{shown}",
                   "{name}: 아직 해결하지 못했습니다. {file}이(가) 컴파일되지 않습니다. 컴파일러의 첫 번째 "
                   "오류:\n{shown}"),
    "more_errors": ("({n} more after it: fix the first one, then build again)",
                    "(그 뒤로 {n}개 더 있습니다. 첫 번째 것을 고치고 다시 빌드하세요)"),
    # command lines (poetrylab.command), each error then where help is
    "unknown_exercise": ("no exercise '{word}': the exercises are {all}",
                         "없는 연습 문제입니다: '{word}'. 연습 문제: {all}"),
    "unknown_exercise_near": ("no exercise '{word}'", "없는 연습 문제: '{word}'"),
    "unknown_command": ("unknown command '{word}'", "알 수 없는 명령입니다: '{word}'"),
    "unknown_command_near": ("unknown command '{word}'", "알 수 없는 명령입니다: '{word}'"),
    "unknown_option": ("unknown option '{word}'", "알 수 없는 옵션입니다: '{word}'"),
    "unknown_option_near": ("unknown option '{word}'", "알 수 없는 옵션입니다: '{word}'"),
    "did_you_mean": ("(did you mean '{word}'?)", "(혹시 '{word}'인가요?)"),
    "needs_value": ("{option} needs a value", "{option}에는 값이 필요합니다"),
    "too_many": ("one word too many: {words}", "필요 없는 말이 있습니다: {words}"),
    "missing_word": ("which exercise? Name one: {all}", "어느 연습 문제인가요? 이름을 적어 주세요: {all}"),
    "bad_lang": ("--lang takes en or ko, not '{value}'", "--lang에는 en이나 ko를 씁니다(받은 값: '{value}')"),
    "see_help": ("(./lab help lists the commands)", "(명령 목록은 ./lab help에 있습니다)"),
    "see_demo_help": ("(./lab demo --help lists its options)", "(옵션 목록은 ./lab demo --help에 있습니다)"),
    "checker_failed": ("{name}: the checker failed (not your program's fault):",
                       "{name}: 검사기가 실패했습니다(프로그램 탓이 아닙니다):"),
    # ./lab hint
    "hint": ("{name}, hint {level} of {count}", "{name}, 힌트 {level}/{count}"),
    "hint_next": ("(more: ./lab hint {name} {next})", "(다음 힌트: ./lab hint {name} {next})"),
    "hint_last": ("(that was the last hint; a solution is in solutions/{name}/, but try first)",
                  "(마지막 힌트였습니다. 풀이는 solutions/{name}/에 있지만, 먼저 직접 해 보세요)"),
    "hint_range": ("lab: error: the hints for {name} go from 1 to {count}",
                   "lab: error: {name}의 힌트는 1부터 {count}까지입니다"),
    # ./lab reset
    "no_stub": ("lab: error: cannot find the stub of {name} in git's history (reset needs a git clone of the lab)",
                "lab: error: git 기록에서 {name}의 스텁을 찾을 수 없습니다(reset에는 실습의 git 클론이 필요합니다)"),
    "is_stub": ("{name}: {file} is already the stub.", "{name}: {file}은(는) 이미 스텁입니다."),
    "reset_ask": ("Put the stub back in {file}? Your version is kept in {backup} first. [y/N] ",
                  "{file}을(를) 스텁으로 되돌릴까요? 지금 파일은 먼저 {backup}에 보관합니다. [y/N] "),
    "reset_no_tty": ("lab: error: not asking without a terminal: add --yes to reset {name}",
                     "lab: error: 터미널이 없어 물어볼 수 없습니다. {name}을(를) 되돌리려면 --yes를 붙이세요"),
    "nothing_changed": ("Nothing changed.", "아무것도 바꾸지 않았습니다."),
    "reset_done": ("{name}: the stub is back. Your version: {backup}",
                   "{name}: 스텁으로 되돌렸습니다. 이전 파일: {backup}"),
    # ./lab watch
    "no_watchdog": ("lab: error: ./lab watch needs Debian's python3-watchdog: run ./lab setup",
                    "lab: error: ./lab watch에는 Debian의 python3-watchdog가 필요합니다. ./lab setup을 실행하세요"),
    "no_watch": ("lab: error: cannot watch {folder}", "lab: error: {folder}을(를) 지켜볼 수 없습니다"),
    "building": ("building ({stamp})", "빌드 중 ({stamp})"),
    "checking": ("checking ({stamp})", "검사 중 ({stamp})"),
    "checked": ("checked {t}, {s:.1f} s after the {why}", "{t} 검사 완료 ({why} 후 {s:.1f}초)"),
    "by_save": ("save", "저장"),
    "by_start": ("start", "시작"),
    "by_key": ("key press", "키 입력"),
    "keys": ("keys: h next hint · r check again · n next exercise · q quit",
             "키: h 다음 힌트 · r 다시 검사 · n 다음 연습 문제 · q 끝내기"),
    "saving": ("(saving a file under exercises/ checks again)", "(exercises/ 아래 파일을 저장하면 다시 검사합니다)"),
    "watch_hint": ("hint {level} of {count} (h: next hint)", "힌트 {level}/{count} (h: 다음 힌트)"),
    "watch_hint_last": ("hint {count} of {count}, the last (h: back to hint 1)",
                        "힌트 {count}/{count}, 마지막 힌트 (h: 힌트 1로 돌아갑니다)"),
    # ./lab demo: what the class reads, in English and in the Korean chapter's terms
    "demo_usage": ("""usage: ./lab demo [--fast] [--saga] [--out DIR] [--ask] [--step] [--lang en|ko]

Part 4's scenario for a class: the chapter's three slow servers, then the
blocking, reactor and broken clients one after another, then a table.

  --fast      the servers' delay 0.01 s: the whole demo in seconds
  --saga      the chapter's "epic sagas": three 48 MiB poems, where the
              broken client falls back to the blocking client's time
  --out DIR   also write DIR/timeline.svg, DIR/reactor-doread.svg (the
              chapter's Figure 7) and Perfetto traces
  --ask       before each client, ask the class how long it will take
  --step      only the reactor client, one turn of its loop per Enter
  --lang      captions in English (en) or Korean (ko)""",
                   """사용법: ./lab demo [--fast] [--saga] [--out DIR] [--ask] [--step] [--lang en|ko]

수업용 파트 4 시나리오: 장의 느린 서버 세 개를 띄운 뒤, 블로킹, reactor, 깨진
클라이언트를 차례로 실행하고, 마지막에 표로 나란히 비교합니다.

  --fast      서버 지연 0.01초: 데모 전체가 몇 초 만에 끝납니다
  --saga      장의 "대작": 48 MiB짜리 시 세 편. 깨진 클라이언트가 블로킹
              클라이언트만큼 느려집니다
  --out DIR   DIR/timeline.svg, DIR/reactor-doread.svg(장의 그림 7)와
              Perfetto 트레이스도 씁니다
  --ask       클라이언트마다 먼저 몇 초 걸릴지 반에 물어봅니다
  --step      reactor 클라이언트만, Enter 한 번에 루프 한 바퀴씩
  --lang      자막 언어: 영어(en) 또는 한국어(ko)"""),
  # what the class reads, in English and in the Korean chapter's terms
    "demo_servers": ("The chapter's three slow poetry servers (delay {delay} s)",
                "이 장에 나오는 느린 시 서버 세 개 (지연 {delay}초)"),
    "demo_servers_fast": ("The chapter's three slow poetry servers, ten times faster (delay {delay} s)",
                     "이 장에 나오는 느린 시 서버 세 개, 열 배 빠르게 (지연 {delay}초)"),
    "demo_servers_saga": ("Three slow poetry servers with epic sagas (delay {delay} s)",
                     "대작을 보내는 느린 시 서버 세 개 (지연 {delay}초)"),
    "demo_server_line": ("  :{port:<5}  {poem:<16} {size:>10}, {chunk} bytes a chunk  {alone:6.2f} s alone",
                    "  :{port:<5}  {poem:<16} {size:>10}, 청크 {chunk}바이트  혼자서 {alone:6.2f}초"),
    "demo_taken": ("  (port {want} is taken: port {port} instead)", "  (포트 {want} 사용 중: 대신 포트 {port})"),
    "demo_alone": ("  the slowest alone: {slowest:.2f} s; one after another: {total:.2f} s",
              "  가장 느린 서버 혼자: {slowest:.2f}초; 하나씩 차례로: {total:.2f}초"),
    "demo_blocking": ("The blocking client: one server at a time, so the sum",
                 "블로킹 클라이언트: 한 번에 서버 하나씩, 그래서 걸리는 시간은 합계"),
    "demo_reactor": ("The reactor client: every server at once, so the slowest",
                "reactor 클라이언트: 모든 서버를 한꺼번에, 그래서 가장 느린 서버만큼"),
    "demo_broken": ("The broken client: doRead blocks, holding the whole loop",
               "깨진 클라이언트: doRead가 블로킹하며 루프 전체를 붙잡습니다"),
    # With --ask the headings do not give the answer away.
    "demo_blocking_ask": ("The blocking client", "블로킹 클라이언트"),
    "demo_reactor_ask": ("The reactor client", "reactor 클라이언트"),
    "demo_broken_ask": ("The broken client", "깨진 클라이언트"),
    "demo_held": ("  reactor held by {who}: {secs:.1f} s", "  reactor를 붙잡은 콜백: {who}, {secs:.1f}초"),
    "demo_waiting": ("  {tasks} waiting ({queued} queued in the kernel)",
                "  {tasks}이(가) 기다리는 중 (커널에 {queued} 쌓임)"),
    "demo_elapsed": ("  {secs:.1f} s so far", "  지금까지 {secs:.1f}초"),
    "demo_free": ("  reactor: waiting on every socket at once", "  reactor: 모든 소켓을 한꺼번에 기다리는 중"),
    "demo_one_at_a_time": ("  blocking in recv() for Task {task}; the others wait their turn",
                      "  Task {task}의 recv()에서 블로킹 중; 나머지는 차례를 기다립니다"),
    # Folded to 80 columns, so written without the indent.
    "demo_was_held": ("(the reactor was held by {who} for {secs:.1f} s; {tasks} waited)",
                 "({who} 콜백이 reactor를 {secs:.1f}초 붙잡았고, 그동안 {tasks}은(는) 기다렸습니다)"),
    # No other poem was still coming: nobody waited.
    "demo_was_held_alone": ("(the reactor was held by {who} for {secs:.1f} s)",
                       "({who} 콜백이 reactor를 {secs:.1f}초 붙잡았습니다)"),
    "demo_heartbeat": ("  heartbeat [{strip}] every {every} s", "  heartbeat [{strip}] {every}초마다"),
    "demo_ask": ("  How many seconds will it take? (Enter: no guess) ",
            "  몇 초 걸릴까요? (Enter: 추측 없음) "),
    "demo_not_a_guess": ("  not a number of seconds: {text}", "  초 단위 숫자가 아닙니다: {text}"),
    "demo_guessed": ("  you guessed {guess:.1f} s; it took {took:.2f} s",
                "  추측 {guess:.1f}초; 실제 {took:.2f}초"),
    "demo_side_by_side": ("Side by side", "나란히 비교"),
    "demo_servers_alone": ("  servers alone (chunks x delay): slowest {slowest:.2f} s, sum {total:.2f} s",
                      "  서버 혼자 (청크 x 지연): 가장 느린 것 {slowest:.2f}초, 합계 {total:.2f}초"),
    # The table's columns (TABLE lays them out).
    "demo_col_client": ("client", "클라이언트"),
    "demo_col_time": ("time", "시간"),
    "demo_col_slowest": ("x slowest", "x 느린 것"),
    "demo_col_sum": ("x sum", "x 합계"),
    "demo_col_longest": ("longest callback", "가장 긴 콜백"),
    "demo_col_guess": ("guess", "추측"),
    "demo_one_server": ("waited on one server at a time", "한 번에 서버 하나씩 기다렸습니다"),
    "demo_all_at_once": ("waited on all servers at once", "모든 서버를 한꺼번에 기다렸습니다"),
    "demo_hid": ("held the loop a poem at a time; the kernel's buffers hid it",
            "시 한 편씩 루프를 붙잡았지만, 커널 버퍼가 그것을 가렸습니다"),
    "demo_little_better": ("held the loop a poem at a time: little better than blocking",
                      "시 한 편씩 루프를 붙잡았습니다: 블로킹보다 나을 게 거의 없습니다"),
    "demo_in_between": ("in between: blocked part of the time", "중간: 일부 시간 동안 블로킹했습니다"),
    "demo_notice": ("What to notice: the blocking client takes the sum, the reactor client the\n"
               "slowest server's time. The broken client looks just as fast on these small\n"
               "poems, but its longest callback shows it held the loop for a whole poem at a\n"
               "time, and its heartbeat froze meanwhile: the kernel buffered the other\n"
               "servers' bytes. Try ./lab demo --saga.",
               "눈여겨볼 점: 블로킹 클라이언트는 합계만큼, reactor 클라이언트는 가장 느린\n"
               "서버만큼 걸립니다. 깨진 클라이언트도 이 작은 시들에서는 똑같이 빨라 보이지만,\n"
               "가장 긴 콜백을 보면 시 한 편 내내 루프를 붙잡았고 그동안 heartbeat가\n"
               "멈췄습니다. 그사이 커널이 다른 서버의 바이트를 버퍼에 담아 두었습니다.\n"
               "./lab demo --saga도 해 보세요."),
    "demo_notice_saga": ("What to notice: with poems far larger than the kernel's socket buffers,\n"
                    "the broken client is scarcely faster than the blocking one, while the\n"
                    "reactor client still takes about the slowest server's time.",
                    "눈여겨볼 점: 시가 커널의 소켓 버퍼보다 훨씬 크면 깨진 클라이언트는\n"
                    "블로킹 클라이언트보다 거의 빠르지 않고, reactor 클라이언트는 여전히 가장\n"
                    "느린 서버만큼만 걸립니다."),
    "demo_sagas": ("Writing the three epic sagas, 48 MiB each, in a temporary folder",
              "대작 세 편을 쓰는 중 (한 편에 48 MiB, 임시 폴더에)"),
    "demo_stopped": ("(the demo was stopped: Ctrl-C)", "(데모를 멈췄습니다: Ctrl-C)"),
    "demo_step_intro": ("The reactor client, one turn of its loop at a time. Each Enter runs one\n"
                   "turn: the reactor waits until a socket is readable, then calls doRead on\n"
                   "every one that is. Type q and Enter to let it run on.",
                   "reactor 클라이언트를 루프 한 바퀴씩 실행합니다. Enter를 누를 때마다 한 바퀴:\n"
                   "reactor는 소켓이 읽을 수 있게 될 때까지 기다렸다가, 그런 소켓마다 doRead를\n"
                   "부릅니다. q를 치고 Enter를 누르면 계속 실행합니다."),
    "demo_timeline": ("Timeline:  {path}", "타임라인:  {path}"),
    "demo_figure7": ("Figure 7:  {path}", "그림 7:    {path}"),
    "demo_trace": ("Trace:     {path}", "트레이스:  {path}"),
    "demo_perfetto": ("(traces open in ui.perfetto.dev or chrome://tracing)",
                 "(트레이스는 ui.perfetto.dev나 chrome://tracing에서 엽니다)"),
}


def t(lang, key, **values):
    """The catalog's message `key` in `lang`, filled in."""
    en, ko = CATALOG[key]
    return say(lang, en, ko, **values)
