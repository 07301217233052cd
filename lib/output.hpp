// Printing the way the chapter's programs do, and failing the way a learner
// can act on.
//
// Every line is flushed as soon as it is printed: learners (and the tests)
// read the programs' output through pipes while the programs run, and a
// block-buffered stdout would hide the interleaving the chapter is about.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace lab {

// A problem with the input or the network that ends a program with one line
// on stderr and exit status 1: never a crash, never a stack trace.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

void write_line(std::string_view line);        // stdout, then flush
void write_error_line(std::string_view line);  // stderr (unbuffered anyway)

// The parts, printed one after another into one string.
template <typename... Parts>
std::string joined(const Parts&... parts) {
    std::ostringstream line;
    (line << ... << parts);
    return line.str();
}

// say("Task ", 1, ": got ", 60, " bytes") prints one flushed line on stdout,
// the C++ spelling of the chapter's `print msg % (...)`; warn() the same on
// stderr, for warnings that must not mix with the poem report.
template <typename... Parts>
void say(const Parts&... parts) { write_line(joined(parts...)); }
template <typename... Parts>
void warn(const Parts&... parts) { write_error_line(joined(parts...)); }

// The chapter's per-read lines, shared by every client so they cannot drift:
//   Task N: got K bytes of poetry from HOST:PORT
//   Task N finished
// --quiet leaves them out (the closing lines stay); --trace records each
// `got` as a slice (trace.hpp).
void say_got(int task, std::size_t bytes, const std::string& address);
void say_finished(int task);
// ... and the closing lines, printed even with --quiet:
//   Task N: K bytes of poetry
//   Got M poems in H:MM:SS.ffffff
// The last one is the chapter's line for a run that ended on its own. After
// Ctrl-C (stop.hpp) it says what really happened instead:
//   Interrupted: got F of M poems in H:MM:SS.ffffff
// where F counts the poems that arrived whole.
void say_poem_size(int task, std::size_t bytes);
void say_got_poems(std::size_t poems, std::size_t finished, std::chrono::nanoseconds elapsed);
void set_quiet(bool quiet);
bool quiet();

// The name a program was started as ("get-poetry-broken"), for messages.
std::string program_name();

// Runs a program's body and turns what it throws into `NAME: error: WHAT` on
// stderr and exit status 1. Exceptions are how the library reports bad input
// and refused connections; this is the one place they become an exit status.
// A client stopped by Ctrl-C or SIGTERM (stop.hpp) exits 128 + the signal
// after its lines, as shells expect; for a server (`stop_ends_normally`)
// a stop signal is the normal way to end, and it exits with body's status.
int run_main(int argc, char** argv, const std::function<int()>& body,
             bool stop_ends_normally = false);

}  // namespace lab
