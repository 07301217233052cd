"""The side-by-side table the demo ends with: each client's time, against
the slowest server's and the sum, its longest callback, and what that
says about how it waited."""
from poetrylab.demo import echo, heading, row, t, was_stopped
from poetrylab.text import pad


def server_times(sizes, chunk_sizes, delay):
    """What each server takes alone: one sleep after every chunk."""
    return [-(-size // chunk) * delay for size, chunk in zip(sizes, chunk_sizes)]


def reading(key, ratio_slowest, ratio_sum, longest, seconds):
    if key == "blocking":
        return t("one_server")
    held_loop = longest is not None and longest > 0.25 * seconds
    if held_loop:
        return t("hid") if ratio_slowest <= 1.15 else t("little_better")
    if ratio_sum >= 0.9:
        return t("one_server")
    if ratio_slowest <= 1.15:
        return t("all_at_once")
    return t("in_between")


# The side-by-side table's columns: (the TEXT of the label, width in
# terminal columns, right-aligned). The header and every row are laid out
# from this one list with text.pad, which counts Hangul as two columns,
# so that each label ends where its numbers do, in English and in Korean.
# A width takes in the spaces that part the column from the one before it
# (the first column: from the one after it), so that a label as wide as
# its column's numbers or wider (클라이언트) still leaves a space.
TABLE = [("col_client", 10, False), ("col_time", 9, True), ("col_slowest", 11, True),
         ("col_sum", 8, True), ("col_longest", 18, True)]
GUESS = ("col_guess", 8, True)  # with --ask


def table_line(cells, table):
    return "  " + "".join(pad(cell, width, right) for cell, (_, width, right) in zip(cells, table))


def print_table(results, slowest, total, style, guesses, title="side_by_side"):
    print()
    heading(style, t(title))
    echo(t("servers_alone", slowest=slowest, total=total))
    table = TABLE + ([GUESS] if guesses else [])
    print(style("1", table_line([t(label) for label, _, _ in table], table)))
    for r in results:
        took = r["took"]
        has_loop = r["key"] != "blocking" and r["longest"] is not None
        cells = [row(r["key"]), t("secs", secs=took), "%.2f" % (took / slowest), "%.2f" % (took / total),
                 t("secs3", secs=r["longest"]) if has_loop else "-"]
        if guesses:
            guess = guesses.get(r["key"])
            cells.append(t("secs1", secs=guess) if guess is not None else "-")
        print(table_line(cells, table))
        # What the run says, under its row, from the second column on; of
        # a run that was stopped (Ctrl-Z) a while, nothing is concluded.
        if was_stopped(r):
            echo(" " * (2 + TABLE[0][1]) + t("stopped_row", secs=r["stopped"]))
        else:
            echo(" " * (2 + TABLE[0][1]) + reading(r["key"], took / slowest, took / total, r["longest"],
                                                   took))
