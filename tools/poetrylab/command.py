"""Command lines the learner types (./lab check, ./lab demo ...), read with
our own words for every mistake, in the learner's language, exit status 1,
and a suggestion when a word is close to one we know:

    lab: error: unknown command 'chek' (did you mean 'check'?)

    python3 -m poetrylab.command suggest WORD CANDIDATE ...   (for ./lab itself)
"""
import difflib
import sys

from poetrylab.messages import t
from poetrylab.text import fold


def closest(word, candidates):
    """The candidate `word` was most likely meant to be, or None: close in
    spelling, or the same but for - and _ (connect_failure)."""
    if not word:
        return None
    normal = {c.replace("_", "-").lower(): c for c in candidates}
    if word.replace("_", "-").lower() in normal:
        return normal[word.replace("_", "-").lower()]
    found = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return found[0] if found else None


def with_suggestion(lang, message_key, word, candidates, **values):
    """An error line about `word`: with the closest candidate, when one is,
    right after the word ("<key>_near"); else the whole message."""
    near = closest(word, candidates)
    if near is None:
        return t(lang, message_key, word=word, **values)
    return t(lang, message_key + "_near", word=word) + " " + t(lang, "did_you_mean", word=near)


class UsageError(Exception):
    pass


class Command:
    """One command's words: `flags` (--yes), `valued` (--out DIR) and at
    most `most` positionals, at least `least`. Errors end the program with
    one line (and one more on where help is), exit status 1."""

    def __init__(self, lang, help_hint, flags=(), valued=(), least=0, most=0):
        self.lang, self.help_hint = lang, help_hint
        self.flags, self.valued, self.least, self.most = set(flags), set(valued), least, most

    def fail(self, line):
        sys.stderr.write(fold("lab: error: " + line) + "\n" + self.help_hint + "\n")
        sys.exit(1)

    def parse(self, argv):
        """(the options given: {name: True or value}, the positionals)."""
        options, words, i = {}, [], 0
        known = sorted(self.flags | self.valued)
        while i < len(argv):
            word = argv[i]
            if word == "--":
                words += argv[i + 1:]
                break
            if word.startswith("-") and word != "-":
                name, _, value = word.partition("=")
                if name in self.flags and not value:
                    options[name] = True
                elif name in self.valued:
                    if not value:
                        if i + 1 >= len(argv):
                            self.fail(t(self.lang, "needs_value", option=name))
                        i += 1
                        value = argv[i]
                    options[name] = value
                else:
                    self.fail(with_suggestion(self.lang, "unknown_option", name, known))
            else:
                words.append(word)
            i += 1
        if len(words) > self.most:
            self.fail(t(self.lang, "too_many", words=" ".join(words[self.most:])))
        if len(words) < self.least:
            self.fail(t(self.lang, "missing_word"))
        return options, words


if __name__ == "__main__":
    if sys.argv[1:2] == ["suggest"] and len(sys.argv) >= 3:
        found = closest(sys.argv[2], sys.argv[3:])
        if found:
            print(found)
        sys.exit(0)
    sys.exit(__doc__)
