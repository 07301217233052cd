// Durations printed the way Python prints a datetime.timedelta, so our lines
// read like the chapter's: "Got 3 poems in 0:00:10.134220".
#pragma once

#include <chrono>
#include <string>

namespace lab {

// A monotonic clock: a poem's time must not jump when the wall clock does.
using Clock = std::chrono::steady_clock;

// H:MM:SS.ffffff (".ffffff" left out when the microseconds are zero, and
// "N day(s), " in front past 24 hours, exactly like str(timedelta)).
// Sub-microsecond parts are truncated, as timedelta itself keeps none.
std::string format_timedelta(std::chrono::nanoseconds elapsed);

}  // namespace lab
