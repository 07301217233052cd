"""A verdict about behaviour comes with a picture of the learner's own run,
drawn from its --trace record, in the verdict's language: a lane for the
reactor with the callback that held it marked and labelled, a lane per
task, the timers armed, fired and cancelled."""
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

from labtest import BUILD, LabTestCase, main
from poetrylab import trace as labtrace
from poetrylab.checker import picture

SVG = "{http://www.w3.org/2000/svg}"
STUB = os.path.join(BUILD, "exercises", "timeout", "get-poetry")


def event(name, ph, ts, tid=0, dur=None, **args):
    e = {"name": name, "ph": ph, "ts": int(ts * 1e6), "tid": tid, "args": args}
    if dur is not None:
        e["dur"] = int(dur * 1e6)
    return e


class Picture(LabTestCase):

    def test_a_verdict_names_the_picture_of_the_run(self):
        # The stub ignores --timeout: the first check hangs, no timer armed.
        pictures = os.path.join(self.tmp, "pictures")
        out = os.path.join(self.tmp, "outcome.json")
        for lang in ("en", "ko"):
            result = subprocess.run([sys.executable, "-m", "poetrylab.checker", "timeout", STUB, "--margin", "3",
                                     "--lang", lang, "--json", out], env=dict(os.environ, LAB_PICTURES=pictures),
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=120)
            self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
            with open(out) as handle:
                paths = json.load(handle)["picture"]
            # The verdict names it (folded to 80 columns: the words, not the lines).
            self.assertIn(os.path.basename(paths[lang]), " ".join(result.stdout.split()))
        for lang, words in (("en", ["reactor", "Task 1", "Task 2", "(no timer was armed)"]),
                            ("ko", ["reactor", "Task 1", "Task 2", "(걸린 타이머 없음)", "검사 1"])):
            root = ElementTree.parse(paths[lang]).getroot()
            texts = " ".join(t.text or "" for t in root.iter(SVG + "text"))
            for word in words:
                self.assertIn(word, texts, lang)
            lanes = [g.get("data-lane") for g in root.iter(SVG + "g")]
            self.assertEqual(lanes, ["reactor", "Task 1", "Task 2", "timers"])
            reads = [r for r in root.iter(SVG + "rect") if r.get("class") == "read"]
            self.assertTrue(reads)

    def test_a_held_callback_and_the_timers(self):
        record = labtrace.Trace()
        for e in [event("connect", "X", 0.0, tid=1, dur=0.001, fd=5, address="a"),
                  event("callLater", "i", 0.002, timer=1, delay=1.0),
                  event("callLater", "i", 0.002, timer=2, delay=1.0),
                  event("callLater", "i", 0.002, timer=3, delay=9.0),
                  event("wait", "X", 0.01, dur=0.1),
                  event("doRead", "B", 0.2, of="Task 1", fd=5),
                  event("recv", "X", 0.2, tid=1, dur=0.9, fd=5, bytes=10),
                  event("", "E", 1.2),
                  event("callLater", "B", 1.2, timer=1), event("", "E", 1.21),
                  event("cancel", "i", 1.3, timer=2)]:
            record.take(e)
        record.link_timers()
        for lang, label in (("en", "Task 1 doRead held the reactor for 1.00 s"),
                            ("ko", "Task 1 doRead 콜백이 reactor를 1.00초 붙잡음")):
            root = ElementTree.fromstring(picture.draw(record, "a title", lang))
            kinds = [e.get("class") for e in root.iter() if e.get("class")]
            for kind in ("held", "wait", "read", "connect", "fired", "cancelled", "armed"):
                self.assertIn(kind, kinds, lang)
            self.assertIn(label, [t.text for t in root.iter(SVG + "text")])


if __name__ == "__main__":
    main()
