// Ctrl-C (SIGINT) and SIGTERM as a polite request to stop, for the blocking
// server: the program finishes what it is doing, cleans up and exits
// normally, so the sanitizers get to report and no descriptor leaks.
//
// The two signals stay blocked except while the program waits in wait_for
// (ppoll with the signals let in), so a signal can never slip in between
// "check the flag" and "block in accept/send/sleep" and be missed.
#pragma once

#include <optional>

#include <signal.h>

namespace lab {

void catch_stop_signals();  // blocks SIGINT/SIGTERM and installs the handler
bool stop_requested();
int stop_signal();          // the signal that asked, or 0

// For the reactor: the same request, but the signals stay unblocked (a recv
// blocked inside a callback must be interrupted by them) and each one also
// writes a byte to `wake_fd`, which the loop watches, so that it wakes and
// stops. wake_fd < 0 puts the default handling back.
void catch_stop_signals_waking(int wake_fd);

// The signal mask to wait with (pselect, ppoll): the stop signals let in.
const sigset_t* stop_wait_mask();

enum class Wait { Ready, TimedOut, Stopped };

// Waits until `fd` is ready for `events` (POLLIN, POLLOUT), or with fd < 0
// just for `seconds`; no `seconds` waits as long as it takes. Stopped when
// a stop signal arrived (before or during the wait).
Wait wait_for(int fd, short events, std::optional<double> seconds);

}  // namespace lab
