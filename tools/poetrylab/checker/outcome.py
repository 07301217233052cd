"""What a check found, as data: ./lab check and ./lab watch show it, the
tests read it, and `--json` writes it (the shape of Exercism's
results.json: the exercise, each check's name, status and message).
Nothing is ever parsed back out of the text a learner reads."""
import os
from dataclasses import dataclass, field

from poetrylab.messages import Message, say
from poetrylab.text import columns, fold, pad

PASSED, FAILED, ERROR, ABANDONED = "passed", "failed", "error", "abandoned"


@dataclass
class CheckResult:
    number: int
    name: str
    title: Message
    contract: tuple            # the contract's items the check is about ("T3", ...)
    status: str = ABANDONED
    message: Message = None    # for a failed check: what was expected, what happened
    items: tuple = None        # the items a failure is about, when not the check's own
    causes: list = field(default_factory=list)  # what the record proves went wrong underneath
    error: str = ""            # for a checker error: the traceback, for whoever fixes the checker
    picture: dict = None       # {"en": path, "ko": path}: a drawing of the run that failed it

    @property
    def about(self):
        return self.items or self.contract


@dataclass
class Outcome:
    exercise: str
    results: list
    missing: str = None  # the program was not built: its path

    @property
    def solved(self):
        return self.missing is None and all(r.status == PASSED for r in self.results)

    @property
    def first_unmet(self):
        return next((r for r in self.results if r.status != PASSED), None)

    @property
    def error(self):
        """The checker itself could not check (not the program's fault)."""
        unmet = self.first_unmet
        return self.missing is not None or (unmet is not None and unmet.status == ERROR)

    def passed(self):
        return [r for r in self.results if r.status == PASSED]

    def as_dict(self):
        unmet = self.first_unmet
        return {
            "exercise": self.exercise, "solved": self.solved, "error": self.error,
            "total": len(self.results), "passed": [r.name for r in self.passed()],
            "check": unmet.name if unmet else None, "number": unmet.number if unmet else None,
            "items": list(unmet.about) if unmet else [],
            "verdict": {lang: self.verdict(lang) for lang in ("en", "ko")},
            "cause": [c.as_dict() for c in unmet.causes] if unmet else [],
            "picture": unmet.picture if unmet else None,
            "checks": [{"name": r.name, "number": r.number, "status": r.status,
                        "title": r.title.as_dict(), "items": list(r.about),
                        "message": r.message.as_dict() if r.message else None} for r in self.results],
        }

    root: str = None  # paths in the verdict are shown from here (the lab's root)

    def shown(self, path):
        return os.path.relpath(path, self.root) if self.root else path

    def verdict(self, lang, debug=False):
        """What the learner reads, in `lang`, within 80 columns."""
        name, total = self.exercise, len(self.results)
        if self.missing is not None:
            return say(lang, "{name}: the program {program} is not built",
                       "{name}: 프로그램 {program}이(가) 빌드되지 않았습니다", name=name, program=self.missing)
        unmet = self.first_unmet
        if unmet is None:
            lines = [say(lang, "{name}: solved! All {total} checks passed:",
                         "{name}: 해결했습니다! 검사 {total}개를 모두 통과했습니다:", name=name, total=total)
                     if total > 1 else say(lang, "{name}: solved! Its one check passed:",
                                           "{name}: 해결했습니다! 검사를 통과했습니다:", name=name)]
            for r in self.results:
                lines.append("  %2d. %s %s" % (r.number, pad(r.title.text(lang), 51), " ".join(r.contract)))
            return "\n".join(lines)
        if unmet.status == ERROR:
            last = unmet.error.rstrip().splitlines()
            lines = [say(lang, "{name}: the checker could not check {check} (not your program's fault):",
                         "{name}: 검사기가 '{check}' 검사를 실행하지 못했습니다(프로그램 탓이 아닙니다):",
                         name=name, check=unmet.name),
                     "    " + (last[-1] if last else "?")]
            lines.append(unmet.error if debug else
                         say(lang, "    (LAB_CHECK_DEBUG=1 shows where)", "    (LAB_CHECK_DEBUG=1이면 어디서인지 보여 줍니다)"))
            return "\n".join(lines)
        heading = say(lang, "{name}: not yet. Check {n} of {total}: {title}",
                      "{name}: 아직 해결하지 못했습니다. 검사 {n}/{total}: {title}",
                      name=name, n=unmet.number, total=total, title=unmet.title)
        if columns(heading) > 78:  # the verdict, then the check, on 80 columns
            heading = heading.replace(". ", ".\n", 1)
        readme = "exercises/%s/README%s.md" % (name, ".ko" if lang == "ko" else "")
        body = "\n".join([unmet.message.text(lang)] + [c.text(lang) for c in unmet.causes])
        lines = [heading, fold(body, width=76, indent="    "),
                 say(lang, "    (what is expected: {items} in {readme})", "    (요구 사항: {readme}의 {items})",
                     items=" ".join(unmet.about), readme=readme)]
        if unmet.picture:
            lines.append(say(lang, "    (a picture of your run: {path})", "    (여러분의 실행을 그린 그림: {path})",
                             path=self.shown(unmet.picture[lang])))
        passed = unmet.number - 1
        if passed == 1:
            lines.append(say(lang, "(check 1 passed)", "(검사 1 통과)"))
        elif passed:
            lines.append(say(lang, "(checks 1 to {n} passed)", "(검사 1~{n} 통과)", n=passed))
        return "\n".join(lines)
