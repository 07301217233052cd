#include "stop.hpp"
#include "timedelta.hpp"  // Clock

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>

#include <poll.h>
#include <unistd.h>

namespace lab {

namespace {

// What the handler reaches: the signal that asked, and where to write a
// byte for the reactor. (Signal handlers can reach nothing else.)
volatile std::sig_atomic_t g_stop_signal = 0;
volatile std::sig_atomic_t g_wake_fd = -1;

extern "C" void on_stop_signal(int signal_number) {
    g_stop_signal = signal_number;
    if (g_wake_fd >= 0) {
        int saved = errno;  // a handler must not disturb the code it interrupted
        [[maybe_unused]] ssize_t n = write(g_wake_fd, "!", 1);
        errno = saved;
    }
}

// No SA_RESTART: a recv(), select() or ppoll() that the signal interrupts
// returns EINTR, and the program sees the stop there.
void install() {
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

sigset_t stop_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    return set;
}

}  // namespace

void catch_stop_signals() {
    install();
    sigset_t blocked = stop_signals();
    sigprocmask(SIG_BLOCK, &blocked, nullptr);
}

void interrupt_on_stop_signals() {
    struct sigaction current {};
    sigaction(SIGINT, nullptr, &current);
    if (current.sa_handler == on_stop_signal) return;  // in place already
    install();
}

void wake_on_stop_signals(int wake_fd) {
    if (wake_fd >= 0) interrupt_on_stop_signals();
    g_wake_fd = wake_fd;
}

bool stop_requested() { return g_stop_signal != 0; }
int stop_signal() { return g_stop_signal; }

Wait wait_for(int fd, short events, std::optional<double> seconds) {
    // Wait with the stop signals let in, if the server has them blocked:
    // they can only arrive here, where ppoll returns at once.
    sigset_t mask;
    sigprocmask(SIG_BLOCK, nullptr, &mask);
    bool blocked = sigismember(&mask, SIGINT) == 1;
    sigdelset(&mask, SIGINT);
    sigdelset(&mask, SIGTERM);
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
                          blocked ? &mask : nullptr);
        if (ready > 0) return Wait::Ready;
        if (ready == 0) return Wait::TimedOut;
        if (errno != EINTR) return Wait::Ready;  // let the caller's own call report it
    }
}

}  // namespace lab
