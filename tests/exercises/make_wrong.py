"""Makes a wrong solution: applies an .edit file to a solution, so that each
fixture is the correct program with one mistake a learner makes.

An .edit file: '#' lines say what the mistake is; then blocks of
    <<<
    text in the solution (must occur exactly once)
    ===
    what the mistaken program has instead
    >>>
"""
import sys


def main(solution, edit, output):
    text = open(solution).read()
    blocks = open(edit).read().split("<<<\n")[1:]
    if not blocks:
        sys.exit("%s: no <<< block" % edit)
    for block in blocks:
        old, rest = block.split("===\n", 1)
        new = rest.split(">>>", 1)[0]
        if text.count(old) != 1:
            sys.exit("%s: this text occurs %d times in %s, not once:\n%s"
                     % (edit, text.count(old), solution, old))
        text = text.replace(old, new)
    with open(output, "w") as handle:
        handle.write("// GENERATED from %s by %s.\n" % (solution, edit))
        handle.write(text)


if __name__ == "__main__":
    main(*sys.argv[1:])
