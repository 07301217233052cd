"""What the tools say in Korean reads right: every particle after a value
is picked by the helper (josa), never written for one kind of word; the
learner's language is read from the locale as gettext reads it."""
import glob
import os
import re

from labtest import SOURCE, LabTestCase, main
from poetrylab.demo.captions import CAPTIONS
from poetrylab.messages import _PARTICLES, CATALOG, josa, pick_lang

# A value followed by a particle that depends on how the value ends,
# written one way only (은 and not 은(는)): wrong for half the values.
WRITTEN_BOTH = re.compile(r"\{[\w:.]*\}((?:은|는|이|가|을|를|과|와|였|이었)\([가-힣]+\))")
FIXED_PARTICLE = re.compile(r"\{[\w:.]*\}(은|는|이|가|을|를|과|와|였|이었|으로|로)(?![가-힣]*\()")


class Korean(LabTestCase):

    def test_particles_follow_the_word_before(self):
        for written, read in (("--timeout은 1이었(였)습니다", "--timeout은 1이었습니다"),
                              ("0.5이었(였)습니다", "0.5였습니다"),
                              ("3(으)로", "3으로"), ("1(으)로", "1로"), ("타이머(으)로", "타이머로"),
                              ("Task 3은(는)", "Task 3은"), ("Tasks 2, 4이(가)", "Tasks 2, 4가"),
                              ("'check'을(를)", "'check'를"), ("<<은(는)", "<<은(는)")):
            self.assertEqual(josa(written), read)

    def test_no_particle_is_written_for_one_kind_of_word(self):
        texts = [ko for _, ko in list(CATALOG.values()) + list(CAPTIONS.values())]
        for path in glob.glob(os.path.join(SOURCE, "exercises", "*", ".meta", "checks.py")) + \
                glob.glob(os.path.join(SOURCE, "tools", "poetrylab", "**", "*.py"), recursive=True):
            with open(path, encoding="utf-8") as handle:
                texts.append(handle.read())
        found = [m.group(0) for text in texts for m in FIXED_PARTICLE.finditer(text)]
        self.assertEqual(found, [])
        # Written both ways, in the order josa() reads (와(과) it would leave as it is).
        both = [m.group(0) for text in texts for m in WRITTEN_BOTH.finditer(text)
                if not _PARTICLES.fullmatch(m.group(1))]
        self.assertEqual(both, [])

    def test_the_language_comes_from_the_locale_as_gettext_reads_it(self):
        for environ, lang in (({"LANG": "ko_KR.UTF-8"}, "ko"),
                              ({"LANG": "ko_KR.UTF-8", "LC_ALL": "C.UTF-8"}, "ko"),
                              ({"LANG": "ko_KR.UTF-8", "LC_MESSAGES": "POSIX"}, "ko"),
                              ({"LANG": "ko_KR.UTF-8", "LC_ALL": "en_US.UTF-8"}, "en"),
                              ({"LANGUAGE": "ko:en", "LANG": "en_US.UTF-8"}, "ko"),
                              ({"LAB_LANG": "en", "LANG": "ko_KR.UTF-8"}, "en"),
                              ({"LC_ALL": "C"}, "en"), ({}, "en")):
            with self.subTest(environ=environ):
                self.assertEqual(pick_lang(environ=environ), lang)
        self.assertEqual(pick_lang("ko", environ={"LANG": "C"}), "ko")


if __name__ == "__main__":
    main()
