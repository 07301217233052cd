"""./lab hint NAME [N]: the exercise's hints (its HINTS.md), from a nudge
(1) to almost the answer."""
from poetrylab.learn import progress
from poetrylab.messages import t
from poetrylab.text import fold


def hints_of(exercise):
    """[{"en": text, "ko": text}, ...] from the exercise's HINTS.md."""
    hints, current, lang = [], None, None
    with open(exercise.hints, encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if line.startswith("## Hint "):
                current, lang = {"en": [], "ko": []}, None
                hints.append(current)
            elif current is not None and line[:3] in ("EN:", "KO:"):
                lang = line[:2].lower()
                current[lang].append(line[3:].strip())
            elif current is not None and lang and line.strip():
                current[lang].append(line.strip())
    return [{k: " ".join(v) for k, v in hint.items()} for hint in hints]


def hint_text(exercise, level, lang, in_watch=False):
    """Hint `level`, folded to 80 columns, headed and followed by what is
    next: the command for the next one (or, in ./lab watch, its key)."""
    hints = hints_of(exercise)
    hint = hints[level - 1]
    progress.hint_level(exercise.name, level)
    if in_watch:
        head = t(lang, "watch_hint_last" if level == len(hints) else "watch_hint", level=level, count=len(hints))
        return "\n".join([head, fold(hint[lang] or hint["en"])])
    lines = [t(lang, "hint", name=exercise.name, level=level, count=len(hints)), fold(hint[lang] or hint["en"])]
    if level < len(hints):
        lines.append(fold(t(lang, "hint_next", name=exercise.name, next=level + 1)))
    else:
        lines.append(fold(t(lang, "hint_last", name=exercise.name)))
    return "\n".join(lines)
