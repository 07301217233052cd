"""The Poetry Lab's tools, one package (standard library only; ./lab runs
them with PYTHONPATH=tools):

    messages    what the tools say, in English and Korean (one catalog),
                and the Korean particle helper
    text        text that fits an 80-column terminal (Hangul takes two)
    terminal    a terminal: colours (NO_COLOR), keys without echo, width
    chapter     the lines the chapter's programs print, as patterns
    trace       the reader of a client's --trace record (lib/trace.hpp)
    processes   programs that never outlive us; a program on a pseudo-terminal
    servers     slow poetry servers on port 0, and the chapter's epic sagas
    manifest    the exercises, each found from its .meta/config.toml
    checker     grades an exercise by behaviour: an Outcome, never text to parse
    learn       ./lab check, watch, hint and reset
    demo        ./lab demo, the instructor's view
    bench       ./lab bench
    summary     ./lab test's "N passed, N failed"
"""
