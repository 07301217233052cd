// One run of a client, as its command line asked for it: what the lab adds
// to the chapter's programs, kept out of their files.
//
// The chapter's Python has a socket module and a print statement; ours has
// options the chapter has no place for (--connect-timeout, --quiet,
// --count-only, --trace, and the reactor's instruments) and the few facts
// the closing line and the exit status need (which poems arrived whole).
// parse_args (cli.hpp) makes a Run and hands it, in plain sight, to every
// address it returns: connect_to, receive and the lines about a server
// follow the run that named it, and the Reactor made from the options is
// watched as it asks. Nothing of it is a global.
#pragma once

#include "timedelta.hpp"
#include "trace.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lab {

class Run {
public:
    // --connect-timeout SECONDS (default: the kernel's, about two minutes)
    std::optional<double> connect_timeout;
    bool quiet = false;       // --quiet: only the closing lines
    bool count_only = false;  // --count-only: count the bytes, keep none
    // The reactor's instruments (instruments.hpp):
    std::optional<double> slow_callback;  // --slow-callback SECONDS
    std::optional<double> heartbeat;      // --heartbeat SECONDS
    bool step = false;                    // --step
    std::shared_ptr<trace::Recorder> recorder;  // --trace FILE

    // How many poems the command line asked for (one per address).
    std::size_t poems = 0;
    Clock::time_point started = Clock::now();

    // A connect to a server: Task N is the Nth connect the client makes,
    // in the order it makes them (as every client here connects, task by
    // task). Returns N.
    int connecting();
    // Task N's server ended the poem cleanly (recv said end of stream) ...
    void end_of_stream(int task);
    // ... and the client was done with it (it closed the socket): then the
    // whole poem arrived, as the client's own `Task N finished` says.
    void closed(int task);
    // How many poems arrived whole.
    std::size_t whole() const;

    // Two descriptors held back, and let go when a connect finds none
    // left, so that reporting the problem (and a sanitizer checking that
    // report, which needs a pipe of its own) still has descriptors.
    void hold_descriptors_back();
    void let_descriptors_go();
    Run() = default;
    ~Run();
    Run(const Run&) = delete;
    Run& operator=(const Run&) = delete;

private:
    enum class Poem { Coming, Ended, Whole };
    std::vector<Poem> poems_;  // per task, in connect order
    int reserve_[2] = {-1, -1};
};

}  // namespace lab
