"""The lines the chapter's programs print, as patterns: what the demo,
the checker and the tests read from a client's output."""
import re

# `Task N: got K bytes of poetry from HOST:PORT`, and the blocking client's
# `... from HOST:PORT in H:MM:SS.ffffff` (group 4).
GOT = re.compile(r"^Task (\d+): got (\d+) bytes of poetry from (\S+)(?: in (\S+))?$")
FINISHED = re.compile(r"^Task (\d+) finished$")
POEM_SIZE = re.compile(r"^Task (\d+): (\d+) bytes of poetry$")
TIMEDELTA = r"(\d+):(\d\d):(\d\d)(?:\.(\d{6}))?"
# The closing line: the chapter's, or the one after Ctrl-C.
GOT_POEMS = re.compile(r"^(?:Got (\d+)|Interrupted: got (\d+) of (\d+)) poems in " + TIMEDELTA + "$")



def seconds_of(match, first_group):
    """The seconds in a TIMEDELTA matched from group `first_group` on."""
    hours, minutes, seconds, micros = match.groups()[first_group - 1:first_group + 3]
    return int(hours) * 3600 + int(minutes) * 60 + int(seconds) + int(micros or 0) / 1e6
