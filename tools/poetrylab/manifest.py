"""The exercises, each found from its manifest, exercises/NAME/.meta/config.toml:
its stub, contract and hints (the learner's folder), its solution, its
checks, its wrong solutions and the check each must fail, its right
solutions in other words, and its margins. ./lab, meson and the checker
read it; adding an exercise is a folder with its manifest.

    python3 -m poetrylab.manifest list          the exercises, in order
    python3 -m poetrylab.manifest meson         what meson builds and tests, one line each
    python3 -m poetrylab.manifest fixtures NAME OUTPUT SOLUTION EDIT...
                                                every .edit of exercise NAME applied,
                                                as one program (see multi_call)
"""
import glob
import os
import re
import sys
import tomllib

ROOT = os.environ.get("LAB_ROOT") or os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class ManifestError(Exception):
    """A manifest that does not say what the lab needs: the lab's fault,
    never the learner's."""


class Exercise:
    def __init__(self, root, folder, data):
        self.root, self.folder = root, folder  # folder: exercises/NAME, absolute
        self.data = data
        self.name = data["name"]
        if self.name != os.path.basename(folder):
            raise ManifestError("%s: name %r is not its folder's" % (self.manifest, self.name))
        self.order = data.get("order", 99)
        self.stub = self.here(data.get("file", "get-poetry.cpp"))
        self.solution = os.path.join(root, data["solution"])
        self.contract = {lang: self.here(path) for lang, path in data["contract"].items()}
        self.hints = self.here(data.get("hints", "HINTS.md"))
        self.checks = self.here(data.get("checks", ".meta/checks.py"))
        self.features = data.get("features", "0")
        self.edition = data["edition"]
        self.solution_edition = data.get("solution_edition", self.edition)
        self.margin = data.get("margin", {"check": 5, "test": 10})
        self.stub_rejected_by = data["stub"]["rejected_by"]
        # {mistake: the check that must reject it first}, {variant: what it does};
        # a mistake may also name words its verdict must say (the cause the
        # record proves): {check = ..., cause = ...}. Where two checks can
        # see the same mistake first, depending on how fast the machine
        # runs, `check` lists both: then the cause is what must be said.
        self.wrong, self.wrong_cause = {}, {}
        for mistake, rejected in data.get("wrong", {}).items():
            if isinstance(rejected, dict):
                self.wrong[mistake], self.wrong_cause[mistake] = rejected["check"], rejected.get("cause")
            else:
                self.wrong[mistake] = rejected
        self.right = dict(data.get("right", {}))

    def rejects(self, mistake):
        """The checks that may reject `mistake` first (the stub's if None)."""
        expected = self.stub_rejected_by if mistake is None else self.wrong[mistake]
        return [expected] if isinstance(expected, str) else list(expected)

    @property
    def manifest(self):
        return os.path.join(self.folder, ".meta", "config.toml")

    def here(self, path):
        return os.path.join(self.folder, path)

    def wrong_edit(self, mistake):
        return self.here(os.path.join(".meta", "wrong", mistake + ".edit"))

    def right_edit(self, variant):
        return self.here(os.path.join(".meta", "right", variant + ".edit"))

    def relative(self, path):
        return os.path.relpath(path, self.root)


def load(root=ROOT):
    """Every exercise of the lab at `root`, in their order."""
    found = []
    for path in glob.glob(os.path.join(root, "exercises", "*", ".meta", "config.toml")):
        with open(path, "rb") as handle:
            try:
                data = tomllib.load(handle)
            except tomllib.TOMLDecodeError as error:
                raise ManifestError("%s: %s" % (path, error))
        try:
            found.append(Exercise(root, os.path.dirname(os.path.dirname(path)), data))
        except KeyError as missing:
            raise ManifestError("%s: no %s" % (path, missing))
    return sorted(found, key=lambda e: (e.order, e.name))


def names(root=ROOT):
    return [e.name for e in load(root)]


def find(name, root=ROOT):
    """The exercise called `name`, or None."""
    return next((e for e in load(root) if e.name == name), None)


def apply_edit(solution_text, edit_text, where="edit"):
    """The solution with an .edit file applied: '#' lines say what it is;
    then blocks of
        <<<
        text in the solution (must occur exactly once)
        ===
        what the other program has instead
        >>>
    """
    blocks = edit_text.split("<<<\n")[1:]
    if not blocks:
        raise ManifestError("%s: no <<< block" % where)
    text = solution_text
    for block in blocks:
        old, rest = block.split("===\n", 1)
        new = rest.split(">>>", 1)[0]
        if text.count(old) != 1:
            raise ManifestError("%s: this text occurs %d times in the solution, not once:\n%s"
                                % (where, text.count(old), old))
        text = text.replace(old, new)
    return text


INCLUDE = re.compile(r"^[ \t]*#[ \t]*include\b.*$", re.M)
DIRECTIVE = re.compile(r"^[ \t]*#[ \t]*(?!include\b)\w+.*$", re.M)
MAIN = re.compile(r"^int main\(", re.M)


def fixture_name(exercise, edit_path):
    """What the program made from an .edit file is called:
    exercises/timeout/.meta/wrong/late-timer.edit -> wrong-timeout-late-timer."""
    kind = os.path.basename(os.path.dirname(edit_path))
    return "%s-%s-%s" % (kind, exercise, os.path.splitext(os.path.basename(edit_path))[0])


def multi_call(programs):
    """Many programs, each a solution with one mistake (or one other way of
    saying it), as one C++ file: each in a namespace of its own, its main
    renamed, and a main that runs the fixture named by the link it is run
    through (wrong-timeout-late-timer, a link to fixtures-timeout). Why:
    the headers every program includes are most of its compile time, and
    this way they are compiled once per exercise instead of once per
    fixture.
    `programs`: [(name, C++ text)]."""
    includes = ["#include <cstdio>", "#include <cstdlib>", "#include <cstring>", "#include <errno.h>"]
    parts, table = [], []
    for number, (name, text) in enumerate(programs):
        for line in INCLUDE.findall(text):
            if line.strip() not in includes:
                includes.append(line.strip())
        # Includes go to the top, for all; any other directive (#define,
        # #if) would leak from one fixture into the next, so none may be.
        directive = DIRECTIVE.search(text)
        if directive:
            raise ManifestError("%s: only #include can be shared by the fixtures, not %r"
                                % (name, directive.group(0).strip()))
        body = INCLUDE.sub("", text)
        if len(MAIN.findall(body)) != 1:
            raise ManifestError("%s: not exactly one line starting 'int main('" % name)
        space = "fixture_%d" % number
        parts.append("namespace %s {  // %s\n%s\n}  // namespace %s\n"
                     % (space, name, MAIN.sub("int fixture_main(", body), space))
        table.append('    {"%s", %s::fixture_main},' % (name, space))
    return "\n".join(includes + [""] + parts + [
        "namespace {",
        "struct Fixture {",
        "    const char* name;",
        "    int (*main)(int, char**);",
        "};",
        "const Fixture kFixtures[] = {",
        *table,
        "};",
        "}  // namespace",
        "",
        "int main(int argc, char** argv) {",
        "    for (const Fixture& fixture : kFixtures)",
        "        if (std::strcmp(program_invocation_short_name, fixture.name) == 0)",
        "            return fixture.main(argc, argv);",
        "    // Never a verdict by accident: a link of an unknown name is a crash.",
        '    std::fprintf(stderr, "%s: no such fixture; run me through one of my links (tests/meson.build)\\n",',
        "                 program_invocation_short_name);",
        "    std::abort();",
        "}",
        ""])


def describe(edit_path):
    """The '#' lines at the top of an .edit file: what the program does."""
    with open(edit_path, encoding="utf-8") as handle:
        lines = [l[1:].strip() for l in handle if l.startswith("#")]
    return " ".join(lines)


def meson_lines(root=ROOT):
    """What meson needs, one line per exercise, fields split by ';':
    name; features; the stub's edition; the solution's; mistake=check,...;
    variant,...; the test suite's margin; the manifest, stub, solution and
    checks paths (so that meson reconfigures when one changes)."""
    lines = []
    for e in load(root):
        lines.append(";".join([
            e.name, e.features, e.edition, e.solution_edition,
            ",".join("%s=%s" % (mistake, e.rejects(mistake)[0]) for mistake in e.wrong),
            ",".join(e.right), str(e.margin.get("test", 10)),
            e.relative(e.manifest)]))
    return lines


def main(argv):
    if argv[:1] == ["list"]:
        print("\n".join(names()))
    elif argv[:1] == ["meson"]:
        print("\n".join(meson_lines()))
    elif argv[:1] == ["fixtures"] and len(argv) >= 5:
        exercise, output, solution, edits = argv[1], argv[2], argv[3], argv[4:]
        with open(solution, encoding="utf-8") as handle:
            text = handle.read()
        programs = []
        for edit in edits:
            with open(edit, encoding="utf-8") as handle:
                programs.append((fixture_name(exercise, edit), apply_edit(text, handle.read(), edit)))
        with open(output, "w", encoding="utf-8") as handle:
            handle.write("// GENERATED from %s and the %d .edit files of exercise %s.\n"
                         % (solution, len(edits), exercise))
            handle.write(multi_call(programs))
    else:
        sys.exit(__doc__)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except ManifestError as error:
        sys.exit("manifest: %s" % error)
