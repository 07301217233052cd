"""Every command shown in README.md and README.ko.md exists and accepts the
options shown, so the walkthrough cannot drift from the code. Commands are
checked at --help level: nothing slow is run."""
import os
import re
import shlex
import subprocess

from labtest import BUILD, SOURCE, LabTestCase, main
from poetrylab import manifest

READMES = ["README.md", "README.ko.md"]
EXERCISES = manifest.names(SOURCE)


def shell_commands(readme):
    """(line number, words) for each command in the ```sh blocks."""
    commands, in_block = [], False
    with open(os.path.join(SOURCE, readme), encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            stripped = line.strip()
            if stripped.startswith("```"):
                in_block = stripped == "```sh" if not in_block else False
                continue
            if in_block and stripped and not stripped.startswith("#"):
                commands.append((number, shlex.split(stripped, comments=True)))
    return commands


def help_text(args):
    result = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            timeout=60)
    return result.returncode, result.stdout + result.stderr


class ReadmeCommandsTest(LabTestCase):

    def check_options(self, where, words, help_args):
        code, text = help_text(help_args)
        self.assertEqual(code, 0, "%s: %s --help failed: %s" % (where, help_args[0], text))
        for word in words:
            if word.startswith("--"):  # the whole option, not a prefix of a longer one
                self.assertRegex(text, re.escape(word) + r"(?![\w-])",
                                 "%s: %s does not take %s" % (where, words[0], word))

    def check_lab(self, where, words):
        lab_help = help_text([os.path.join(SOURCE, "lab"), "help"])[1]
        self.assertGreaterEqual(len(words), 2, where)
        if "--lang" in words:  # every ./lab command takes it
            at = words.index("--lang")
            self.assertIn(words[at + 1:at + 2], (["en"], ["ko"]), where)
            words = words[:at] + words[at + 2:]
        sub = words[1]
        self.assertRegex(lab_help, r"(?m)^  %s\b" % re.escape(sub), "%s: no `./lab %s`" % (where, sub))
        rest = words[2:]
        if sub in ("demo", "bench"):
            self.check_options(where, words[1:], [os.path.join(SOURCE, "lab"), sub, "--help"])
        elif sub == "fuzz":
            self.assertTrue(all(w == "--seconds" or w.isdigit() for w in rest), where)
        elif sub in ("check", "watch", "reset"):
            names = [w for w in rest if not (sub == "reset" and w == "--yes")]
            self.assertLessEqual(len(names), 1 if sub != "check" else len(EXERCISES), where)
            if sub == "reset":
                self.assertEqual(len(names), 1, "%s: ./lab reset takes a NAME" % where)
            for name in names:
                self.assertIn(name, EXERCISES, "%s: no exercise %s" % (where, name))
        elif sub == "hint":
            self.assertIn(rest[0], EXERCISES, "%s: no exercise %s" % (where, rest[0]))
            if len(rest) > 1:
                with open(os.path.join(SOURCE, "exercises", rest[0], "HINTS.md")) as hints:
                    self.assertIn("## Hint %s\n" % rest[1], hints.read(), where)
        else:
            self.assertEqual(rest, [], "%s: `./lab %s` takes no options" % (where, sub))

    def check_command(self, where, words):
        program = words[0]
        if program == "./lab":
            self.check_lab(where, words)
        elif program.startswith("build/"):
            path = os.path.join(BUILD, program[len("build/"):])
            self.assertTrue(os.access(path, os.X_OK), "%s: %s is not built" % (where, program))
            self.check_options(where, words, [path, "--help"])
            for word in words[1:]:
                if word.startswith("poetry/"):
                    self.assertTrue(os.path.isfile(os.path.join(SOURCE, word)), where)
        elif program == "diff":
            for path in words[1:]:
                self.assertTrue(os.path.isfile(os.path.join(SOURCE, path)), "%s: %s" % (where, path))
        else:
            self.fail("%s: the README shows `%s`, which this test does not know how to check"
                      % (where, " ".join(words)))

    def test_every_command_exists_and_takes_its_options(self):
        for readme in READMES:
            commands = shell_commands(readme)
            self.assertGreater(len(commands), 10, readme)
            for number, words in commands:
                with self.subTest(readme=readme, line=number):
                    self.check_command("%s:%d" % (readme, number), words)

    def test_both_languages_show_the_same_commands(self):
        english = [words for _, words in shell_commands("README.md")]
        korean = [words for _, words in shell_commands("README.ko.md")]
        self.assertEqual(english, korean)

    def test_readmes_link_each_other(self):
        with open(os.path.join(SOURCE, "README.md"), encoding="utf-8") as handle:
            self.assertIn("(README.ko.md)", handle.read(1000))
        with open(os.path.join(SOURCE, "README.ko.md"), encoding="utf-8") as handle:
            self.assertIn("(README.md)", handle.read(1000))

    def test_pictures_exist(self):
        for readme in READMES:
            with open(os.path.join(SOURCE, readme), encoding="utf-8") as handle:
                for picture in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", handle.read()):
                    self.assertTrue(os.path.isfile(os.path.join(SOURCE, picture)), picture)


if __name__ == "__main__":
    main()
