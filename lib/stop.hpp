// Ctrl-C (SIGINT) and SIGTERM as a polite request to stop. A signal handler
// can reach nothing but globals: the flag it sets (and the pipe it may
// write to) are the only process-wide state the lab's library keeps.
//
// Two ways of taking the request:
//   - the server (catch_stop_signals): the signals stay blocked except
//     while it waits in wait_for (ppoll with the signals let in), so one can
//     never slip in between "check the flag" and "block in accept/send/sleep";
//   - the clients (interrupt_on_stop_signals): the signal interrupts the
//     system call the client is blocked in (recv, select: EINTR), as it does
//     in Python before KeyboardInterrupt; the poem or the wait ends there,
//     and the closing line says the run was interrupted. The reactor also
//     has the handler write a byte to its waker (wake_on_stop_signals), so
//     that a loop waiting in libevent wakes and stops.
#pragma once

#include <optional>

#include <signal.h>

namespace lab {

void catch_stop_signals();         // the server's way
void interrupt_on_stop_signals();  // the clients' way
bool stop_requested();
int stop_signal();                 // the signal that asked, or 0

// The reactor's waker: each stop signal also writes a byte to `wake_fd`.
// Installs the clients' handler if nobody has; -1: no more bytes.
void wake_on_stop_signals(int wake_fd);

enum class Wait { Ready, TimedOut, Stopped };

// Waits until `fd` is ready for `events` (POLLIN, POLLOUT), or with fd < 0
// just for `seconds`; no `seconds` waits as long as it takes. Stopped when
// a stop signal arrived (before or during the wait).
Wait wait_for(int fd, short events, std::optional<double> seconds);

}  // namespace lab
