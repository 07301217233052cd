#include "timedelta.hpp"

#include <cstdio>

namespace lab {

std::string format_timedelta(std::chrono::nanoseconds elapsed) {
    using namespace std::chrono;
    long long total_us = duration_cast<microseconds>(elapsed).count();
    if (total_us < 0) total_us = 0;  // a steady clock never goes back; be safe
    long long days = total_us / (86400LL * 1000000);
    long long rest = total_us % (86400LL * 1000000);
    long long hours = rest / 3600000000LL;
    long long minutes = rest / 60000000LL % 60;
    long long seconds = rest / 1000000 % 60;
    long long micros = rest % 1000000;

    char buffer[64];
    std::string text;
    if (days > 0) {
        std::snprintf(buffer, sizeof buffer, "%lld day%s, ", days, days == 1 ? "" : "s");
        text += buffer;
    }
    std::snprintf(buffer, sizeof buffer, "%lld:%02lld:%02lld", hours, minutes, seconds);
    text += buffer;
    if (micros != 0) {
        std::snprintf(buffer, sizeof buffer, ".%06lld", micros);
        text += buffer;
    }
    return text;
}

}  // namespace lab
