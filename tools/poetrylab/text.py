"""Text that fits an 80-column terminal: widths counted in terminal
columns (Hangul takes two), columns padded, paragraphs folded."""
import unicodedata


def pad(text, width, right=False):
    """`text` padded with spaces to `width` terminal columns (Hangul counts
    two): after it, or before it when `right`, so that columns of a table
    line up in Korean too."""
    room = " " * max(0, width - columns(text))
    return room + text if right else text + room


def columns(text):
    """How many terminal columns `text` takes (Hangul takes two each)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cut(text, width):
    """The longest start of `text` that fits in `width` columns."""
    cut = len(text)
    while columns(text[:cut]) > width:
        cut -= 1
    return max(cut, 1)


def _words(paragraph, width):
    """The paragraph's words, a `code span` with spaces in it kept as one
    (so that it can be copied from one line) when it fits a line."""
    words, span = [], None
    for word in paragraph.split(" "):
        if span is not None:
            span.append(word)
            if word.count("`") % 2:
                joined = " ".join(span)
                words += [joined] if columns(joined) <= width else span
                span = None
        elif word.count("`") % 2:
            span = [word]
        else:
            words.append(word)
    return words + (span or [])


def fold(text, width=78, indent=""):
    """Folds each paragraph of `text` to `width` terminal columns (Hangul
    counting two), so that what the learner reads fits an 80-column
    terminal. Lines that start with a space (quoted output, source lines)
    are cut, between words where there is room, not reflowed."""
    out = []
    for paragraph in text.split("\n"):
        if paragraph.startswith(" ") or not paragraph:
            while columns(paragraph) > width:
                cut = _cut(paragraph, width)
                space = paragraph.rfind(" ", len(paragraph) - len(paragraph.lstrip()) + 1, cut)
                cut = space + 1 if space > 0 else cut
                out.append(indent + paragraph[:cut].rstrip())
                paragraph = "      " + paragraph[cut:]
            out.append(indent + paragraph)
            continue
        line = ""
        for word in _words(paragraph, width):
            while columns(word) > width:  # a word longer than a line: cut it
                if line:
                    out.append(indent + line)
                    line = ""
                cut = _cut(word, width)
                out.append(indent + word[:cut])
                word = word[cut:]
            if line and columns(line) + 1 + columns(word) > width:
                out.append(indent + line)
                line = word
            else:
                line = word if not line else line + " " + word
        out.append(indent + line)
    return "\n".join(out)
