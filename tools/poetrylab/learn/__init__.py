"""The learner's side of ./lab: check, watch, hint and reset, for the
exercises the manifests name (poetrylab.manifest), in English or Korean.

    python3 -m poetrylab.learn check [NAME ...]    build, check, say what is next
    python3 -m poetrylab.learn watch [NAME]        check again at every save
    python3 -m poetrylab.learn hint NAME [LEVEL]   a hint, from a nudge (1) to almost the answer
    python3 -m poetrylab.learn reset NAME [--yes]  put the stub back (the learner's file kept aside)

./lab runs it (after installing and configuring what it needs); every
command takes --lang en|ko, and LANG=ko_KR.UTF-8 picks Korean too.
"""
