#include "stop.hpp"

#include "trace.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>

#include <poll.h>
#include <unistd.h>

namespace lab {

namespace {
volatile std::sig_atomic_t g_stop_signal = 0;
sigset_t g_wait_mask;  // the mask while waiting: stop signals let in
bool g_catching = false;

volatile std::sig_atomic_t g_wake_fd = -1;

extern "C" void on_stop_signal(int signal_number) {
    g_stop_signal = signal_number;
    if (g_wake_fd >= 0) {
        int saved = errno;  // a handler must not disturb the code it interrupted
        [[maybe_unused]] ssize_t n = write(g_wake_fd, "!", 1);
        errno = saved;
    }
}
}  // namespace

namespace {
struct sigaction g_previous_int, g_previous_term;
}

void catch_stop_signals_waking(int wake_fd) {
    if (wake_fd < 0) {  // put back whatever was there (SIG_IGN under nohup, say)
        if (g_wake_fd >= 0) {
            sigaction(SIGINT, &g_previous_int, nullptr);
            sigaction(SIGTERM, &g_previous_term, nullptr);
        }
        g_wake_fd = -1;
        return;
    }
    g_wake_fd = wake_fd;
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;  // no SA_RESTART: a blocked recv() returns EINTR
    sigaction(SIGINT, &action, &g_previous_int);
    sigaction(SIGTERM, &action, &g_previous_term);
}

void catch_stop_signals() {
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    sigprocmask(SIG_BLOCK, &stop_signals, &g_wait_mask);
    sigdelset(&g_wait_mask, SIGINT);
    sigdelset(&g_wait_mask, SIGTERM);
    g_catching = true;
}

bool stop_requested() { return g_stop_signal != 0; }
const sigset_t* stop_wait_mask() { return g_catching ? &g_wait_mask : nullptr; }
int stop_signal() { return g_stop_signal; }

namespace {

Wait wait_untraced(int fd, short events, std::optional<double> seconds) {
    using Clock = std::chrono::steady_clock;
    auto deadline = Clock::now();
    if (seconds) deadline += std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(*seconds));
    for (;;) {
        if (stop_requested()) return Wait::Stopped;
        timespec timeout{};
        if (seconds) {
            // Past the deadline still ppoll once, with a zero timeout: it is
            // the only place a blocked stop signal can get in (--delay 0).
            auto left = std::max(0.0, std::chrono::duration<double>(deadline - Clock::now()).count());
            timeout.tv_sec = static_cast<time_t>(std::floor(left));
            timeout.tv_nsec = static_cast<long>((left - std::floor(left)) * 1e9);
        }
        pollfd watch{fd, events, 0};
        int ready = ppoll(&watch, fd >= 0 ? 1 : 0, seconds ? &timeout : nullptr,
                          g_catching ? &g_wait_mask : nullptr);
        if (ready > 0) return Wait::Ready;
        if (ready == 0) return Wait::TimedOut;
        if (errno != EINTR) return Wait::Ready;  // let the caller's own call report it
    }
}

}  // namespace

Wait wait_for(int fd, short events, std::optional<double> seconds) {
    // A blocking client waiting for its poem's next bytes: the --trace
    // record shows it as a `wait` on the task's track (the demo draws it).
    long long since = trace::now_us();
    Wait result = wait_untraced(fd, events, seconds);
    if (events == POLLIN) trace::waited(since);
    return result;
}

}  // namespace lab
