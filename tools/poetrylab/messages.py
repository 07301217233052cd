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
}


def t(lang, key, **values):
    """The catalog's message `key` in `lang`, filled in."""
    en, ko = CATALOG[key]
    return say(lang, en, ko, **values)
