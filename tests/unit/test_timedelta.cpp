// Durations must print exactly as Python's str(timedelta) does, so that our
// "Got 3 poems in 0:00:10.134220" reads like the chapter's.
#include "timedelta.hpp"

#include <doctest/doctest.h>

using namespace std::chrono;
using lab::format_timedelta;

TEST_CASE("H:MM:SS.ffffff with six digits of microseconds") {
    CHECK(format_timedelta(microseconds(10134220)) == "0:00:10.134220");
    CHECK(format_timedelta(microseconds(1)) == "0:00:00.000001");
    CHECK(format_timedelta(milliseconds(23012)) == "0:00:23.012000");
}

TEST_CASE("no fraction when the microseconds are zero, as Python omits it") {
    CHECK(format_timedelta(seconds(0)) == "0:00:00");
    CHECK(format_timedelta(seconds(10)) == "0:00:10");
    CHECK(format_timedelta(minutes(61) + seconds(1)) == "1:01:01");
}

TEST_CASE("hours keep counting to a day, then days come first") {
    CHECK(format_timedelta(hours(23) + minutes(59) + seconds(59)) == "23:59:59");
    CHECK(format_timedelta(hours(24)) == "1 day, 0:00:00");
    CHECK(format_timedelta(hours(50) + microseconds(5)) == "2 days, 2:00:00.000005");
}

TEST_CASE("nanoseconds are truncated, not rounded, like timedelta's resolution") {
    CHECK(format_timedelta(nanoseconds(1999)) == "0:00:00.000001");
    CHECK(format_timedelta(nanoseconds(999)) == "0:00:00");
}
