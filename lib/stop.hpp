// Ctrl-C (SIGINT) and SIGTERM as a polite request to stop: the blocked call
// returns with EINTR, the program notices, cleans up and exits normally, so
// nothing is left half-written and the sanitizers get to report.
#pragma once

namespace lab {

void catch_stop_signals();  // installs the handlers (without SA_RESTART)
bool stop_requested();
int stop_signal();          // the signal that asked, or 0

}  // namespace lab
