"""The pictures of ./lab demo --out (poetrylab.demo.figures) speak the
demo's language: every word of the timeline and of Figure 7 in Korean with
--lang ko (code names such as Task 1, doRead and reactor kept as they are),
in English otherwise, and the Korean laid out as wide as Hangul is drawn.
The pictures are drawn from the --trace records of this build's three
clients, run once against three small slow servers (not the whole demo)."""
import os
import re
import tempfile
import time
import unicodedata
import xml.etree.ElementTree as ElementTree

from labtest import ASYNC, BLOCKING, BROKEN, LabTestCase, Server, main, run
from poetrylab import demo
from poetrylab.demo import figures

SVG = "{http://www.w3.org/2000/svg}"
CLIENTS = [("blocking", BLOCKING), ("reactor", ASYNC), ("broken", BROKEN)]
# The title as the demo makes it (in English: poetrylab.demo.__main__).
TITLE = "Part 4, the chapter's poems: %s"

# What the pictures said in English only, before they followed the demo's
# language: none of these words may be left in the Korean pictures.
CAPTION = ("one lane per task: one mark per read (its width: how long the read took); "
           "grey: waiting; servers: a tick per chunk sent")
FIGURE7 = ["Figure 7, from a real run: the reactor loop and its doRead calls",
           "async-client/get-poetry, one turn of the loop after another: it waits (grey, how long) "
           "until a socket is readable,",
           "then calls doRead on each task whose socket is (the bytes it read); doRead returns to the "
           "loop (dashed). Not to scale;",
           '"ready": a socket was readable already, so the loop did not wait at all.',
           "reactor loop"]
ENGLISH = [TITLE, CAPTION, "blocking", "broken", "a read, in its task's colour", "waiting",
           "a chunk a server sent", "the longest callback", "server :1 sent",
           "longest callback: Task 1 doRead, 1.00 s", "1 s", "3 bytes at 0.1 s",
           "wait 1.0 ms", "ready", "30 bytes"] + FIGURE7
# Code names, the same in both languages.
KEPT = {"Task", "doRead", "reactor"}
FORBIDDEN = {w for text in ENGLISH for w in re.findall(r"[A-Za-z]+", text)} - KEPT
PATH = re.compile(r"\S+/\S+")  # async-client/get-poetry: a program, not words


def hangul(text):
    return any("\uac00" <= c <= "\ud7a3" for c in text)


def drawn_width(text, size):
    """About how wide a viewer draws `text` at font `size`: a Hangul
    syllable takes a whole em (Noto Sans CJK, NanumGothic), anything else
    0.6 em (DejaVu Sans's letters and digits, on average)."""
    return sum(size if unicodedata.east_asian_width(c) in "WF" else 0.6 * size for c in text)


def words(root):
    """What the picture shows: each <text>'s words, and each mark's <title>
    (shown when the pointer rests on it)."""
    return [e.text or "" for e in root.iter() if e.tag in (SVG + "text", SVG + "title")]


class Figures(LabTestCase):

    @classmethod
    def setUpClass(cls):
        cls._dir = tempfile.TemporaryDirectory(prefix="poetry-lab-test-")
        folder = cls._dir.name
        poems = []
        for number, size in ((1, 300), (2, 200), (3, 160)):
            path = os.path.join(folder, "poem-%d.txt" % number)
            with open(path, "wb") as handle:
                handle.write((b"poem %d, a line of verse\n" % number * 20)[:size])
            poems.append(path)
        cls.results, cls.traces, cls.sends = [], {}, {}
        # Delays a little apart, so that most turns of the reactor's loop
        # read from one server only (Figure 7's narrowest turns).
        servers = [Server(poem, delay=delay, num_bytes=20)
                   for poem, delay in zip(poems, ("0.01", "0.013", "0.017"))]
        try:
            for key, program in CLIENTS:
                trace = os.path.join(folder, key + ".trace.json")
                start = time.monotonic()
                result = run([program, "--trace", trace] + [str(s.port) for s in servers])
                end = time.monotonic()
                if result.returncode != 0:
                    raise AssertionError("%s failed:\n%s" % (key, result.stderr))
                cls.results.append({"key": key, "took": end - start})
                cls.traces[key] = trace
                cls.sends[key] = [(s.port, s.sends(start, end)) for s in servers]
        finally:
            for server in servers:
                server.stop()

    @classmethod
    def tearDownClass(cls):
        cls._dir.cleanup()

    def draw(self, lang):
        """Both pictures drawn with the demo's language `lang`: their roots,
        parsed as XML (a parse error fails the test)."""
        self.addCleanup(setattr, demo, "LANG", demo.LANG)
        demo.LANG = lang
        timeline = os.path.join(self.tmp, "timeline-%s.svg" % lang)
        figure7 = os.path.join(self.tmp, "reactor-doread-%s.svg" % lang)
        title = TITLE % ", ".join("%s %.1f s" % (r["key"], r["took"]) for r in self.results)
        figures.draw_timeline(self.results, self.traces, self.sends, timeline, title)
        figures.draw_doread(self.traces["reactor"], figure7)
        return ElementTree.parse(timeline).getroot(), ElementTree.parse(figure7).getroot(), title

    def assertShows(self, texts, expected):
        """Each of `expected` (a string, or a compiled pattern) is the whole
        of one of `texts`."""
        shown = "\n".join(sorted(set(texts)))
        for want in expected:
            if isinstance(want, str):
                self.assertTrue(want in texts, "not shown: %r; shown:\n%s" % (want, shown))
            else:
                self.assertTrue(any(want.fullmatch(t) for t in texts),
                                "not shown: /%s/; shown:\n%s" % (want.pattern, shown))

    def test_korean_pictures_have_no_english_left(self):
        for root in self.draw("ko")[:2]:
            for text in words(root):
                left = [w for w in re.findall(r"[A-Za-z]+", PATH.sub("", text)) if w in FORBIDDEN]
                self.assertEqual(left, [], text)
                self.assertNotRegex(text, r"\d (s|ms)\b", text)  # seconds are 초

    def test_korean_timeline(self):
        timeline, _, _ = self.draw("ko")
        texts = words(timeline)
        self.assertShows(texts, [
            "Task마다 한 줄: 읽기 한 번에 표시 하나(너비: 읽는 데 걸린 시간), 회색: 기다림, "
            "서버: 보낸 청크마다 눈금 하나",
            "읽기 (Task마다 제 색)", "기다림", "서버가 보낸 청크", "가장 긴 콜백",
            "블로킹 클라이언트", "reactor 클라이언트", "깨진 클라이언트", "reactor 루프", "Task 1", "0초",
            re.compile(r"파트 4, 이 장의 시: 블로킹 클라이언트 \d+\.\d초, reactor 클라이언트 \d+\.\d초, "
                       r"깨진 클라이언트 \d+\.\d초"),
            re.compile(r"서버 :\d+ 전송"), re.compile(r"가장 긴 콜백: Task \d doRead, \d+\.\d\d초"),
            re.compile(r"\d+\.\d+초"), re.compile(r"\d+\.\d{3}초에 \d+바이트"), re.compile(r"\d+바이트")])
        # The lanes' names (data-lane) stay as the tests and tools read them.
        lanes = {g.get("data-lane") for g in timeline.iter(SVG + "g") if g.get("class") == "lane"}
        self.assertTrue({"reactor", "Task 1"} <= lanes, lanes)
        self.assertTrue(any(re.fullmatch(r"server :\d+ sent", lane) for lane in lanes), lanes)

    def test_korean_figure_7(self):
        _, figure7, _ = self.draw("ko")
        self.assertShows(words(figure7), [
            "그림 7, 실제 실행에서: reactor 루프와 doRead 호출",
            "async-client/get-poetry, 루프가 한 바퀴씩 돕니다: 소켓을 읽을 수 있을 때까지 기다렸다가"
            "(회색, 기다린 시간),",
            "소켓을 읽을 수 있게 된 Task마다 doRead를 부릅니다(읽은 바이트 수). doRead는 루프로 "
            "돌아갑니다(점선). 길이는 실제 비율이 아닙니다.",
            '"대기 없음": 소켓을 이미 읽을 수 있어서 루프가 전혀 기다리지 않았습니다.',
            "reactor 루프", "Task 1", "doRead", re.compile(r"\d+바이트"),
            re.compile(r"\d+\.\d밀리초 대기|대기 없음")])

    def test_the_title_of_the_sagas(self):
        # The demo passes its title in English: in Korean the picture says
        # which poems from it, and the times from the results.
        results = [{"key": "reactor", "took": 12.04}, {"key": "broken", "took": 30.5}]
        title = "Part 4, epic sagas: reactor 12.0 s, broken 30.5 s"
        self.assertEqual(figures.timeline_title(title, results, "ko"),
                         "파트 4, 대작: reactor 클라이언트 12.0초, 깨진 클라이언트 30.5초")
        self.assertEqual(figures.timeline_title(title, results, "en"), title)

    def test_english_pictures(self):
        timeline, figure7, title = self.draw("en")
        texts = words(timeline)
        self.assertShows(texts, [
            title, CAPTION, "a read, in its task's colour", "waiting", "a chunk a server sent",
            "the longest callback", "blocking", "reactor", "broken", "Task 1", "0 s",
            re.compile(r"server :\d+ sent"), re.compile(r"longest callback: Task \d doRead, \d+\.\d\d s"),
            re.compile(r"\d+ bytes at \d+\.\d{3} s")])
        self.assertShows(words(figure7), FIGURE7 + [
            "Task 1", "doRead", re.compile(r"\d+ bytes"), re.compile(r"wait \d+\.\d ms|ready")])
        for root in (timeline, figure7):
            for text in words(root):
                self.assertFalse(hangul(text), text)

    def test_fonts_with_hangul(self):
        for root in self.draw("ko")[:2]:
            fonts = [f.strip(" '\"") for f in root.get("font-family", "").split(",")]
            self.assertTrue({"Noto Sans CJK KR", "NanumGothic"} & set(fonts), fonts)
            self.assertEqual(fonts[-1], "sans-serif", fonts)

    def test_widths_count_hangul_twice(self):
        self.assertEqual(figures.text_width("블로킹", 14), figures.text_width("blocki", 14))
        self.assertGreater(figures.text_width("블로킹", 14), figures.text_width("blo", 14))

    def test_korean_labels_do_not_overlap(self):
        timeline, figure7, _ = self.draw("ko")
        width = float(timeline.get("width"))
        # The legend: each label ends before the next swatch.
        legend = [e for e in timeline if e.tag in (SVG + "rect", SVG + "text") and e.get("y") in ("78", "90")]
        for at, element in enumerate(legend):
            if element.tag == SVG + "text":
                end = float(element.get("x")) + drawn_width(element.text, 14)
                after = next((float(e.get("x")) for e in legend[at + 1:] if e.tag == SVG + "rect"), width)
                self.assertLessEqual(end, after, element.text)
        # The lanes: each name ends before its lane starts.
        for lane in timeline.iter(SVG + "g"):
            name, = lane.iter(SVG + "text")
            start = min(float(r.get("x")) for r in lane.iter(SVG + "rect"))
            self.assertLess(float(name.get("x")) + drawn_width(name.text, 15), start, name.text)
        # Figure 7: what each turn says of its wait ends before the next
        # turn's begins, and the loop's name before the first turn.
        # Turns are 24 px apart: what a turn says may reach 10 px into that.
        said, first = [], None
        for turn in figure7.iter(SVG + "g"):
            box, text = next(turn.iter(SVG + "rect")), next(turn.iter(SVG + "text"))
            first = float(box.get("x")) if first is None else first
            half = drawn_width(text.text, 14) / 2
            said.append((float(text.get("x")) - half, float(text.get("x")) + half, text.text))
            self.assertGreaterEqual(said[-1][0], float(box.get("x")) - 10, text.text)
            self.assertLessEqual(said[-1][1], float(box.get("x")) + float(box.get("width")) + 10, text.text)
        self.assertGreaterEqual(len(said), 3)
        for (_, end, text), (start, _, following) in zip(said, said[1:]):
            self.assertLess(end, start, "%s | %s" % (text, following))
        # The lanes' names (the loop's, bold, and the tasks') end before the first turn.
        for text in figure7.iter(SVG + "text"):
            if text.text == "reactor 루프" or text.text.startswith("Task "):
                self.assertLess(float(text.get("x")) + drawn_width(text.text, 16), first, text.text)
        # Nothing starts in the picture and ends outside it.
        for root in (timeline, figure7):
            for text in root.iter(SVG + "text"):
                if text.get("text-anchor") is None:
                    end = float(text.get("x")) + drawn_width(text.text, float(text.get("font-size")))
                    self.assertLessEqual(end, float(root.get("width")), text.text)


if __name__ == "__main__":
    main()
